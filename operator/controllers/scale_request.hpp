// operator/controllers/scale_request.hpp
//! The Shard scale subresource as pure decisions. The operator applies each Shard with spec.replicas =
//! its largest pool's count and the same number in annotation kAppliedReplicasAnnotation, which /scale
//! cannot touch. A spec.replicas that differs from that annotation was written by someone else
//! (kubectl scale, an autoscaler): a scale request. The TableGroup controller copies it into the
//! MultigresCluster, the source of truth, under kScaleFieldManager, and keeps the Shard's value instead
//! of reverting it until the cluster's own count comes down to the Shard. No I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/util/json.hpp"

namespace mg::controllers {

//! The replicas someone other than the operator asked for on `live_shard`, or nullopt: the field is
//! absent, what the operator applied, or already `resolved` (the count the cluster gives now).
std::optional<int32_t> scale_request(const json::Value& live_shard, int32_t resolved);

//! Which pools of a shard entry a scale request sets, and where.
struct ScaleTarget {
  std::string database, tablegroup, shard;
  std::vector<std::string> pools;  //!< the Shard's pools (after template layering)
  int32_t replicas = 0;
};

//! The apply (under kScaleFieldManager) that writes `target` into `cluster` (the live
//! MultigresCluster): what that manager applied before, plus replicas on every pool of the shard, in
//! its `overrides` (or its inline `spec`). The header (apiVersion, kind, name, namespace) included.
json::Document scale_write_back(const json::Value& cluster, const ScaleTarget& target);

}  // namespace mg::controllers
