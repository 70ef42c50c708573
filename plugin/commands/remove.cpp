// plugin/commands/remove.cpp
//! `kubectl multigres remove cell|shard`: removes one entry from a MultigresCluster after a
//! confirmation (--yes for scripts). Server-side apply when only the plugin owns the entry, else a JSON
//! patch guarded by a test of the entry and the resourceVersion (docs/plugin.md).
#include "plugin/commands/commands.hpp"
#include "plugin/edit_checks.hpp"
#include "plugin/edit_session.hpp"

namespace mg::plugin {
namespace {

constexpr const char* kFlagsFooter =
    "\nAsks for confirmation on a terminal; without one, pass --yes. Also: -c/--cluster NAME, --dry-run,\n"
    "--force-conflicts and kubectl's connection flags (-n, --context, --kubeconfig).";

void remove_cell(CLI::App* parent, CommandContext& ctx) {
  struct Args {
    EditFlags flags;
    std::string name;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = parent->add_subcommand("cell", "Remove a cell (no pool may still run in it)");
  cmd->footer(std::string("Examples:\n"
                          "  kubectl multigres remove cell us-east-1b\n"
                          "  kubectl multigres remove cell us-east-1b -c prod --yes") +
              kFlagsFooter);
  cmd->add_option("NAME", a->name, "Cell name")->required();
  add_edit_flags(cmd, a->flags, true);
  cmd->callback([a, &ctx] {
    EditCommand command{"remove cell " + a->name, true,
                        "The operator deletes its Cell, gateway and local topology server.",
                        [a](const json::Value& live, const resolve::Templates& templates) {
                          std::vector<edit::PoolRef> users;
                          for (auto& p : pools_of(live, templates)) {
                            if (p.cell == a->name) users.push_back({{p.database, p.tablegroup, p.shard}, p.pool});
                          }
                          return edit::plan_remove_cell(live, a->name, users);
                        }};
    ctx.exit_code = run_edit(a->flags, command, ctx);
  });
}

void remove_shard(CLI::App* parent, CommandContext& ctx) {
  struct Args {
    EditFlags flags;
    std::string ref;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = parent->add_subcommand("shard", "Remove a shard (its data volumes are kept)");
  cmd->footer(std::string("Examples:\n"
                          "  kubectl multigres remove shard postgres/default/80-inf\n"
                          "  kubectl multigres remove shard postgres/default/80-inf --yes") +
              kFlagsFooter);
  cmd->add_option("DATABASE/TABLEGROUP/SHARD", a->ref, "The shard to remove")->required();
  add_edit_flags(cmd, a->flags, true);
  cmd->callback([a, &ctx] {
    auto ref = edit::parse_shard_ref(a->ref);
    if (!parsed(ref, ctx)) return;
    EditCommand command{"remove shard " + a->ref, true,
                        "The operator deletes its Shard, pods and StatefulSets; data volumes and backups are kept.",
                        [ref = *ref](const json::Value& live, const resolve::Templates&) {
                          return edit::plan_remove_shard(live, ref);
                        }};
    ctx.exit_code = run_edit(a->flags, command, ctx);
  });
}

}  // namespace

void register_remove(CLI::App& app, CommandContext& ctx) {
  auto* remove = app.add_subcommand("remove", "Remove a cell or a shard from a MultigresCluster");
  remove->require_subcommand(1);
  remove_cell(remove, ctx);
  remove_shard(remove, ctx);
}

}  // namespace mg::plugin
