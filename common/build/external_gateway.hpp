// common/build/external_gateway.hpp
//! The external gateway: when spec.externalGateway is enabled, one Service of type LoadBalancer or
//! NodePort selecting the multigateway pods of every cell (PostgreSQL 5432, replica reads 5433), with
//! the user's externalIPs and annotations, owned by the MultigresCluster. Pure: same input, same bytes.
#pragma once

#include <optional>

#include "common/api/k8s/core.hpp"
#include "common/resolve/resolved_cluster.hpp"

namespace mg::build {

//! The Service, or nothing when the cluster does not ask for one.
std::optional<api::k8s::Service> external_gateway_service(const resolve::ResolvedCluster& cluster);

}  // namespace mg::build
