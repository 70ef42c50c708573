// plugin/commands/status.hpp
//! What `status` and `topology` share: one round of API calls that reads a cluster (or every cluster
//! of a namespace) with its children, pods, Warning events and nodes, and the terminal facts the
//! renderers need.
#pragma once

#include <string>

#include "common/kube/client.hpp"
#include "common/view/objects.hpp"

namespace mg::plugin {

struct GatherScope {
  std::string namespace_name;  //!< "" = all namespaces
  std::string cluster;         //!< "" = every cluster in scope
  bool events = true;          //!< list Warning events
  bool nodes = false;          //!< list nodes (best effort: without permission, zones come from the cells)
};

//! One list per kind (by label selector multigres.com/cluster[=NAME]) plus a GET of a named cluster.
//! A named cluster that does not exist is an Error whose message is the one line the user sees.
Result<view::Objects> gather(kube::Client& client, const GatherScope& scope);

//! The current time as RFC 3339 (the only clock read of these commands).
std::string now_timestamp();

//! Colour when stdout is a terminal and NO_COLOR is unset or empty.
bool use_color(const std::ostream& out);

}  // namespace mg::plugin
