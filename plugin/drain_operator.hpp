// plugin/drain_operator.hpp
//! Finds the running operator(s) from their Leases (operator/runtime/leader_election writes the version and
//! capabilities there): one LIST by label across namespaces; when that is forbidden, the namespace the user
//! named and multigres-system. Used by `version` and by `drain` (which needs the "drain" capability).
#pragma once

#include <string>
#include <vector>

#include "common/kube/client.hpp"
#include "plugin/drain_protocol.hpp"

namespace mg::plugin {

//! The namespace `kubectl multigres install` puts the operator in, searched when listing all is forbidden.
inline constexpr const char* kOperatorNamespace = "multigres-system";

//! Every Lease labelled app.kubernetes.io/name=multigres-operator, sorted by namespace. `user_namespace` is
//! searched (with multigres-system) when the cluster-wide list is forbidden. An Error (Forbidden included)
//! when no list succeeded; its message is the one line to show.
Result<std::vector<OperatorInfo>> find_operators(kube::Client& client, const std::string& user_namespace);

}  // namespace mg::plugin
