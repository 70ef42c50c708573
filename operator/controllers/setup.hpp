// operator/controllers/setup.hpp
//! Wires the operator: one informer per kind it reads (its own kinds whole; Kubernetes kinds only
//! where labelled managed-by multigres-operator), one controller per kind it reconciles, and the
//! routes from events to keys (an object to itself, a child to its owner, a template to the clusters
//! that use it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "operator/controllers/context.hpp"
#include "operator/runtime/manager.hpp"

namespace mg::controllers {

//! Fills ctx.caches with the manager's informers and registers every controller.
void register_controllers(runtime::Manager& manager, Context& ctx);

//! Keys of the clusters in the template's namespace that use it (cluster_uses_template): where a
//! CellTemplate or ShardTemplate change goes.
std::vector<std::string> clusters_using_template(const ObjectStore& clusters, const json::Value& tmpl);

//! The key of the Shard to bring back for a pool pod's change: only while the pod carries a drain
//! state (its Draining condition and restarts read it), found pod -> StatefulSet -> Shard by
//! controlling owners; nullopt otherwise.
std::optional<std::string> shard_to_tell(const ObjectStore& stateful_sets, const json::Value& pod);

//! Whether a cluster (as cached JSON) names template `name` in its spec or lists it in
//! status.resolvedTemplates, or the template is `default` (used where none is named).
bool cluster_uses_template(const json::Value& cluster, const std::string& name);

}  // namespace mg::controllers
