// operator/controllers/scale_request.cpp
#include "operator/controllers/scale_request.hpp"

#include "common/api/managed_fields.hpp"
#include "common/naming/labels.hpp"
#include "common/resolve/cluster_spec_json.hpp"

namespace mg::controllers {

std::optional<int32_t> scale_request(const json::Value& live_shard, int32_t resolved) {
  const json::Value* replicas = json::at_path(live_shard, "spec.replicas");
  if (replicas == nullptr || !replicas->IsInt() || replicas->GetInt() == resolved) return std::nullopt;
  const std::string applied = json::annotation(live_shard, naming::kAppliedReplicasAnnotation);
  if (applied.empty() || applied == std::to_string(replicas->GetInt())) return std::nullopt;
  return replicas->GetInt();
}

json::Document scale_write_back(const json::Value& cluster, const ScaleTarget& target) {
  namespace sj = resolve::spec_json;
  json::Document intent = api::extract_applied(cluster, naming::kScaleFieldManager);
  auto& a = intent.GetAllocator();
  // A shard with an inline spec has no overrides (spec xor template/overrides).
  const json::Value* live_shards = sj::shards(cluster, target.database, target.tablegroup);
  const int index = sj::index_of(live_shards, target.shard);
  const bool inline_spec =
      index >= 0 && json::find((*live_shards)[static_cast<rapidjson::SizeType>(index)], "spec") != nullptr;
  json::Value& shard = sj::ensure_shard(intent, cluster, target.database, target.tablegroup, target.shard, a);
  json::Value& pools = sj::ensure_object(sj::ensure_object(shard, inline_spec ? "spec" : "overrides", a), "pools", a);
  for (const auto& pool : target.pools) {
    json::set(sj::ensure_object(pools, pool, a), "replicas", json::Value(target.replicas), a);
  }
  return intent;
}

}  // namespace mg::controllers
