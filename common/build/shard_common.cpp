// common/build/shard_common.cpp
#include "common/build/shard_common.hpp"

#include "common/build/objects.hpp"
#include "common/build/pod_defaults.hpp"

namespace mg::build {

naming::ShardKey shard_key(const api::Shard& shard) {
  return naming::ShardKey{shard.spec.environment.clusterName, shard.spec.databaseName, shard.spec.tableGroupName,
                          shard.spec.shardName};
}

naming::Scope shard_scope(const api::Shard& shard, const std::string& component, const std::string& cell,
                          const std::string& pool) {
  naming::Scope s;
  s.cluster = shard.spec.environment.clusterName;
  s.component = component;
  s.cell = cell;
  s.database = shard.spec.databaseName;
  s.tablegroup = shard.spec.tableGroupName;
  s.shard = shard.spec.shardName;
  s.pool = pool;
  return s;
}

api::ObjectMeta shard_meta(const api::Shard& shard, const std::string& name, const naming::Scope& scope) {
  return object_meta(name, shard.metadata.namespace_, scope, api::owner_reference(shard));
}

std::map<std::string, std::string> cell_node_selector(const api::Shard& shard, const std::string& cell) {
  const auto& cells = shard.spec.environment.cells;
  auto it = cells.find(cell);
  if (it == cells.end()) return {};
  return node_selector(it->second.zone, it->second.region);
}

}  // namespace mg::build
