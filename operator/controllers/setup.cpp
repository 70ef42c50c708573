// operator/controllers/setup.cpp
#include "operator/controllers/setup.hpp"

#include <map>

#include "common/api/meta.hpp"
#include "common/naming/labels.hpp"
#include "operator/controllers/controllers.hpp"

namespace mg::controllers {
namespace {

//! The informers behind Caches by kind, where handlers are added (Caches holds them as read-only stores).
using Informers = std::map<std::string, runtime::Informer*>;

//! The label selector of each kind's informer: our own kinds, the postgres kinds and Secrets whole (see
//! Caches::secrets); Kubernetes kinds only where we manage them; pods only those of pools.
std::string selector_for(const CachedKind& k) {
  const std::string api_version = k.api_version;
  const std::string kind = k.kind;
  if (api_version == api::kGroupVersion || api_version == api::kPostgresGroupVersion || kind == "Secret") return "";
  const std::string managed = std::string(naming::kLabelManagedBy) + "=" + naming::kManagerName;
  if (kind == "Pod") return managed + "," + naming::kLabelComponent + "=" + naming::kComponentPool;
  return managed;
}

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
void route_template(runtime::Informer& templates, const Caches& caches, runtime::Controller& clusters) {
  templates.add_handler([&caches, &clusters](const json::Value& tmpl) {
    for (const std::string& key : clusters_using_template(*caches.clusters, tmpl)) clusters.enqueue(key);
  });
}

//! postgres.multigres.com: a DatabaseCluster change brings back its Databases and DatabaseRoles; a
//! Secret change the DatabaseClusters and DatabaseRoles that read it; a MultigresCluster change the
//! DatabaseClusters that point at it.
void route_postgres(const Caches& c, const Informers& i, runtime::Controller& clusters, runtime::Controller& databases,
                    runtime::Controller& roles) {
  auto uses_cluster = [](const json::Value& object, const std::string& name) {
    const json::Value* ref = json::at_path(object, "spec.databaseClusterRef");
    return ref != nullptr && json::get_string(*ref, "name") == name;
  };
  i.at("DatabaseCluster")->add_handler([&c, &databases, &roles, uses_cluster](const json::Value& cluster) {
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
  i.at("Secret")->add_handler([&c, &clusters, &roles, refers](const json::Value& secret) {
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
  i.at("MultigresCluster")->add_handler([&c, &clusters, refers](const json::Value& mgc) {
    auto [ns, name] = runtime::split_key(runtime::object_key(mgc));
    for (const auto& cluster : c.database_clusters->list()) {
      if (refers(json::at_path(*cluster, "spec.multigresClusterRef"), ns, name))
        clusters.enqueue(runtime::object_key(*cluster));
    }
  });
}

//! A deleted Secret's data goes from Context::secret_data with it (the handler sees the last state of a
//! deleted object after the cache dropped it).
void forget_deleted_secrets(runtime::Informer& secrets, const Context& ctx) {
  secrets.add_handler([&ctx](const json::Value& secret) {
    auto [ns, name] = runtime::split_key(runtime::object_key(secret));
    if (ctx.secret_data != nullptr && !ctx.caches.secrets->contains(ns, name)) ctx.secret_data->forget(ns, name);
  });
}

//! A pool pod goes to the drain controller and, while it carries a drain state, to its Shard (pod ->
//! StatefulSet -> Shard, by controlling owners), whose condition Draining and restarts read it. Other
//! pod changes reach the Shard through its StatefulSet's status; routing every pod status update as
//! well would only repeat shard passes during bring-up.
void route_pool_pods(const Caches& c, runtime::Informer& pods, runtime::Controller& drains,
                     runtime::Controller& shards) {
  pods.add_handler([&c, &drains, &shards](const json::Value& pod) {
    drains.enqueue(runtime::object_key(pod));
    if (auto shard = shard_to_tell(*c.stateful_sets, pod)) shards.enqueue(*shard);
  });
}

}  // namespace

std::vector<std::string> clusters_using_template(const ObjectStore& clusters, const json::Value& tmpl) {
  auto [ns, name] = runtime::split_key(runtime::object_key(tmpl));
  std::vector<std::string> keys;
  for (const auto& cluster : clusters.list(ns)) {
    if (cluster_uses_template(*cluster, name)) keys.push_back(runtime::object_key(*cluster));
  }
  return keys;
}

std::optional<std::string> shard_to_tell(const ObjectStore& stateful_sets, const json::Value& pod) {
  if (json::annotation(pod, naming::kDrainAnnotation).empty()) return std::nullopt;
  const json::Value* sts = runtime::controller_of(pod);
  if (sts == nullptr || json::get_string(*sts, "kind") != "StatefulSet") return std::nullopt;
  auto [ns, _] = runtime::split_key(runtime::object_key(pod));
  ObjectPtr owner = stateful_sets.get(ns, json::get_string(*sts, "name"));
  const json::Value* shard = owner ? runtime::controller_of(*owner) : nullptr;
  if (shard == nullptr || json::get_string(*shard, "kind") != "Shard") return std::nullopt;
  return ns + "/" + json::get_string(*shard, "name");
}

bool cluster_uses_template(const json::Value& cluster, const std::string& name) {
  if (name == "default" || lists_template(cluster, name)) return true;
  const json::Value* spec = json::find(cluster, "spec");
  return spec != nullptr && (names_template(*spec, "cellTemplate", name) || names_template(*spec, "shardTemplate", name));
}

void register_controllers(runtime::Manager& manager, Context& ctx) {
  Informers i;
  for (const CachedKind& k : cached_kinds()) {
    runtime::Informer* informer =
        &manager.add_informer({.api_version = k.api_version, .kind = k.kind}, selector_for(k), k.trim);
    ctx.caches.*(k.member) = informer;
    i[k.kind] = informer;
  }
  const Caches& c = ctx.caches;

  auto& clusters = manager.add_controller("MultigresCluster", multigres_cluster_reconciler(ctx));
  auto& topo_servers = manager.add_controller("TopoServer", topo_server_reconciler(ctx));
  auto& cells = manager.add_controller("Cell", cell_reconciler(ctx));
  auto& table_groups = manager.add_controller("TableGroup", table_group_reconciler(ctx));
  auto& shards = manager.add_controller("Shard", shard_reconciler(ctx));
  auto& backups = manager.add_controller("MultigresBackup", multigres_backup_reconciler(ctx));
  auto& schedules = manager.add_controller("MultigresBackupSchedule", multigres_backup_schedule_reconciler(ctx));
  auto& restores = manager.add_controller("MultigresRestore", multigres_restore_reconciler(ctx));
  auto& database_clusters = manager.add_controller("DatabaseCluster", database_cluster_reconciler(ctx));
  auto& databases = manager.add_controller("Database", database_reconciler(ctx));
  auto& database_roles = manager.add_controller("DatabaseRole", database_role_reconciler(ctx));
  auto& drains = manager.add_controller("Pod", drain_reconciler(ctx));

  manager.route_to_self(*i.at("MultigresCluster"), clusters);
  manager.route_to_self(*i.at("TopoServer"), topo_servers);
  manager.route_to_self(*i.at("Cell"), cells);
  manager.route_to_self(*i.at("TableGroup"), table_groups);
  manager.route_to_self(*i.at("Shard"), shards);
  manager.route_to_self(*i.at("MultigresBackup"), backups);
  manager.route_to_self(*i.at("MultigresBackupSchedule"), schedules);
  manager.route_to_self(*i.at("MultigresRestore"), restores);
  manager.route_to_self(*i.at("DatabaseCluster"), database_clusters);
  manager.route_to_self(*i.at("Database"), databases);
  manager.route_to_self(*i.at("DatabaseRole"), database_roles);
  route_postgres(c, i, database_clusters, databases, database_roles);
  forget_deleted_secrets(*i.at("Secret"), ctx);
  route_pool_pods(c, *i.at("Pod"), drains, shards);
  for (const char* child : {"TopoServer", "Cell", "TableGroup", "Shard", "StatefulSet", "Deployment", "Service",
                            "PodDisruptionBudget", "ConfigMap", "Secret", "MultigresBackup", "Job"}) {
    manager.route_to_owner(*i.at(child));
  }
  route_template(*i.at("CellTemplate"), c, clusters);
  route_template(*i.at("ShardTemplate"), c, clusters);
}

}  // namespace mg::controllers
