// common/topo/registry.cpp
#include "common/topo/registry.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace mg::topo {
namespace {

//! Whether two serialized records of `kind` hold the same content, compared in canonical order:
//! records written by Multigres' Go code need not be byte-equal to ours.
template <class Record>
bool same_content(const std::string& a, const std::string& b) {
  Record x, y;
  return x.ParseFromString(a) && y.ParseFromString(b) && canonical_bytes(x) == canonical_bytes(y);
}

bool same_record(RecordKind kind, const std::string& a, const std::string& b) {
  if (a == b) return true;
  return kind == RecordKind::Cell ? same_content<clustermetadata::Cell>(a, b)
                                  : same_content<clustermetadata::Database>(a, b);
}

Result<void> write_desired(Etcd& etcd, const std::string& owner, const DesiredRecord& record,
                           const std::set<std::string>& owned, SyncReport& report) {
  auto current = etcd.get(record.key);
  if (!current.ok()) return current.error();
  const std::string marker = owner_key(record.key);
  if (!*current) {
    auto done = etcd.transact({{.key = record.key, .target = Compare::Target::Version, .number = 0}},
                              {{record.key, record.bytes}, {marker, owner}});
    if (!done.ok()) return done.error();
    if (!*done) return make_error(ErrorCode::Conflict, record.key + " appeared while being created; retrying");
    ++report.created;
    return {};
  }
  if (!owned.contains(record.key)) {
    report.foreign.push_back(record.key);
    return {};
  }
  if (same_record(record.kind, (*current)->value, record.bytes)) return {};
  auto done =
      etcd.transact({{.key = record.key, .target = Compare::Target::ModRevision, .number = (*current)->mod_revision},
                     {.key = marker, .target = Compare::Target::Value, .value = owner}},
                    {{record.key, record.bytes}});
  if (!done.ok()) return done.error();
  if (!*done) return make_error(ErrorCode::Conflict, record.key + " changed while being updated; retrying");
  ++report.updated;
  return {};
}

//! `<root>` of a `<root>/cells/<cell>/Cell` key.
std::string root_of_cell_key(const std::string& key) {
  const auto at = key.rfind("/cells/");
  return at == std::string::npos ? std::string() : key.substr(0, at);
}

//! The databases under `root` that list `cell`.
Result<std::vector<std::string>> databases_listing(Etcd& etcd, const std::string& root, const std::string& cell) {
  auto records = etcd.list(join_key(root, "databases") + "/");
  if (!records.ok()) return records.error();
  std::vector<std::string> out;
  for (const auto& kv : *records) {
    if (!kv.key.ends_with("/Database")) continue;
    clustermetadata::Database db;
    if (!db.ParseFromString(kv.value)) continue;
    if (std::find(db.cells().begin(), db.cells().end(), cell) != db.cells().end()) out.push_back(db.name());
  }
  return out;
}

Result<void> remove_owned(Etcd& etcd, const std::string& owner, const std::string& key, SyncReport& report) {
  if (key.ends_with("/Cell")) {
    clustermetadata::Cell cell;
    auto current = etcd.get(key);
    if (!current.ok()) return current.error();
    std::string name = *current && cell.ParseFromString((*current)->value) ? cell.name() : std::string();
    if (!name.empty()) {
      auto listing = databases_listing(etcd, root_of_cell_key(key), name);
      if (!listing.ok()) return listing.error();
      if (!listing->empty()) {
        std::string dbs;
        for (const auto& d : *listing) dbs += (dbs.empty() ? "" : ", ") + d;
        report.blocked.push_back(key + " (listed by database " + dbs + ")");
        return {};
      }
    }
  }
  const std::string marker = owner_key(key);
  auto done = etcd.transact({{.key = marker, .target = Compare::Target::Value, .value = owner}},
                            {{key, std::nullopt}, {marker, std::nullopt}});
  if (!done.ok()) return done.error();
  if (*done) ++report.deleted;
  return {};
}

}  // namespace

std::string owner_key(const std::string& record_key) {
  return std::string(kOwnersPrefix) + (record_key.starts_with("/") ? "" : "/") + record_key;
}

Result<SyncReport> sync_records(Etcd& etcd, const std::string& owner, const std::vector<DesiredRecord>& desired) {
  auto markers = etcd.list(std::string(kOwnersPrefix) + "/");
  if (!markers.ok()) return markers.error();
  std::set<std::string> owned;
  const size_t prefix = std::string(kOwnersPrefix).size();
  for (const auto& m : *markers) {
    if (m.value == owner) owned.insert(m.key.substr(prefix));
  }
  SyncReport report;
  std::set<std::string> wanted;
  for (const auto& record : desired) {
    wanted.insert(record.key);
    if (auto written = write_desired(etcd, owner, record, owned, report); !written.ok()) return written.error();
  }
  // Databases before cells: a cell leaves only once no database of ours lists it.
  std::vector<std::string> stale;
  for (const auto& key : owned) {
    if (!wanted.contains(key)) stale.push_back(key);
  }
  std::stable_partition(stale.begin(), stale.end(), [](const std::string& k) { return !k.ends_with("/Cell"); });
  for (const auto& key : stale) {
    if (auto removed = remove_owned(etcd, owner, key, report); !removed.ok()) return removed.error();
  }
  return report;
}

Result<std::optional<clustermetadata::Cell>> read_cell(Etcd& global, const std::string& root, const std::string& cell) {
  auto kv = global.get(cell_key(root, cell));
  if (!kv.ok()) return kv.error();
  if (!*kv) return std::optional<clustermetadata::Cell>();
  clustermetadata::Cell record;
  if (!record.ParseFromString((*kv)->value))
    return make_error(ErrorCode::Invalid, cell_key(root, cell) + " is not a Cell record");
  return std::optional<clustermetadata::Cell>(std::move(record));
}

Result<std::vector<PoolerRecord>> read_poolers(Etcd& cell_topo, const std::string& cell_root,
                                               const std::string& database, const std::string& table_group,
                                               const std::string& shard) {
  auto kvs = cell_topo.list(poolers_prefix(cell_root));
  if (!kvs.ok()) return kvs.error();
  std::vector<PoolerRecord> out;
  for (auto& kv : *kvs) {
    if (!kv.key.ends_with("/Pooler")) continue;
    PoolerRecord record{kv.key, kv.mod_revision, {}};
    // A record we cannot decode is not ours to judge; it is skipped, never pruned.
    if (!record.pooler.ParseFromString(kv.value)) continue;
    const auto& sk = record.pooler.shard_key();
    if (sk.database() != database || sk.table_group() != table_group || sk.shard() != shard) continue;
    out.push_back(std::move(record));
  }
  return out;
}

Result<bool> remove_pooler(Etcd& cell_topo, const PoolerRecord& record) {
  return cell_topo.transact(
      {{.key = record.key, .target = Compare::Target::ModRevision, .number = record.mod_revision}},
      {{record.key, std::nullopt}});
}

}  // namespace mg::topo
