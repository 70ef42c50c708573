// common/view/objects.hpp
//! The objects of one round of API calls, sorted by kind: typed multigres.com kinds (decoded leniently,
//! as read from a server) and the few facts the views need from Pods, Events and Nodes. Pure.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/api/children.hpp"
#include "common/api/multigres_cluster.hpp"
#include "common/util/json.hpp"

namespace mg::view {

//! What the views read from a Pod.
struct PodInfo {
  std::string name;
  std::string uid;
  std::string namespace_name;
  std::string created;
  std::map<std::string, std::string> labels;
  std::string node;          //!< spec.nodeName ("" while unscheduled)
  std::string phase;         //!< status.phase
  bool ready = false;        //!< condition Ready is True
  bool scheduled = false;    //!< condition PodScheduled is True (or a node is set)
  bool terminating = false;  //!< metadata.deletionTimestamp is set
  int32_t restarts = 0;      //!< summed over containers
  //! What kubectl's STATUS column would say: a waiting or terminated container reason
  //! (CrashLoopBackOff, ImagePullBackOff, ContainerCreating, ...), status.reason, else the phase.
  std::string status;
  std::string message;  //!< the PodScheduled False message, or the waiting container's message
  bool operator==(const PodInfo&) const = default;
};

//! What the views read from an events.k8s.io/v1 (or core/v1) Event.
struct EventInfo {
  std::string namespace_name;
  std::string type;  //!< Normal or Warning
  std::string reason;
  std::string note;
  std::string regarding_kind;
  std::string regarding_name;
  std::string regarding_uid;
  std::string reporter;  //!< reportingController (events.k8s.io) or source.component (core/v1)
  int32_t count = 1;     //!< series.count, else deprecatedCount, else 1
  std::string last;      //!< series.lastObservedTime, eventTime, deprecatedLastTimestamp or creationTimestamp
};

struct NodeInfo {
  std::string zone;    //!< label topology.kubernetes.io/zone
  std::string region;  //!< label topology.kubernetes.io/region
};

struct Objects {
  std::vector<api::MultigresCluster> clusters;
  std::vector<api::Cell> cells;
  std::vector<api::TableGroup> table_groups;
  std::vector<api::Shard> shards;
  std::vector<api::TopoServer> topo_servers;
  std::vector<PodInfo> pods;
  std::vector<EventInfo> events;
  std::map<std::string, NodeInfo> nodes;  //!< by node name
  bool nodes_listed = false;              //!< nodes were read (else zones come from the cells)
};

PodInfo pod_info(const json::Value& pod);
EventInfo event_info(const json::Value& event);
NodeInfo node_info(const json::Value& node);

//! Adds one server object by its apiVersion and kind; other kinds are ignored. A NodeList item sets
//! nodes_listed.
void add_object(Objects& objects, const json::Value& object);

//! Every item of a `kind: List` (or a single object), as add_object does.
Objects objects_from(const json::Value& list_or_object);

}  // namespace mg::view
