// common/build/etcd.hpp
//! The etcd cluster behind a TopoServer: a StatefulSet configured only through ETCD_* env, a headless
//! peer Service (stable member names), a client Service on 2379 and a quorum-keeping PDB. Every object
//! is owned by the TopoServer and lives in its namespace. Pure: same input, same bytes.
#pragma once

#include "common/api/children.hpp"
#include "common/api/k8s/policy.hpp"
#include "common/resolve/defaults.hpp"

namespace mg::build {

using resolve::kEtcdClientPort;
inline constexpr int32_t kEtcdPeerPort = 2380;
inline constexpr int32_t kEtcdMetricsPort = 2381;

//! Parallel pod management (members must start together to elect a leader), a `data` PVC per member
//! from spec.storage, probes /readyz and /livez on the metrics port.
api::k8s::StatefulSet etcd_stateful_set(const api::TopoServer& ts);

//! Headless, publishes not-ready addresses: members dial each other before any is ready.
api::k8s::Service etcd_peer_service(const api::TopoServer& ts);

//! ClusterIP on 2379; what Multigres components use as the topology address.
api::k8s::Service etcd_client_service(const api::TopoServer& ts);

//! maxUnavailable = (replicas - 1) / 2, at least 1: a voluntary disruption never breaks the quorum.
api::k8s::PodDisruptionBudget etcd_pdb(const api::TopoServer& ts);

}  // namespace mg::build
