// operator/controllers/setup.cpp
#include "operator/controllers/setup.hpp"

#include "common/naming/labels.hpp"
#include "operator/controllers/controllers.hpp"

namespace mg::controllers {
namespace {

//! True when some member named `field` anywhere under `v` is the string `name`.
bool names_template(const json::Value& v, const char* field, const std::string& name) {
  if (v.IsObject()) {
    for (const auto& m : v.GetObject()) {
      if (m.value.IsString() && m.name == field && name == m.value.GetString()) return true;
      if (names_template(m.value, field, name)) return true;
    }
  } else if (v.IsArray()) {
    for (const auto& item : v.GetArray()) {
      if (names_template(item, field, name)) return true;
    }
  }
  return false;
}

bool lists_template(const json::Value& cluster, const std::string& name) {
  for (const char* list : {"status.resolvedTemplates.cellTemplates", "status.resolvedTemplates.shardTemplates"}) {
    const json::Value* names = json::at_path(cluster, list);
    if (names == nullptr || !names->IsArray()) continue;
    for (const auto& n : names->GetArray()) {
      if (n.IsString() && name == n.GetString()) return true;
    }
  }
  return false;
}

//! Template changes go to the clusters of the template's namespace that use it.
void route_template(Informer& templates, const Caches& caches, runtime::Controller& clusters) {
  templates.add_handler([&caches, &clusters](const json::Value& tmpl) {
    auto [ns, name] = runtime::split_key(runtime::object_key(tmpl));
    for (const auto& cluster : caches.clusters->list(ns)) {
      if (cluster_uses_template(*cluster, name)) clusters.enqueue(runtime::object_key(*cluster));
    }
  });
}

}  // namespace

bool cluster_uses_template(const json::Value& cluster, const std::string& name) {
  if (name == "default" || lists_template(cluster, name)) return true;
  const json::Value* spec = json::find(cluster, "spec");
  return spec != nullptr && (names_template(*spec, "cellTemplate", name) || names_template(*spec, "shardTemplate", name));
}

void register_controllers(runtime::Manager& manager, Context& ctx) {
  const std::string managed = std::string(naming::kLabelManagedBy) + "=" + naming::kManagerName;
  const std::string group = "multigres.com/v1alpha1";
  auto ours = [&](const char* kind) -> Informer* { return &manager.add_informer({.api_version = group, .kind = kind}); };
  auto theirs = [&](const char* api_version, const char* kind) -> Informer* {
    return &manager.add_informer({.api_version = api_version, .kind = kind}, managed);
  };
  Caches& c = ctx.caches;
  c.clusters = ours("MultigresCluster");
  c.cell_templates = ours("CellTemplate");
  c.shard_templates = ours("ShardTemplate");
  c.topo_servers = ours("TopoServer");
  c.cells = ours("Cell");
  c.table_groups = ours("TableGroup");
  c.shards = ours("Shard");
  c.stateful_sets = theirs("apps/v1", "StatefulSet");
  c.deployments = theirs("apps/v1", "Deployment");
  c.services = theirs("v1", "Service");
  c.pdbs = theirs("policy/v1", "PodDisruptionBudget");
  c.config_maps = theirs("v1", "ConfigMap");
  c.secrets = theirs("v1", "Secret");
  c.pvcs = theirs("v1", "PersistentVolumeClaim");

  auto& clusters = manager.add_controller("MultigresCluster", multigres_cluster_reconciler(ctx));
  auto& topo_servers = manager.add_controller("TopoServer", topo_server_reconciler(ctx));
  auto& cells = manager.add_controller("Cell", cell_reconciler(ctx));
  auto& table_groups = manager.add_controller("TableGroup", table_group_reconciler(ctx));
  auto& shards = manager.add_controller("Shard", shard_reconciler(ctx));

  manager.route_to_self(*c.clusters, clusters);
  manager.route_to_self(*c.topo_servers, topo_servers);
  manager.route_to_self(*c.cells, cells);
  manager.route_to_self(*c.table_groups, table_groups);
  manager.route_to_self(*c.shards, shards);
  for (Informer* child : {c.topo_servers, c.cells, c.table_groups, c.shards, c.stateful_sets, c.deployments,
                          c.services, c.pdbs, c.config_maps, c.secrets}) {
    manager.route_to_owner(*child);
  }
  route_template(*c.cell_templates, c, clusters);
  route_template(*c.shard_templates, c, clusters);
}

}  // namespace mg::controllers
