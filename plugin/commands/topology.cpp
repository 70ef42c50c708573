// plugin/commands/topology.cpp
//! `kubectl multigres topology [CLUSTER]`: the tree cluster -> cells -> databases -> tablegroups ->
//! shards -> pools -> pods (ready, node, zone, role), from one round of API calls.
#include "common/view/render.hpp"
#include "plugin/commands/commands.hpp"
#include "plugin/commands/status.hpp"
#include "plugin/connection.hpp"

namespace mg::plugin {
namespace {

struct TopologyOptions {
  ConnectionFlags connection;
  std::string cluster;
};

int run_topology(const TopologyOptions& opts, CommandContext& ctx) {
  auto client = connect(opts.connection);
  if (!client.ok()) {
    ctx.err << "error: " << client.error().message << "\n";
    return 1;
  }
  const std::string ns = (*client)->default_namespace();
  auto objects =
      gather(**client, GatherScope{.namespace_name = ns, .cluster = opts.cluster, .events = false, .nodes = true});
  if (!objects.ok()) {
    ctx.err << "error: " << objects.error().message << "\n";
    return 1;
  }
  const auto views = view::build_views(*objects, now_timestamp());
  if (views.empty()) {
    ctx.err << "No MultigresClusters found in namespace " << ns << ".\n";
    return 0;
  }
  const bool color = use_color(ctx.out);
  for (size_t i = 0; i < views.size(); ++i) ctx.out << (i == 0 ? "" : "\n") << view::topology_text(views[i], color);
  return 0;
}

}  // namespace

void register_topology(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<TopologyOptions>();
  auto* cmd = app.add_subcommand("topology", "Show a cluster as a tree: cells, databases, shards, pools and pods");
  cmd->footer(
      "Each pod shows whether it is ready, its node, its zone (from the node's topology.kubernetes.io/zone\n"
      "label; \"(cell)\" marks the cell's zone when the node is unknown) and its role when the shard reports it.\n"
      "\n"
      "Examples:\n"
      "  kubectl multigres topology my-cluster -n prod\n"
      "  kubectl multigres topology            # every cluster in the namespace");
  cmd->add_option("CLUSTER", opts->cluster, "The MultigresCluster (default: every cluster in the namespace)");
  add_connection_flags(cmd, opts->connection);
  cmd->callback([opts, &ctx] { ctx.exit_code = run_topology(*opts, ctx); });
}

}  // namespace mg::plugin
