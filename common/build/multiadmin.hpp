// common/build/multiadmin.hpp
//! multiadmin, the cluster's admin API: one Deployment and one ClusterIP Service (http 15000, grpc
//! 15070), owned by the MultigresCluster. The topology flags come from the resolved AdminSpec, so an
//! external or custom-root topology works (the Go operator hard-codes them). Pure: same input, same bytes.
#pragma once

#include "common/api/k8s/apps.hpp"
#include "common/resolve/resolved_cluster.hpp"

namespace mg::build {

inline constexpr int32_t kAdminHttpPort = 15000;
inline constexpr int32_t kAdminGrpcPort = 15070;

api::k8s::Deployment multiadmin_deployment(const resolve::ResolvedCluster& cluster);
api::k8s::Service multiadmin_service(const resolve::ResolvedCluster& cluster);

}  // namespace mg::build
