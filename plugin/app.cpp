// plugin/app.cpp
#include "plugin/app.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

namespace mg::plugin {

int run(int argc, char** argv) {
  CLI::App app{"kubectl multigres: create, change and inspect Multigres clusters", "kubectl multigres"};
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return 0;
}

}  // namespace mg::plugin
