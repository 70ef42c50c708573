// common/resolve/defaults.hpp
//! Every hard-coded default, in one place (seed 000 "Global Defaults" plus what the data plane needs).
//! The resolver applies them, and `kubectl multigres render` shows them; nothing else invents values.
//! Pure: no I/O.
#pragma once

#include <map>
#include <string>

#include "common/api/children.hpp"
#include "common/api/multigres_cluster.hpp"

namespace mg::resolve {

inline constexpr const char* kDefaultTemplate = "default";
inline constexpr const char* kDefaultDatabase = "postgres";
inline constexpr const char* kDefaultTableGroup = "default";
inline constexpr const char* kDefaultShard = "0-inf";
inline constexpr const char* kDefaultPool = "default";
inline constexpr const char* kGlobalRootPath = "/multigres/global";
inline constexpr const char* kPasswordKey = "password";
inline constexpr int32_t kEtcdClientPort = 2379;
//! PostgreSQL's port: postgres in a pool pod, the gateway's PostgreSQL listener, and an external server
//! (postgres.multigres.com) given without a port.
inline constexpr int32_t kPostgresPort = 5432;
//! The Multigres release whose limits the resolver knows (the data plane the tests run:
//! tests/cluster/multigres/go.mod pins github.com/multigres/multigres at this version).
inline constexpr const char* kMultigresVersion = "v0.1.0";
//! A pool's data volume policy when nothing sets it (and for a Shard written before the field existed):
//! keep a pool's data when it goes, so a re-created cluster finds it; drop a scaled-away pod's volume, so
//! a later scale-up restores a fresh replica from the backup instead of starting from stale data.
inline constexpr api::PVCRetention kDefaultWhenDeleted = api::PVCRetention::Retain;
inline constexpr api::PVCRetention kDefaultWhenScaled = api::PVCRetention::Delete;
//! The external gateway's Service type when enabled without one.
inline constexpr api::ExternalServiceType kDefaultExternalServiceType = api::ExternalServiceType::LoadBalancer;

//! MultigresBackups of a schedule kept when its history limits are unset (as a CronJob keeps its Jobs).
inline constexpr int32_t kDefaultSuccessfulBackupsHistory = 3;
inline constexpr int32_t kDefaultFailedBackupsHistory = 1;

//! Fills every unset cluster-level field: images, global topology server, multiadmin, the database /
//! tablegroup / shard hierarchy, backup location and durability policies. Idempotent.
void apply_cluster_defaults(api::MultigresClusterSpec& spec);

//! The cell configuration under every template (gateway sizing).
api::CellConfig builtin_cell_config();

//! The shard configuration under every template (multiorch sizing; no pools).
api::ShardConfig builtin_shard_config();

//! Fields a pool gets when no layer set them.
api::PoolSpec builtin_pool();

//! The pool used when no layer defines any pool.
api::ShardConfig builtin_default_pools();

//! The PostgreSQL settings sized from the pools' postgres memory (its limit, else its request; the
//! smallest pool's, so every pod can take them and a standby never has fewer connections than its
//! primary, which PostgreSQL refuses): shared_buffers a quarter, effective_cache_size three quarters,
//! max_connections one per 16 MiB within [kMinMaxConnections, kMaxMaxConnections]. Empty when no pool
//! states its memory (pgctld's own defaults then stand). The user's postgresConfig goes over these.
std::map<std::string, std::string> postgres_config_defaults(const std::map<std::string, api::ResolvedPool>& pools);
//! max_connections stays above multipooler's pool (--connpool-global-capacity), the WAL senders and
//! PostgreSQL's reserved superuser slots; 60 is pgctld's own default.
inline constexpr int64_t kMinMaxConnections = 60;
inline constexpr int64_t kMaxMaxConnections = 1000;

//! The root path of a cell's own topology server.
std::string local_root_path(const std::string& cell);

//! A cell entry's name after defaulting (name, else zone, else region).
std::string cell_name(const api::ClusterCell& cell);

}  // namespace mg::resolve
