// common/resolve/resolved_cluster.hpp
//! What resolving a MultigresCluster yields: the fully resolved children it owns (TopoServer, Cells,
//! TableGroups) and the cluster-level parts it builds itself (multiadmin, password Secret).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/api/children.hpp"
#include "common/api/multigres_cluster.hpp"

namespace mg::resolve {

//! The admin server, resolved.
struct AdminSpec {
  api::ComponentSpec component;
  std::string image;
  std::optional<api::PullPolicy> imagePullPolicy;
  std::vector<api::LocalObjectReference> imagePullSecrets;
  api::TopoReference globalTopoServer;
};

struct ResolvedCluster {
  std::string name;
  std::string namespace_;
  api::OwnerReference owner;                  //!< reference to the MultigresCluster (uid when known)
  std::optional<api::TopoServer> globalTopoServer;  //!< absent when the global etcd is external
  AdminSpec multiadmin;
  std::vector<api::Cell> cells;
  std::vector<api::TableGroup> tableGroups;
  std::vector<api::Shard> shards;             //!< what the TableGroups make (for render and tests)
  std::string passwordSecretName;
  bool generatePassword = false;              //!< no passwordSecretRef: the operator makes the Secret once
  api::ResolvedTemplates templates;
  std::vector<std::string> unservedShards;    //!< db/tg/shard the data plane cannot serve yet
};

}  // namespace mg::resolve
