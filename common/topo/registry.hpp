// common/topo/registry.hpp
//! Writes a cluster's topology records and only those: ownership is an etcd key next to nothing
//! Multigres reads, `/multigres-operator/owners<record key>` holding "<namespace>/<cluster>", written
//! in the same transaction that creates the record. So a record this cluster created is known as its
//! own across operator restarts, a record someone else wrote (by hand, `multigres
//! createclustermetadata`, another cluster sharing the etcd) is never changed or removed, and a
//! crash between "create" and "remember" cannot happen.
#pragma once

#include <string>
#include <vector>

#include "common/topo/etcd.hpp"
#include "common/topo/records.hpp"

namespace mg::topo {

//! The ownership marker of a record key.
std::string owner_key(const std::string& record_key);
inline constexpr const char* kOwnersPrefix = "/multigres-operator/owners";

struct SyncReport {
  int created = 0;
  int updated = 0;
  int deleted = 0;
  std::vector<std::string> foreign;  //!< desired keys that exist but belong to someone else (left alone)
  std::vector<std::string> blocked;  //!< owned cells kept because a Database still lists them
  [[nodiscard]] int writes() const { return created + updated + deleted; }
};

//! Makes the records `owner` owns equal `desired`: creates the absent ones (with their marker),
//! rewrites owned ones whose decoded content differs (compare-and-swap on mod_revision), leaves
//! equal and foreign ones alone, then deletes owned records no longer desired: Databases first, then
//! Cells, refusing a Cell some Database under the same root still lists. An empty `desired` removes
//! everything `owner` registered (cluster deletion).
Result<SyncReport> sync_records(Etcd& etcd, const std::string& owner, const std::vector<DesiredRecord>& desired);

//! A pooler record of a cell topology, as its multipooler registered it.
struct PoolerRecord {
  std::string key;
  int64_t mod_revision = 0;
  clustermetadata::MultiPooler pooler;
};

//! The Cell record `cell` in the global topology at `root`, or nullopt.
Result<std::optional<clustermetadata::Cell>> read_cell(Etcd& global, const std::string& root, const std::string& cell);
//! The pooler records under `cell_root` that serve database/table_group/shard.
Result<std::vector<PoolerRecord>> read_poolers(Etcd& cell_topo, const std::string& cell_root,
                                               const std::string& database, const std::string& table_group,
                                               const std::string& shard);
//! Removes a pooler record if it is still the one read (mod_revision), as upstream's
//! UnregisterMultiPooler does. Returns whether it was removed.
Result<bool> remove_pooler(Etcd& cell_topo, const PoolerRecord& record);

}  // namespace mg::topo
