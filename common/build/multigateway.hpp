// common/build/multigateway.hpp
//! multigateway, the PostgreSQL-protocol entry point of a cell: one Deployment per cell (pinned to the
//! cell's zone or region) and a ClusterIP Service for clients: 5432 (the primary) and 5433 (replica reads,
//! Multigres's `--pg-replica-port`, as the Go operator opens it). Both are owned by the Cell.
//! Pure: same input, same bytes.
#pragma once

#include "common/api/children.hpp"
#include "common/api/k8s/apps.hpp"
#include "common/resolve/defaults.hpp"

namespace mg::build {

inline constexpr int32_t kGatewayHttpPort = 15100;
inline constexpr int32_t kGatewayGrpcPort = 15170;
using resolve::kPostgresPort;  // the gateway serves PostgreSQL on its usual port
//! Connections here are routed to REPLICA poolers (the cell's own first), never to the primary.
inline constexpr int32_t kGatewayPgReplicaPort = 5433;

api::k8s::Deployment multigateway_deployment(const api::Cell& cell);
api::k8s::Service multigateway_service(const api::Cell& cell);

}  // namespace mg::build
