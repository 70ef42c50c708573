// plugin/commands/scale.cpp
//! `kubectl multigres scale pool DB/TG/SHARD/POOL --replicas N`: sets the pool's replicas in the
//! shard's overrides (or its inline spec) with server-side apply.
#include "common/api/component_types.hpp"
#include "plugin/commands/commands.hpp"
#include "plugin/edit_checks.hpp"
#include "plugin/edit_session.hpp"

namespace mg::plugin {

void register_scale(CLI::App& app, CommandContext& ctx) {
  struct Args {
    EditFlags flags;
    std::string ref;
    int32_t replicas = 0;
  };
  auto a = std::make_shared<Args>();
  auto* scale = app.add_subcommand("scale", "Change the number of pods of a pool");
  scale->require_subcommand(1);
  auto* cmd = scale->add_subcommand("pool", "Set a pool's replicas (" + std::to_string(api::kMinPoolReplicas) + " to " +
                                                std::to_string(api::kMaxPoolReplicas) + ")");
  cmd->footer(
      "Examples:\n"
      "  kubectl multigres scale pool postgres/default/0-inf/default --replicas 3\n"
      "  kubectl multigres scale pool postgres/default/0-inf/primary --replicas 5 -c prod --force-conflicts\n"
      "\nAlso: -c/--cluster NAME, --dry-run and kubectl's connection flags (-n, --context, --kubeconfig).");
  cmd->add_option("DATABASE/TABLEGROUP/SHARD/POOL", a->ref, "The pool to scale")->required();
  cmd->add_option("--replicas", a->replicas, "Pods in the pool")->required();
  add_edit_flags(cmd, a->flags, false);
  cmd->callback([a, &ctx] {
    auto ref = edit::parse_pool_ref(a->ref);
    if (!parsed(ref, ctx)) return;
    EditCommand command{"scale pool " + a->ref, false, "",
                        [ref = *ref, replicas = a->replicas](const json::Value& live, const resolve::Templates& templates) {
                          const auto& s = ref.shard;
                          auto pools = shard_pools(live, templates, s.database, s.tablegroup, s.shard);
                          return edit::plan_scale_pool(live, ref, replicas, pools);
                        }};
    ctx.exit_code = run_edit(a->flags, command, ctx);
  });
}

}  // namespace mg::plugin
