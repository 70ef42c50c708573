// common/naming/names.hpp
//! Every object name the operator makes, in one place. A name is readable parts joined by '-',
//! lowercased, other characters turned into '-', then an 8-hex FNV-1a hash of the raw parts, so two
//! clusters in one namespace never collide; when too long it is cut to the kind's limit keeping the hash.
//! Pure: no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace mg::naming {

inline constexpr size_t kMaxObjectName = 253;   //!< DNS subdomain: CRs, Deployments, ConfigMaps, Secrets
inline constexpr size_t kMaxDnsLabel = 63;      //!< Services, PDBs, PVCs, label values
inline constexpr size_t kMaxStatefulSet = 52;   //!< pod names get "-N" and controller-revision-hash

//! 8 lowercase hex digits of FNV-1a 32 over each part followed by a NUL byte.
std::string hash_parts(const std::vector<std::string>& parts);

//! Joined, sanitised, hashed name of at most `limit` characters; starts with a letter.
std::string join_hashed(const std::vector<std::string>& parts, size_t limit);

//! A valid label value for `value`: kept when valid, else sanitised and hashed to fit 63.
std::string label_value(const std::string& value);

// --- Children CRs
std::string global_topo_server(const std::string& cluster);
std::string local_topo_server(const std::string& cluster, const std::string& cell);
std::string cell(const std::string& cluster, const std::string& cell);
std::string table_group(const std::string& cluster, const std::string& db, const std::string& tg);
std::string shard(const std::string& cluster, const std::string& db, const std::string& tg, const std::string& shard);

// --- etcd (per TopoServer CR name)
std::string etcd_stateful_set(const std::string& topo_server);
std::string etcd_peer_service(const std::string& topo_server);
std::string etcd_client_service(const std::string& topo_server);
std::string etcd_pdb(const std::string& topo_server);

// --- cluster-wide
std::string multiadmin(const std::string& cluster);
//! The Service exposing every gateway of the cluster outside Kubernetes (spec.externalGateway).
std::string external_gateway(const std::string& cluster);
std::string password_secret(const std::string& cluster);

// --- per cell
std::string multigateway(const std::string& cluster, const std::string& cell);

// --- per shard: parts are {cluster, database, tablegroup, shard}
struct ShardKey {
  std::string cluster;
  std::string database;
  std::string tablegroup;
  std::string shard;
  std::vector<std::string> parts() const { return {cluster, database, tablegroup, shard}; }
};
std::string multiorch(const ShardKey& key, const std::string& cell);
std::string pool_stateful_set(const ShardKey& key, const std::string& pool);
std::string pool_headless_service(const ShardKey& key, const std::string& pool);
std::string pool_pdb(const ShardKey& key, const std::string& pool);
std::string pg_hba_config_map(const ShardKey& key);
std::string postgres_config_map(const ShardKey& key);
std::string backup_pvc(const ShardKey& key);
//! The Job of MultigresRestore `restore` that cuts the shard's repository back to the restored backup.
std::string restore_job(const std::string& restore, const ShardKey& key);
std::string pgbackrest_tls_secret(const ShardKey& key);

// --- Multigres' own names (what its processes are called in the topology and in PostgreSQL)

//! The multipooler `--service-id` of a pool pod (at most api::kMaxPoolerServiceId characters): the 8-hex hash of the namespace and the pool's
//! StatefulSet, '-', the pod's ordinal (`ordinal` may be "$(POD_INDEX)" in a pod template). Stable per
//! ordinal, so per data volume: a pod that comes back finds its own pooler record; distinct between pools.
std::string pooler_service_id(const std::string& ns, const std::string& pool_stateful_set, const std::string& ordinal);

//! The pod a pooler record's service id belongs to, among the given pool StatefulSets of namespace `ns`:
//! `<StatefulSet>-<ordinal>`; empty when the id is none of theirs.
std::string pool_pod_of_service_id(const std::string& ns, const std::vector<std::string>& pool_stateful_sets,
                                   const std::string& service_id);

}  // namespace mg::naming
