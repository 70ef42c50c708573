// plugin/app.cpp
#include "plugin/app.hpp"

#include <CLI/CLI.hpp>

#include "plugin/commands/commands.hpp"

namespace mg::plugin {

void register_set(CLI::App& app, CommandContext& ctx) {
  auto* set = app.add_subcommand("set", "Set a property of a MultigresCluster");
  set->require_subcommand(1);
  add_set_template(set, ctx);
  add_set_postgres_config(set, ctx);
}

int run(int argc, char** argv) {
  CLI::App app{"kubectl multigres: create, change and inspect Multigres clusters", "kubectl multigres"};
  app.require_subcommand(1);
  CommandContext ctx;
  register_init(app, ctx);
  register_add(app, ctx);
  register_remove(app, ctx);
  register_scale(app, ctx);
  register_set(app, ctx);
  register_render(app, ctx);
  register_status(app, ctx);
  register_topology(app, ctx);
  register_drain(app, ctx);
  register_backup(app, ctx);
  register_restore(app, ctx);
  register_validate(app, ctx);
  register_version(app, ctx);
  register_install(app, ctx);
  register_uninstall(app, ctx);
  register_completion(app, ctx);  // last: it walks the commands registered before it
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;  // --help exits 0; any usage error is 2
  }
  return ctx.exit_code;
}

}  // namespace mg::plugin
