// common/topo/records.hpp
//! The topology records a cluster wants, computed from its resolved spec (pure, no I/O): the key
//! layout Multigres uses (`<root>/cells/<cell>/Cell`, `<root>/databases/<db>/Database`,
//! `<cell root>/poolers/multipooler-<cell>-<name>/Pooler`) and the protobuf records, built the way
//! Multigres' own `createclustermetadata` builds them so the bytes match.
#pragma once

#include <string>
#include <vector>

#include "common/api/children.hpp"
#include "common/resolve/resolved_cluster.hpp"
#include "common/topo/clustermetadata.pb.h"

namespace mg::topo {

//! `root` and `relative` joined with one slash (Go's path.Join for the paths Multigres uses).
std::string join_key(const std::string& root, const std::string& relative);
std::string cell_key(const std::string& root, const std::string& cell);
std::string database_key(const std::string& root, const std::string& database);
//! The prefix under which a cell's poolers register.
std::string poolers_prefix(const std::string& cell_root);

//! The Cell record for a resolved cell: its own topology when it has one (external, or the managed
//! TopoServer's Service), else the global etcd with root `<global root>/<cell>` (as upstream does).
clustermetadata::Cell cell_record(const api::Cell& cell);
//! AT_LEAST_2 / MULTI_CELL_AT_LEAST_2 as upstream's topoclient.AtLeastN / MultiCellAtLeastN make them.
clustermetadata::DurabilityPolicy durability_record(api::DurabilityPolicy policy);
clustermetadata::BackupLocation backup_record(const api::BackupSpec& backup);

enum class RecordKind { Cell, Database };

//! One record to write: its full key and serialized bytes.
struct DesiredRecord {
  RecordKind kind = RecordKind::Cell;
  std::string name;  //!< cell or database name
  std::string key;
  std::string bytes;
};

//! What a cluster registers in its global topology: a Cell record per cell whose
//! topologyReconciliation.registerCell is on, and a Database record per database (its cells are every
//! cell of the cluster; durability and backup from the database's TableGroups).
struct Registration {
  api::TopoReference global;
  std::vector<DesiredRecord> records;  //!< cells first, then databases
};
Registration desired_registration(const resolve::ResolvedCluster& cluster);

//! "PRIMARY", "REPLICA", ... and "SERVING", "NOT_SERVING", ... as the upstream enums name them.
std::string role_name(clustermetadata::PoolerType type);

//! The message's bytes in deterministic order (map entries sorted): two records with the same content
//! have the same canonical bytes, whatever order their writer put the fields in.
std::string canonical_bytes(const google::protobuf::MessageLite& message);
std::string serving_name(clustermetadata::PoolerServingStatus status);

}  // namespace mg::topo
