// common/build/pool.hpp
//! A pool of a shard: a StatefulSet of pgctld + multipooler pods in one cell, the headless Service
//! that gives each pod a resolvable FQDN (<pod>.<service>.<ns>.svc), and a PDB (maxUnavailable 1).
//! The StatefulSet uses Parallel pod management and OnDelete updates: the operator decides restart
//! order (replicas first, primary last, after a drain). Owned by the Shard.
//! Precondition: `pool` is a key of shard.spec.pools (std::out_of_range otherwise: a caller bug).
//! Pure: same input, same bytes.
#pragma once

#include <string>

#include "common/api/children.hpp"
#include "common/api/k8s/policy.hpp"
#include "common/build/multiorch.hpp"

namespace mg::build {

//! How long a deleted pool pod's pgctld sidecar stays after multipooler stopped (a preStop sleep), so
//! that the pod's replacement starts only after multiorch has elected a new primary: with Multigres
//! v0.1.0, a deleted primary whose replacement comes up before that election starts PostgreSQL as a
//! primary again beside the elected one, multiorch cannot demote it (SetTermPrimary times out) and
//! writes stop. multiorch's longest wait is its grace period plus its jitter; the election itself took
//! under 3 s on the real-node test (writes resumed 10.5 to 10.9 s after the deletion).
inline constexpr int64_t kPoolRestartHoldSeconds =
    kOrchFailoverGraceBaseSeconds + kOrchFailoverGraceMaxJitterSeconds + 8;

//! Longer than multipooler's shutdown (servenv's 30 s --onterm-timeout and 10 s --onclose-timeout), then
//! the sidecar's hold, then pgctld's postgres stop (fast 10 s, then immediate 5 s): a native sidecar
//! is stopped only after the main container, within the same budget.
inline constexpr int64_t kPoolTerminationGraceSeconds = 30 + 10 + kPoolRestartHoldSeconds + 15 + 5;

api::k8s::StatefulSet pool_stateful_set(const api::Shard& shard, const std::string& pool);

//! Headless; publishes not-ready addresses (ports 15200, 15270, 5432, 8432).
api::k8s::Service pool_headless_service(const api::Shard& shard, const std::string& pool);

api::k8s::PodDisruptionBudget pool_pdb(const api::Shard& shard, const std::string& pool);

}  // namespace mg::build
