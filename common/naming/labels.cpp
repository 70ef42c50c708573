// common/naming/labels.cpp
#include "common/naming/labels.hpp"

#include "common/naming/names.hpp"

namespace mg::naming {
namespace {
void put(Labels& l, const char* key, const std::string& value) {
  if (!value.empty()) l[key] = label_value(value);
}
}  // namespace

Labels selector(const Scope& s) {
  Labels l;
  put(l, kLabelInstance, s.cluster);
  put(l, kLabelComponent, s.component);
  put(l, kLabelCluster, s.cluster);
  put(l, kLabelCell, s.cell);
  put(l, kLabelDatabase, s.database);
  put(l, kLabelTableGroup, s.tablegroup);
  put(l, kLabelShard, s.shard);
  put(l, kLabelPool, s.pool);
  put(l, kLabelTopoServer, s.topo_server);
  return l;
}

Labels labels(const Scope& s) {
  Labels l = selector(s);
  l[kLabelName] = "multigres";
  l[kLabelPartOf] = "multigres";
  l[kLabelManagedBy] = kManagerName;
  return l;
}

Scope shard_pools_scope(const std::string& cluster, const std::string& database, const std::string& tablegroup,
                        const std::string& shard) {
  Scope s;
  s.cluster = cluster;
  s.component = kComponentPool;
  s.database = database;
  s.tablegroup = tablegroup;
  s.shard = shard;
  return s;
}

std::string selector_text(const Labels& selector) {
  std::string out;
  for (const auto& [key, value] : selector) out += (out.empty() ? "" : ",") + key + "=" + value;
  return out;
}

}  // namespace mg::naming
