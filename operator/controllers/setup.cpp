// operator/controllers/setup.cpp
#include "operator/controllers/setup.hpp"

#include "common/api/meta.hpp"
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

//! postgres.multigres.com: a DatabaseCluster change brings back its Databases and DatabaseRoles; a
//! Secret change the DatabaseClusters and DatabaseRoles that read it; a MultigresCluster change the
//! DatabaseClusters that point at it.
void route_postgres(const Caches& c, runtime::Controller& clusters, runtime::Controller& databases,
                    runtime::Controller& roles) {
  auto uses_cluster = [](const json::Value& object, const std::string& name) {
    const json::Value* ref = json::at_path(object, "spec.databaseClusterRef");
    return ref != nullptr && json::get_string(*ref, "name") == name;
  };
  c.database_clusters->add_handler([&c, &databases, &roles, uses_cluster](const json::Value& cluster) {
    const std::string name = runtime::object_key(cluster);
    for (const auto& db : c.databases->list()) {
      if (uses_cluster(*db, name)) databases.enqueue(runtime::object_key(*db));
    }
    for (const auto& role : c.database_roles->list()) {
      if (uses_cluster(*role, name)) roles.enqueue(runtime::object_key(*role));
    }
  });
  auto refers = [](const json::Value* ref, const std::string& ns, const std::string& name) {
    return ref != nullptr && json::get_string(*ref, "namespace") == ns && json::get_string(*ref, "name") == name;
  };
  c.secrets->add_handler([&c, &clusters, &roles, refers](const json::Value& secret) {
    auto [ns, name] = runtime::split_key(runtime::object_key(secret));
    for (const auto& cluster : c.database_clusters->list()) {
      const json::Value* mgc = json::at_path(*cluster, "spec.multigresClusterRef");
      // A MultigresCluster's password Secret sits in its namespace; its name is resolved later.
      if (refers(json::at_path(*cluster, "spec.dsnSecretRef"), ns, name) || refers(json::at_path(*cluster, "spec.caSecretRef"), ns, name) ||
          (mgc != nullptr && json::get_string(*mgc, "namespace") == ns)) {
        clusters.enqueue(runtime::object_key(*cluster));
      }
    }
    for (const auto& role : c.database_roles->list(ns)) {
      const json::Value* ref = json::at_path(*role, "spec.passwordSecretRef");
      if (ref != nullptr && json::get_string(*ref, "name") == name) roles.enqueue(runtime::object_key(*role));
    }
  });
  c.clusters->add_handler([&c, &clusters, refers](const json::Value& mgc) {
    auto [ns, name] = runtime::split_key(runtime::object_key(mgc));
    for (const auto& cluster : c.database_clusters->list()) {
      if (refers(json::at_path(*cluster, "spec.multigresClusterRef"), ns, name)) clusters.enqueue(runtime::object_key(*cluster));
    }
  });
}

//! A pool pod goes to the drain controller and, while it carries a drain state, to its Shard (pod ->
//! StatefulSet -> Shard, by controlling owners), whose condition Draining and restarts read it. Other
//! pod changes reach the Shard through its StatefulSet's status; routing every pod status update as
//! well would only repeat shard passes during bring-up.
void route_pool_pods(const Caches& c, runtime::Controller& drains, runtime::Controller& shards) {
  c.pool_pods->add_handler([&c, &drains, &shards](const json::Value& pod) {
    drains.enqueue(runtime::object_key(pod));
    if (json::annotation(pod, naming::kDrainAnnotation).empty()) return;
    const json::Value* sts = runtime::controller_of(pod);
    if (sts == nullptr || json::get_string(*sts, "kind") != "StatefulSet") return;
    auto [ns, _] = runtime::split_key(runtime::object_key(pod));
    ObjectPtr owner = c.stateful_sets->get(ns, json::get_string(*sts, "name"));
    const json::Value* shard = owner ? runtime::controller_of(*owner) : nullptr;
    if (shard != nullptr && json::get_string(*shard, "kind") == "Shard") shards.enqueue(ns + "/" + json::get_string(*shard, "name"));
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
  const std::string group = api::kGroupVersion;
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
  c.secrets = &manager.add_informer({.api_version = "v1", .kind = "Secret"});  // unfiltered: see Caches::secrets
  c.pvcs = theirs("v1", "PersistentVolumeClaim");
  c.pool_pods = &manager.add_informer({.api_version = "v1", .kind = "Pod"},
                                      managed + "," + naming::kLabelComponent + "=" + naming::kComponentPool);
  const std::string pg_group = api::kPostgresGroupVersion;
  c.database_clusters = &manager.add_informer({.api_version = pg_group, .kind = "DatabaseCluster"});
  c.databases = &manager.add_informer({.api_version = pg_group, .kind = "Database"});
  c.database_roles = &manager.add_informer({.api_version = pg_group, .kind = "DatabaseRole"});

  auto& clusters = manager.add_controller("MultigresCluster", multigres_cluster_reconciler(ctx));
  auto& topo_servers = manager.add_controller("TopoServer", topo_server_reconciler(ctx));
  auto& cells = manager.add_controller("Cell", cell_reconciler(ctx));
  auto& table_groups = manager.add_controller("TableGroup", table_group_reconciler(ctx));
  auto& shards = manager.add_controller("Shard", shard_reconciler(ctx));
  auto& database_clusters = manager.add_controller("DatabaseCluster", database_cluster_reconciler(ctx));
  auto& databases = manager.add_controller("Database", database_reconciler(ctx));
  auto& database_roles = manager.add_controller("DatabaseRole", database_role_reconciler(ctx));
  auto& drains = manager.add_controller("Pod", drain_reconciler(ctx));

  manager.route_to_self(*c.clusters, clusters);
  manager.route_to_self(*c.topo_servers, topo_servers);
  manager.route_to_self(*c.cells, cells);
  manager.route_to_self(*c.table_groups, table_groups);
  manager.route_to_self(*c.shards, shards);
  manager.route_to_self(*c.database_clusters, database_clusters);
  manager.route_to_self(*c.databases, databases);
  manager.route_to_self(*c.database_roles, database_roles);
  route_postgres(c, database_clusters, databases, database_roles);
  route_pool_pods(c, drains, shards);
  for (Informer* child : {c.topo_servers, c.cells, c.table_groups, c.shards, c.stateful_sets, c.deployments,
                          c.services, c.pdbs, c.config_maps, c.secrets}) {
    manager.route_to_owner(*child);
  }
  route_template(*c.cell_templates, c, clusters);
  route_template(*c.shard_templates, c, clusters);
}

}  // namespace mg::controllers
