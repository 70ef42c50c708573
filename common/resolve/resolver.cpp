// common/resolve/resolver.cpp
#include "common/resolve/resolver.hpp"

#include <algorithm>
#include <set>

#include "common/api/owner.hpp"
#include "common/naming/labels.hpp"
#include "common/naming/names.hpp"
#include "common/resolve/defaults.hpp"
#include "common/resolve/layering.hpp"
#include "common/resolve/validate.hpp"

namespace mg::resolve {
namespace {

//! State shared while resolving one cluster.
struct Context {
  const api::MultigresCluster& cluster;
  const Templates& templates;
  api::MultigresClusterSpec spec;  // with cluster defaults applied
  std::string ns;
  Resolution out;
  std::set<std::string> used_cell_templates;
  std::set<std::string> used_shard_templates;
  std::vector<std::string> cell_names;
  std::map<std::string, api::CellPlacement> placements;
  api::FieldErrors warnings;  // ResolvedCluster::dataPlaneWarnings
};

api::ObjectMeta child_meta(const Context& c, std::string name, const naming::Scope& scope,
                           const api::OwnerReference& owner) {
  api::ObjectMeta m;
  m.name = std::move(name);
  m.namespace_ = c.ns;
  m.labels = naming::labels(scope);
  m.ownerReferences = {owner};
  return m;
}

api::ComponentSpec component(const std::optional<api::StatelessSpec>& s, const std::optional<api::LogLevel>& level) {
  api::ComponentSpec out;
  out.logLevel = *level;
  if (!s) return out;
  out.replicas = s->replicas.value_or(0);
  out.resources = s->resources.value_or(api::Resources{});
  out.affinity = s->affinity;
  static_cast<api::PodOptions&>(out) = *s;
  return out;
}

api::TopoServerSpec managed_topo(const Context& c, const api::ManagedTopoSpec& m, std::string cell,
                                 std::string root) {
  const auto& images = *c.spec.images;
  api::TopoServerSpec t;
  t.clusterName = c.cluster.metadata.name;
  t.cell = std::move(cell);
  t.rootPath = std::move(root);
  t.image = images.etcd;
  t.imagePullPolicy = images.imagePullPolicy;
  t.imagePullSecrets = images.imagePullSecrets;
  t.replicas = m.replicas.value_or(3);
  t.storage = m.storage.value_or(api::Storage{"10Gi", ""});
  t.resources = m.resources.value_or(api::Resources{});
  static_cast<api::PodOptions&>(t) = m;
  return t;
}

// The managed etcd speaks plaintext, and says so: Multigres gives a process one etcd TLS setting for
// every topology server it dials, and the etcd client (go.etcd.io/etcd/client/v3 v3.6.10, client.go
// credentialsForEndpoint) drops it for http:// endpoints but uses it for bare host:port ones. So with a
// TLS global topology, a cell's managed etcd is still reached in plaintext.
api::TopoReference topo_reference_for_managed(const Context& c, const std::string& topo_name, std::string root) {
  std::string service = naming::etcd_client_service(topo_name);
  return api::TopoReference{
      {"http://" + service + "." + c.ns + ".svc:" + std::to_string(kEtcdClientPort)}, std::move(root), service, "", ""};
}

api::TopoReference topo_reference_for_external(const api::ExternalTopoSpec& e, std::string root) {
  return api::TopoReference{e.endpoints, std::move(root), "", e.caSecret, e.clientCertSecret};
}

// --- global topology and admin -------------------------------------------------------------

api::TopoReference resolve_global_topo(Context& c, ResolvedCluster& rc) {
  const auto& g = *c.spec.globalTopoServer;
  if (g.external) return topo_reference_for_external(*g.external, g.rootPath);
  std::string name = naming::global_topo_server(c.cluster.metadata.name);
  api::TopoServer topo;
  topo.metadata = child_meta(c, name, {.cluster = c.cluster.metadata.name, .component = naming::kComponentTopo, .topo_server = name},
                             rc.owner);
  topo.spec = managed_topo(c, *g.managedSpec, "", g.rootPath);
  rc.globalTopoServer = std::move(topo);
  return topo_reference_for_managed(c, name, g.rootPath);
}

AdminSpec resolve_admin(const Context& c, const api::TopoReference& global) {
  const auto& images = *c.spec.images;
  return AdminSpec{component(c.spec.multiadmin, c.spec.logLevels->multiadmin), images.multiadmin,
                   images.imagePullPolicy, images.imagePullSecrets, global};
}

// --- cells ----------------------------------------------------------------------------------

api::CellTopoServer resolve_cell_topo(const Context& c, const std::optional<api::LocalTopoServerSpec>& local,
                                      const std::string& cell) {
  api::CellTopoServer out;
  if (!local) return out;
  std::string root = local->rootPath.empty() ? local_root_path(cell) : local->rootPath;
  if (local->external) {
    out.external = topo_reference_for_external(*local->external, root);
  } else {
    out.managedSpec = managed_topo(c, local->managedSpec.value_or(api::ManagedTopoSpec{}), cell, root);
  }
  return out;
}

bool has_https(const api::TopoReference& topo) {
  return std::any_of(topo.addresses.begin(), topo.addresses.end(),
                     [](const std::string& a) { return a.rfind("https://", 0) == 0; });
}

// Multigres v0.1.0 gives a process one etcd TLS setting (--topo-etcd-tls-*) for the global topology and
// every cell's it dials (gateways and multiadmin dial them all), taken here from the global topology. A
// cell's external etcd reached over https:// is therefore dialled with the global's CA and certificate.
void check_cell_topo_tls(Context& c, const api::TopoReference& global, const api::CellTopoServer& local,
                         const std::string& path) {
  if (!local.external || !has_https(*local.external)) return;
  const auto& l = *local.external;
  bool same = l.caSecret == global.caSecret && l.clientCertSecret == global.clientCertSecret;
  if (same) return;
  std::string why = "Multigres " + std::string(kMultigresVersion) +
                    " dials every topology server of a process with one TLS setting, the global topology's (" +
                    (global.clientCertSecret.empty() ? std::string("none")
                                                     : "caSecret \"" + global.caSecret + "\", clientCertSecret \"" +
                                                           global.clientCertSecret + "\"") +
                    ")";
  c.out.errors.push_back({path + ".localTopoServer.external",
                          why + ": give this cell's https:// etcd the same caSecret and clientCertSecret as "
                                "spec.globalTopoServer.external, or leave it out and use the global topology"});
}

void resolve_cells(Context& c, ResolvedCluster& rc, const api::TopoReference& global) {
  for (size_t i = 0; i < c.spec.cells.size(); ++i) {
    const auto& entry = c.spec.cells[i];
    std::string name = cell_name(entry);
    bool found = false;
    api::CellConfig config = layer(builtin_cell_config(),
                                   {entry.cellTemplate, "CellTemplate", "spec.cells[" + std::to_string(i) + "]"},
                                   entry.overrides, entry.spec, c.templates.cell, c.used_cell_templates,
                                   c.out.errors, c.out.missingTemplates, found);
    api::Cell cell;
    cell.metadata = child_meta(c, naming::cell(c.cluster.metadata.name, name),
                               {.cluster = c.cluster.metadata.name, .component = naming::kComponentCell, .cell = name}, rc.owner);
    const auto& images = *c.spec.images;
    cell.spec.clusterName = c.cluster.metadata.name;
    cell.spec.name = name;
    cell.spec.zone = entry.zone;
    cell.spec.region = entry.region;
    cell.spec.images = api::CellImages{images.multigateway, images.imagePullPolicy, images.imagePullSecrets};
    cell.spec.multiGateway = component(config.multiGateway, c.spec.logLevels->multigateway);
    cell.spec.globalTopoServer = global;
    cell.spec.topoServer = resolve_cell_topo(c, config.localTopoServer, name);
    check_cell_topo_tls(c, global, cell.spec.topoServer, "spec.cells[" + std::to_string(i) + "]");
    cell.spec.allCells = c.cell_names;
    rc.cells.push_back(std::move(cell));
  }
}

// --- shards ---------------------------------------------------------------------------------

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

void check_durability(Context& c, api::DurabilityPolicy policy, const api::ResolvedShard& shard,
                      const std::string& path) {
  int32_t replicas = 0;
  std::set<std::string> cells;
  for (const auto& [name, pool] : shard.pools) {
    replicas += pool.replicas;
    if (pool.replicas > 0) cells.insert(pool.cell);
  }
  bool writable = std::any_of(shard.pools.begin(), shard.pools.end(), [](const auto& p) {
    return p.second.type == api::PoolType::ReadWrite && p.second.replicas > 0;
  });
  if (!writable) {
    c.out.errors.push_back({path + ".pools", "no readWrite pool with replicas: the shard could never elect a "
                                             "primary; give one pool type readWrite"});
  }
  if (replicas < 2) {
    c.out.errors.push_back({path + ".pools", "durability policy needs at least 2 pool replicas in the shard, found " +
                                                 std::to_string(replicas) + ": raise replicas"});
  }
  if (policy == api::DurabilityPolicy::MultiCellAtLeast2 && cells.size() < 2) {
    c.out.errors.push_back({path + ".pools", "MULTI_CELL_AT_LEAST_2 needs pools in at least 2 cells, found " +
                                                 std::to_string(cells.size()) +
                                                 ": put a pool in another cell or use AT_LEAST_2"});
  }
}

//! `outer` with the fields `inner` sets replaced: the innermost setting of each field wins.
api::PVCDeletionPolicy innermost(api::PVCDeletionPolicy outer, const std::optional<api::PVCDeletionPolicy>& inner) {
  if (inner) api::merge(outer, *inner);
  return outer;
}

api::ResolvedPool resolve_pool(Context& c, const std::string& pool_name, const api::PoolSpec& layered,
                               const api::PVCDeletionPolicy& shard_volumes, const std::string& path) {
  api::PoolSpec p = builtin_pool();
  api::merge(p, layered);
  api::ResolvedPool out;
  out.type = *p.type;
  if (out.type == api::PoolType::ReadOnly) {
    // v0.1.0's multipooler has no pooler type of its own (go/services/multipooler/init.go): roles are
    // elected, and reads reach replicas only through the gateway's replica port.
    c.warnings.push_back({path + ".pools[" + pool_name + "].type",
                          "readOnly: Multigres " + std::string(kMultigresVersion) +
                              " cannot keep a pooler out of primary elections, so this pool's pods are replicas "
                              "that may become primary like any other; read from replicas through the "
                              "gateway Service's pg-replica port (every replica serves it)"});
  }
  out.cell = p.cell.value_or("");
  out.replicas = *p.replicas;
  out.storage = *p.storage;
  out.postgres = *p.postgres;
  out.multipooler = *p.multipooler;
  out.affinity = p.affinity;
  static_cast<api::PodOptions&>(out) = p;
  out.pgctldLogLevel = *c.spec.logLevels->pgctld;
  out.multipoolerLogLevel = *c.spec.logLevels->multipooler;
  out.pvcDeletionPolicy = innermost(shard_volumes, p.pvcDeletionPolicy);
  std::string cell_path = path + ".pools[" + pool_name + "].cell";
  if (out.cell.empty()) {
    if (c.cell_names.size() == 1) {
      out.cell = c.cell_names.front();
    } else {
      c.out.errors.push_back({cell_path, "not set and the cluster has " + std::to_string(c.cell_names.size()) +
                                             " cells (" + join(c.cell_names) + "): set overrides.pools." + pool_name +
                                             ".cell to one of them"});
    }
  } else if (!c.placements.count(out.cell)) {
    c.out.errors.push_back({cell_path, "cell \"" + out.cell + "\" is not in spec.cells (" + join(c.cell_names) +
                                           "): use one of them, or add the cell"});
  }
  return out;
}

api::ResolvedShard resolve_shard(Context& c, const api::ClusterShard& entry, api::DurabilityPolicy policy,
                                 const api::PVCDeletionPolicy& tablegroup_volumes, const std::string& path) {
  bool found = false;
  api::ShardConfig config = layer(builtin_shard_config(), {entry.shardTemplate, "ShardTemplate", path},
                                  entry.overrides, entry.spec, c.templates.shard, c.used_shard_templates,
                                  c.out.errors, c.out.missingTemplates, found);
  if (config.pools.empty()) config.pools = builtin_default_pools().pools;
  api::ResolvedShard shard;
  shard.name = entry.name;
  shard.multiOrch = component(config.multiOrch, c.spec.logLevels->multiorch);
  const api::PVCDeletionPolicy volumes = innermost(tablegroup_volumes, config.pvcDeletionPolicy);
  for (const auto& [name, pool] : config.pools) shard.pools[name] = resolve_pool(c, name, pool, volumes, path);
  shard.postgresConfig = postgres_config_defaults(shard.pools);
  for (const auto& [name, value] : config.postgresConfig) shard.postgresConfig[name] = value;
  shard.initdbArgs = config.initdbArgs.value_or("");
  check_durability(c, policy, shard, path);
  return shard;
}

api::ShardEnvironment environment(const Context& c, const ResolvedCluster& rc, const api::TopoReference& global,
                                  api::DurabilityPolicy policy) {
  const auto& images = *c.spec.images;
  api::ShardEnvironment env;
  env.clusterName = c.cluster.metadata.name;
  env.durabilityPolicy = policy;
  env.images = api::ShardImages{images.multiorch, images.multipooler, images.postgres, images.imagePullPolicy,
                                images.imagePullSecrets};
  env.globalTopoServer = global;
  env.backup = *c.spec.backup;
  const auto& ref = c.spec.postgres ? c.spec.postgres->passwordSecretRef : std::nullopt;
  env.passwordSecret = ref ? *ref : api::SecretKeySelector{rc.passwordSecretName, kPasswordKey};
  env.cells = c.placements;
  return env;
}

void resolve_table_groups(Context& c, ResolvedCluster& rc, const api::TopoReference& global) {
  for (size_t d = 0; d < c.spec.databases.size(); ++d) {
    const auto& db = c.spec.databases[d];
    auto policy = db.durabilityPolicy.value_or(api::DurabilityPolicy::AtLeast2);
    for (size_t t = 0; t < db.tablegroups.size(); ++t) {
      const auto& tg = db.tablegroups[t];
      std::string tg_path = "spec.databases[" + std::to_string(d) + "].tablegroups[" + std::to_string(t) + "]";
      api::TableGroup group;
      group.metadata = child_meta(c, naming::table_group(c.cluster.metadata.name, db.name, tg.name),
                                  {.cluster = c.cluster.metadata.name, .component = naming::kComponentTableGroup, .database = db.name, .tablegroup = tg.name},
                                  rc.owner);
      group.spec.databaseName = db.name;
      group.spec.tableGroupName = tg.name;
      group.spec.environment = environment(c, rc, global, policy);
      for (size_t s = 0; s < tg.shards.size(); ++s) {
        std::string path = tg_path + ".shards[" + std::to_string(s) + "]";
        group.spec.shards.push_back(
            resolve_shard(c, tg.shards[s], policy, innermost(*c.spec.pvcDeletionPolicy, tg.pvcDeletionPolicy), path));
        if (tg.name != kDefaultTableGroup || tg.shards[s].name != kDefaultShard) {
          rc.unservedShards.push_back({db.name + "/" + tg.name + "/" + tg.shards[s].name, path});
        }
      }
      rc.tableGroups.push_back(std::move(group));
    }
  }
}

template <class Template>
void check_used_templates(const std::set<std::string>& used, const std::map<std::string, Template>& templates,
                          const std::string& kind, api::FieldErrors& errors) {
  for (const auto& name : used) {
    api::FieldErrors found;
    validate_template(templates.at(name), found);
    for (auto& e : found) errors.push_back({kind + "/" + name + " " + e.path, std::move(e.message)});
  }
}

}  // namespace

Resolution resolve(const api::MultigresCluster& cluster, const Templates& templates) {
  Context c{cluster, templates, cluster.spec, cluster.metadata.namespace_.empty() ? "default" : cluster.metadata.namespace_,
            {}, {}, {}, {}, {}};
  validate_spec(cluster, c.out.errors);
  if (!c.out.errors.empty()) return std::move(c.out);
  apply_cluster_defaults(c.spec);
  for (const auto& cell : c.spec.cells) {
    c.cell_names.push_back(cell_name(cell));
    c.placements[cell_name(cell)] = api::CellPlacement{cell.zone, cell.region};
  }

  ResolvedCluster rc;
  rc.name = cluster.metadata.name;
  rc.namespace_ = c.ns;
  rc.owner = api::owner_reference(cluster);
  const auto& ref = c.spec.postgres ? c.spec.postgres->passwordSecretRef : std::nullopt;
  rc.generatePassword = !ref.has_value();
  rc.passwordSecretName = ref ? ref->name : naming::password_secret(cluster.metadata.name);

  api::TopoReference global = resolve_global_topo(c, rc);
  rc.multiadmin = resolve_admin(c, global);
  if (c.spec.externalGateway && c.spec.externalGateway->enabled) rc.externalGateway = c.spec.externalGateway;
  resolve_cells(c, rc, global);
  resolve_table_groups(c, rc, global);
  rc.templates.cellTemplates.assign(c.used_cell_templates.begin(), c.used_cell_templates.end());
  rc.templates.shardTemplates.assign(c.used_shard_templates.begin(), c.used_shard_templates.end());
  // The API server admits what only these checks refuse (no CEL rule fits the budget), so a template in
  // use is checked here too, its errors named after it.
  check_used_templates(c.used_cell_templates, templates.cell, "CellTemplate", c.out.errors);
  check_used_templates(c.used_shard_templates, templates.shard, "ShardTemplate", c.out.errors);
  if (!c.out.errors.empty()) return std::move(c.out);
  for (const auto& tg : rc.tableGroups) {
    for (auto& shard : shards_for(tg)) rc.shards.push_back(std::move(shard));
  }
  rc.dataPlaneWarnings = std::move(c.warnings);
  c.out.cluster = std::move(rc);
  return std::move(c.out);
}

std::vector<api::Shard> shards_for(const api::TableGroup& tg) {
  std::vector<api::Shard> out;
  const std::string& cluster = tg.spec.environment.clusterName;
  for (const auto& s : tg.spec.shards) {
    api::Shard shard;
    shard.metadata.name = naming::shard(cluster, tg.spec.databaseName, tg.spec.tableGroupName, s.name);
    shard.metadata.namespace_ = tg.metadata.namespace_;
    shard.metadata.labels = naming::labels(
        {.cluster = cluster, .component = naming::kComponentShard, .database = tg.spec.databaseName, .tablegroup = tg.spec.tableGroupName, .shard = s.name});
    shard.metadata.ownerReferences = {api::owner_reference(tg)};
    shard.spec.databaseName = tg.spec.databaseName;
    shard.spec.tableGroupName = tg.spec.tableGroupName;
    shard.spec.shardName = s.name;
    shard.spec.environment = tg.spec.environment;
    shard.spec.multiOrch = s.multiOrch;
    shard.spec.pools = s.pools;
    shard.spec.postgresConfig = s.postgresConfig;
    shard.spec.initdbArgs = s.initdbArgs;
    for (const auto& [pool_name, pool] : s.pools) {
      shard.spec.replicas = std::max(shard.spec.replicas.value_or(0), pool.replicas);
    }
    if (shard.spec.replicas) {
      shard.metadata.annotations[naming::kAppliedReplicasAnnotation] = std::to_string(*shard.spec.replicas);
    }
    out.push_back(std::move(shard));
  }
  return out;
}

std::optional<api::TopoServer> local_topo_server_for(const api::Cell& cell) {
  if (!cell.spec.topoServer.managedSpec) return std::nullopt;
  const std::string& cluster = cell.spec.clusterName;
  api::TopoServer topo;
  std::string name = naming::local_topo_server(cluster, cell.spec.name);
  topo.metadata.name = name;
  topo.metadata.namespace_ = cell.metadata.namespace_;
  topo.metadata.labels = naming::labels({.cluster = cluster, .component = naming::kComponentTopo, .cell = cell.spec.name, .topo_server = name});
  topo.metadata.ownerReferences = {api::owner_reference(cell)};
  topo.spec = *cell.spec.topoServer.managedSpec;
  return topo;
}

std::string unserved_shard_warning(const UnservedShard& shard) {
  return shard.path + ": shard " + shard.shard + " cannot be served by Multigres " + kMultigresVersion +
         ", which serves tablegroup " + kDefaultTableGroup + " with shard " + kDefaultShard +
         " only (its poolers would exit at start-up); it is kept for a later Multigres, and data that must be "
         "served today goes in tablegroup " + kDefaultTableGroup + ", shard " + kDefaultShard;
}

std::string unserved_shards_message(const std::vector<UnservedShard>& shards) {
  if (shards.empty()) return "";
  // A cluster may declare many: name a few, count the rest (a condition message stays short).
  constexpr size_t kNamed = 5;
  std::string names;
  for (size_t i = 0; i < shards.size() && i < kNamed; ++i) names += (i == 0 ? "" : ", ") + shards[i].shard;
  if (shards.size() > kNamed) names += " and " + std::to_string(shards.size() - kNamed) + " more";
  return std::to_string(shards.size()) + " shard(s) not served by Multigres " + kMultigresVersion + " (" + names +
         "): it serves tablegroup " + std::string(kDefaultTableGroup) + " with shard " + kDefaultShard +
         " only; kubectl multigres validate names their fields";
}

}  // namespace mg::resolve
