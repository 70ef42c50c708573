// common/build/multiorch.hpp
//! multiorch, the shard's failover and bootstrap coordinator: one Deployment per cell the shard has
//! pools in, each watching exactly this shard (`--watch-targets=db/tg/shard`) and pinned to its cell.
//! Owned by the Shard. Several orchestrators per shard are safe: poolers refuse stale coordinators
//! through consensus terms. Pure: same input, same bytes.
#pragma once

#include <vector>

#include "common/api/children.hpp"
#include "common/api/k8s/apps.hpp"

namespace mg::build {

inline constexpr int32_t kOrchHttpPort = 15300;
inline constexpr int32_t kOrchGrpcPort = 15370;
//! After the primary is gone, multiorch waits this long plus a random jitter of up to the second figure
//! before it elects another (v0.1.0's own defaults, passed explicitly because the pool pods' restart
//! hold, kPoolRestartHoldSeconds, is computed from them).
inline constexpr int32_t kOrchFailoverGraceBaseSeconds = 4;
inline constexpr int32_t kOrchFailoverGraceMaxJitterSeconds = 8;

//! Sorted by cell name.
std::vector<api::k8s::Deployment> multiorch_deployments(const api::Shard& shard);

}  // namespace mg::build
