// plugin/commands/version.cpp
//! `kubectl multigres version`: the plugin's version (the operator's arrives with the client).
#include "plugin/commands/commands.hpp"

namespace mg::plugin {

void register_version(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("version", "Print the plugin version");
  cmd->callback([&ctx] { ctx.out << "kubectl-multigres " << MG_VERSION << "\n"; });
}

}  // namespace mg::plugin
