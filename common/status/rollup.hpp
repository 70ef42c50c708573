// common/status/rollup.hpp
//! Status roll-up: from what the children report to each kind's status, bottom up:
//! StatefulSet/Deployment -> TopoServer, Cell, Shard -> TableGroup -> MultigresCluster.
//! Each function gets the object (for its spec, generation and previous conditions), what it owns as
//! read from the cache, and "now" for condition transitions. Pure: no I/O, no clock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/api/children.hpp"
#include "common/api/multigres_cluster.hpp"
#include "common/resolve/resolver.hpp"
#include "common/util/json.hpp"

namespace mg::status {

//! What a StatefulSet or Deployment reports.
struct WorkloadState {
  bool exists = false;
  bool observed = false;  //!< status.observedGeneration caught up with metadata.generation
  int32_t desired = 0;    //!< spec.replicas
  int32_t ready = 0;
  int32_t available = 0;
  int32_t updated = 0;
  bool on_delete = false;  //!< updateStrategy OnDelete: pods take a new template only when restarted
  //! Every desired replica is ready and the controller has seen the latest spec.
  [[nodiscard]] bool ready_all() const { return exists && observed && ready >= desired; }
  //! A rollout the workload controller performs by itself is under way.
  [[nodiscard]] bool rolling() const { return exists && (!observed || (updated < desired && !on_delete)); }
  //! Pods run an older template and wait for the operator to restart them (OnDelete).
  [[nodiscard]] bool restart_pending() const { return exists && observed && on_delete && updated < desired; }
};
WorkloadState workload_state(const json::Value* object);

api::TopoServerStatus topo_server_status(const api::TopoServer& topo, const json::Value* stateful_set,
                                         const std::string& now);

//! `local_topo` is the Cell's own TopoServer when it has one (its status rolls into the cell's).
api::CellStatus cell_status(const api::Cell& cell, const json::Value* gateway, const api::TopoServer* local_topo,
                            const std::string& now);

//! `pools` and `orchestrators` hold one entry per desired StatefulSet / Deployment, null when absent.
api::ShardStatus shard_status(const api::Shard& shard, const std::vector<const json::Value*>& pools,
                              const std::vector<const json::Value*>& orchestrators, const std::string& now);

//! Sets condition Draining from the shard's pool pods' drain annotations (the operator's drain
//! controller writes them): False/NoDrain; True/InProgress naming the pods and their messages;
//! True/DrainTimeout once a pod's message says its drain timed out.
void set_draining(std::vector<api::Condition>& conditions, const std::vector<api::Condition>& previous,
                  const std::vector<const json::Value*>& pool_pods, int64_t generation, const std::string& now);

//! `shards` holds one entry per desired Shard, null when absent.
api::TableGroupStatus table_group_status(const api::TableGroup& table_group,
                                         const std::vector<const api::Shard*>& shards, const std::string& now);

//! Where clients outside Kubernetes connect, read from the external gateway Service: its name, the
//! PostgreSQL node port, and host:5432 of the load balancer's first ingress (IP, else hostname), else of
//! the first external IP; the endpoint is empty until one is known.
api::ExternalGatewayStatus external_gateway_status(const json::Value& service);

//! What the cluster controller observed.
struct ClusterObservation {
  const resolve::Resolution* resolution = nullptr;
  const api::TopoServer* global_topo = nullptr;  //!< null when external or not created yet
  bool global_topo_expected = true;
  const json::Value* admin = nullptr;            //!< multiadmin Deployment
  const json::Value* external_gateway = nullptr;  //!< the external gateway Service, when there is one
  //! One per desired Cell (by cell name), the object null when absent.
  std::vector<std::pair<std::string, const api::Cell*>> cells;
  //! One per desired TableGroup (by database name), the object null when absent.
  std::vector<std::pair<std::string, const api::TableGroup*>> table_groups;
  //! "Kind/name: why" for each descendant whose children the API server refused (Reconciled False).
  std::vector<std::string> refused;
};

//! Phase (Initializing, Progressing, Healthy, Degraded), conditions Available, Progressing, Degraded,
//! TemplatesResolved, per-cell and per-database summaries, resolvedTemplates.
api::MultigresClusterStatus cluster_status(const api::MultigresCluster& cluster, const ClusterObservation& seen,
                                           const std::string& now);

}  // namespace mg::status
