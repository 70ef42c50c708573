// operator/controllers/setup.hpp
//! Wires the operator: one informer per kind it reads (its own kinds whole; Kubernetes kinds only
//! where labelled managed-by multigres-operator), one controller per kind it reconciles, and the
//! routes from events to keys (an object to itself, a child to its owner, a template to the clusters
//! that use it).
#pragma once

#include "operator/controllers/context.hpp"
#include "operator/runtime/manager.hpp"

namespace mg::controllers {

//! Fills ctx.caches with the manager's informers and registers every controller.
void register_controllers(runtime::Manager& manager, Context& ctx);

//! Whether a cluster (as cached JSON) names template `name` in its spec or lists it in
//! status.resolvedTemplates, or the template is `default` (used where none is named).
bool cluster_uses_template(const json::Value& cluster, const std::string& name);

}  // namespace mg::controllers
