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

//! A shard the pinned Multigres cannot serve: v0.1.0 serves tablegroup `default` with shard `0-inf`
//! only (go/common/constants/multischema.go); any other shard's poolers exit at start-up.
struct UnservedShard {
  std::string shard;  //!< database/tablegroup/shard
  std::string path;   //!< the field that declares it: spec.databases[i].tablegroups[j].shards[k]
  bool operator==(const UnservedShard&) const = default;
};

struct ResolvedCluster {
  std::string name;
  std::string namespace_;
  api::OwnerReference owner;                  //!< reference to the MultigresCluster (uid when known)
  std::optional<api::TopoServer> globalTopoServer;  //!< absent when the global etcd is external
  AdminSpec multiadmin;
  std::optional<api::ExternalGatewaySpec> externalGateway;  //!< present when enabled
  std::vector<api::Cell> cells;
  std::vector<api::TableGroup> tableGroups;
  std::vector<api::Shard> shards;             //!< what the TableGroups make (for render and tests)
  std::string passwordSecretName;
  bool generatePassword = false;              //!< no passwordSecretRef: the operator makes the Secret once
  api::ResolvedTemplates templates;
  std::vector<UnservedShard> unservedShards;  //!< what the data plane cannot serve yet
  //! Fields the pinned Multigres honours differently from what they ask (validate and render warn).
  api::FieldErrors dataPlaneWarnings;
};

}  // namespace mg::resolve
