// common/resolve/defaults.cpp
#include "common/resolve/defaults.hpp"

#include <algorithm>

namespace mg::resolve {
namespace {

// Pinned image tags, never `latest`: an upgrade is a deliberate change of these lines.
constexpr const char* kMultigresImage = "ghcr.io/multigres/multigres:sha-81b93f4";
constexpr const char* kPgctldImage = "ghcr.io/multigres/pgctld:sha-81b93f4";
constexpr const char* kEtcdImage = "gcr.io/etcd-development/etcd:v3.6.16";

api::Resources resources(const char* req_cpu, const char* req_mem, const char* lim_cpu, const char* lim_mem) {
  return api::Resources{{{"cpu", req_cpu}, {"memory", req_mem}}, {{"cpu", lim_cpu}, {"memory", lim_mem}}};
}

void set_if_empty(std::string& field, const char* value) {
  if (field.empty()) field = value;
}

}  // namespace

void apply_cluster_defaults(api::MultigresClusterSpec& spec) {
  auto& images = spec.images ? *spec.images : spec.images.emplace();
  if (!images.imagePullPolicy) images.imagePullPolicy = api::PullPolicy::IfNotPresent;
  set_if_empty(images.multigateway, kMultigresImage);
  set_if_empty(images.multiorch, kMultigresImage);
  set_if_empty(images.multipooler, kMultigresImage);
  set_if_empty(images.multiadmin, kMultigresImage);
  set_if_empty(images.postgres, kPgctldImage);
  set_if_empty(images.etcd, kEtcdImage);

  auto& topo = spec.globalTopoServer ? *spec.globalTopoServer : spec.globalTopoServer.emplace();
  set_if_empty(topo.rootPath, kGlobalRootPath);
  if (!topo.external) {
    auto& managed = topo.managedSpec ? *topo.managedSpec : topo.managedSpec.emplace();
    if (!managed.replicas) managed.replicas = 3;
    if (!managed.storage) managed.storage = api::Storage{"10Gi", ""};
    if (!managed.resources) managed.resources = resources("500m", "1Gi", "1", "2Gi");
  }

  auto& volumes = spec.pvcDeletionPolicy ? *spec.pvcDeletionPolicy : spec.pvcDeletionPolicy.emplace();
  if (!volumes.whenDeleted) volumes.whenDeleted = kDefaultWhenDeleted;
  if (!volumes.whenScaled) volumes.whenScaled = kDefaultWhenScaled;

  auto& levels = spec.logLevels ? *spec.logLevels : spec.logLevels.emplace();
  for (auto* level :
       {&levels.pgctld, &levels.multipooler, &levels.multiorch, &levels.multiadmin, &levels.multigateway}) {
    if (!*level) *level = api::LogLevel::Info;
  }

  if (spec.externalGateway && spec.externalGateway->enabled && !spec.externalGateway->type) {
    spec.externalGateway->type = kDefaultExternalServiceType;
  }

  auto& admin = spec.multiadmin ? *spec.multiadmin : spec.multiadmin.emplace();
  if (!admin.replicas) admin.replicas = 2;
  if (!admin.resources) admin.resources = resources("200m", "256Mi", "500m", "512Mi");

  if (spec.databases.empty()) spec.databases.push_back(api::ClusterDatabase{kDefaultDatabase, {}, {}});
  for (auto& db : spec.databases) {
    if (!db.durabilityPolicy) db.durabilityPolicy = api::DurabilityPolicy::AtLeast2;
    if (db.tablegroups.empty()) db.tablegroups.push_back(api::ClusterTableGroup{kDefaultTableGroup, {}});
    for (auto& tg : db.tablegroups) {
      if (tg.shards.empty()) tg.shards.push_back(api::ClusterShard{kDefaultShard, {}, {}, {}});
    }
  }

  auto& backup = spec.backup ? *spec.backup : spec.backup.emplace();
  if (!backup.s3) {
    auto& fs = backup.filesystem ? *backup.filesystem : backup.filesystem.emplace();
    set_if_empty(fs.path, "/backups");
    if (!fs.storage) fs.storage = api::Storage{"10Gi", ""};
    // Shared across nodes: a shard's pool pods run on several nodes (AT_LEAST_2 wants two of them).
    if (!fs.accessMode) fs.accessMode = api::BackupAccessMode::ReadWriteMany;
  }
}

api::CellConfig builtin_cell_config() {
  api::CellConfig c;
  c.multiGateway = api::StatelessSpec{{}, 2, resources("100m", "256Mi", "500m", "512Mi"), {}};
  return c;
}

api::ShardConfig builtin_shard_config() {
  api::ShardConfig s;
  s.multiOrch = api::StatelessSpec{{}, 1, resources("100m", "128Mi", "200m", "256Mi"), {}};
  return s;
}

api::PoolSpec builtin_pool() {
  api::PoolSpec p;
  p.type = api::PoolType::ReadWrite;
  p.replicas = 2;  // AT_LEAST_2 needs two poolers before a leader is elected
  p.storage = api::Storage{"10Gi", ""};
  p.postgres = resources("500m", "1Gi", "2", "4Gi");
  p.multipooler = resources("100m", "256Mi", "500m", "512Mi");
  return p;
}

api::ShardConfig builtin_default_pools() {
  api::ShardConfig s;
  s.pools[kDefaultPool] = api::PoolSpec{};
  return s;
}

std::map<std::string, std::string> postgres_config_defaults(const std::map<std::string, api::ResolvedPool>& pools) {
  std::optional<long double> smallest;
  for (const auto& [name, pool] : pools) {
    const auto& limits = pool.postgres.limits;
    const auto& requests = pool.postgres.requests;
    const api::Quantity* memory = limits.count("memory")     ? &limits.at("memory")
                                  : requests.count("memory") ? &requests.at("memory")
                                                             : nullptr;
    if (!memory) continue;
    auto bytes = api::parse_quantity(memory->value);
    if (bytes && *bytes > 0 && (!smallest || *bytes < *smallest)) smallest = bytes;
  }
  if (!smallest) return {};
  constexpr long double kMiB = 1024.0L * 1024.0L;
  const auto mib = static_cast<int64_t>(*smallest / kMiB);
  return {
      {"shared_buffers", std::to_string(std::max<int64_t>(mib / 4, 16)) + "MB"},
      {"effective_cache_size", std::to_string(std::max<int64_t>(mib * 3 / 4, 32)) + "MB"},
      {"max_connections", std::to_string(std::clamp<int64_t>(mib / 16, kMinMaxConnections, kMaxMaxConnections))},
  };
}

std::string local_root_path(const std::string& cell) { return "/multigres/" + cell; }

std::string cell_name(const api::ClusterCell& cell) {
  if (!cell.name.empty()) return cell.name;
  return cell.zone.empty() ? cell.region : cell.zone;
}

}  // namespace mg::resolve
