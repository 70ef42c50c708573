// common/view/cluster_view.hpp
//! The plugin's read-only picture of one MultigresCluster: what `kubectl multigres status` and
//! `topology` print, built from the objects of one round of API calls (objects.hpp). Pure: no I/O and
//! no clock; "now" is passed in (for ages and for what counts as a recent event).
//! Must not: call the API server, or decide anything the operator decides (it only reads status).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/view/objects.hpp"

namespace mg::view {

//! Warning events older than this (seconds before "now") are not shown; the API server keeps
//! events for an hour by default anyway.
inline constexpr int64_t kRecentEventSeconds = 3600;
//! At most this many event problems are listed.
inline constexpr size_t kMaxEventProblems = 10;

struct ConditionView {
  std::string type;
  std::string status;
  std::string reason;
  std::string message;
  std::string last_transition;
};

struct CellView {
  std::string name;
  std::string object_name;  //!< the Cell object, "" when none exists
  std::string zone;
  std::string region;
  bool exists = false;  //!< a Cell object was found
  bool ready = false;   //!< its Available condition is True
  int32_t gateway_ready = 0;
  int32_t gateway_desired = 0;
  std::string reason;   //!< of the Available condition
  std::string message;  //!< of the Available condition
};

struct PodView {
  std::string name;
  bool ready = false;
  std::string status;  //!< PodInfo::status
  std::string node;
  std::string zone;
  bool zone_from_node = false;  //!< else the zone of the pool's cell (where the pod should run)
  std::string role;             //!< from Shard.status.podRoles, "" when unknown
  int32_t restarts = 0;
};

struct PoolView {
  std::string name;
  std::string type;  //!< readWrite, readOnly
  std::string cell;
  int32_t replicas = 0;  //!< desired, from the Shard's spec
  int32_t ready = 0;     //!< ready pods found
  std::vector<PodView> pods;
};

struct ShardView {
  std::string name;
  std::string object_name;  //!< "" when no Shard object exists (yet)
  std::string phase;
  bool available = false;
  int32_t ready_replicas = 0;
  int32_t replicas = 0;
  std::string primary_cell;
  std::string reason;   //!< of the Available condition
  std::string message;  //!< of the Available condition
  std::string drain_reason;   //!< of the Draining condition when True ("InProgress", "DrainTimeout")
  std::string drain_message;  //!< which pods, and the operator's word on each
  std::vector<PoolView> pools;
};

struct TableGroupView {
  std::string name;
  std::string object_name;
  int32_t ready_shards = 0;
  int32_t total_shards = 0;
  std::vector<ShardView> shards;
};

struct DatabaseView {
  std::string name;
  int32_t ready_shards = 0;
  int32_t total_shards = 0;
  std::vector<TableGroupView> table_groups;
};

struct TopoServerView {
  std::string name;
  std::string cell;  //!< "" for the global topology server
  bool ready = false;
  int32_t ready_replicas = 0;
  int32_t replicas = 0;
  std::string reason;   //!< of the Available condition
  std::string message;  //!< of the Available condition
};

struct PodCounts {
  int32_t total = 0;
  int32_t ready = 0;
  int32_t pending = 0;    //!< not scheduled yet
  int32_t not_ready = 0;  //!< scheduled but not ready (starting, crashing, failed)
};

//! Something the user should look at, and what to do about it.
struct Problem {
  std::string source;  //!< "condition", "component", "pods" or "event"
  std::string title;   //!< one line: "TemplatesResolved is False", "3 pods Pending", "Warning FailedScheduling"
  std::string object;  //!< the first (or only) object concerned: "MultigresCluster/name", "Pod/name", ...
  std::vector<std::string> objects;  //!< every object concerned, "Kind/name" (pods and events: many)
  std::string reason;
  std::string message;
  std::string hint;       //!< one line: what to do
  int32_t count = 1;      //!< occurrences (events) or objects affected (pods, components)
  std::string last_seen;  //!< events: the newest occurrence; "" otherwise
};

struct ClusterView {
  std::string name;
  std::string namespace_name;
  std::string created;
  std::string now;
  int64_t generation = 0;
  int64_t observed_generation = 0;  //!< 0 when the operator has not written status yet
  bool has_status = false;
  std::string phase;  //!< "" without status
  std::vector<ConditionView> conditions;
  std::optional<api::ExternalGatewayStatus> external_gateway;  //!< spec.externalGateway, as the status says
  std::vector<CellView> cells;
  std::vector<DatabaseView> databases;
  std::vector<TopoServerView> topo_servers;
  PodCounts pods;
  std::vector<Problem> problems;
  int32_t hidden_events = 0;  //!< recent Warning events beyond kMaxEventProblems, not listed
};

//! The view of `cluster` from `objects` (children, pods and events of other clusters are ignored:
//! they are matched by namespace and the multigres.com/cluster label or, for events, the object).
ClusterView build_view(const Objects& objects, const api::MultigresCluster& cluster, const std::string& now);

//! One view per cluster in `objects`, ordered by namespace then name.
std::vector<ClusterView> build_views(const Objects& objects, const std::string& now);

//! True when `meta` (of a child or pod) belongs to `cluster`: same namespace, label multigres.com/cluster.
bool belongs(const std::string& namespace_name, const std::map<std::string, std::string>& labels,
             const api::MultigresCluster& cluster);

//! Fills view.problems and view.hidden_events; every other field of `view` must be filled
//! (problems.cpp). `objects` gives the pods and events.
void find_problems(ClusterView& view, const Objects& objects, const api::MultigresCluster& cluster);

//! The reporting controller of the operator's events (docs/operator.md).
inline constexpr const char* kOperatorReporter = "multigres.com/operator";

//! The one-line advice for a reason (condition reason, event reason or pod status) about `object`
//! ("Kind/name"); `message` refines it (a pod Pending on volumes is not a capacity problem).
std::string hint_for(const std::string& reason, const std::string& object, const std::string& message,
                     const ClusterView& view);

}  // namespace mg::view
