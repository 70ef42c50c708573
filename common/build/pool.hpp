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

namespace mg::build {

//! Longer than multipooler's 30 s --onterm-timeout plus pgctld's postgres stop (fast 10 s, then
//! immediate 5 s): a native sidecar is stopped only after the main container, within the same budget.
inline constexpr int64_t kPoolTerminationGraceSeconds = 60;

api::k8s::StatefulSet pool_stateful_set(const api::Shard& shard, const std::string& pool);

//! Headless; publishes not-ready addresses (ports 15200, 15270, 5432, 8432).
api::k8s::Service pool_headless_service(const api::Shard& shard, const std::string& pool);

api::k8s::PodDisruptionBudget pool_pdb(const api::Shard& shard, const std::string& pool);

}  // namespace mg::build
