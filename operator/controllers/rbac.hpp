// operator/controllers/rbac.hpp
//! The operator's API access, declared once: one entry per API group and resource, with its verbs and
//! why the operator needs them. config/rbac/role.yaml (ClusterRole) and leader_election_role.yaml
//! (Role in the operator's namespace) are generated from it and checked by the [rbac] unit tests,
//! which also compare it with what setup.cpp watches and what the builders make (docs/security.md).
//! Pure: no I/O.
#pragma once

#include <string>
#include <vector>

namespace mg::controllers {

struct AccessRule {
  std::string group;     //!< "" = the core group
  std::string resource;  //!< plural ("secrets") or plural/subresource ("cells/status")
  std::string kind;      //!< the kind served there ("Secret"); empty for subresources
  std::vector<std::string> verbs;
  std::string why;  //!< written as a comment above the rule
};

//! Cluster-wide access (ClusterRole multigres-operator): the operator watches all namespaces.
const std::vector<AccessRule>& cluster_access();
//! Access in the operator's own namespace only (Role multigres-operator-leader-election).
const std::vector<AccessRule>& leader_election_access();

//! The RBAC object of `rules` as YAML, each rule's reason as a comment above it; kind is "ClusterRole"
//! or "Role".
std::string rbac_role_yaml(const std::string& kind, const std::string& name, const std::vector<AccessRule>& rules);

//! config/rbac/role.yaml and config/rbac/leader_election_role.yaml.
std::string cluster_role_yaml();
std::string leader_election_role_yaml();

//! Whether `rules` grant `verb` on group/resource.
bool allows(const std::vector<AccessRule>& rules, const std::string& group, const std::string& resource,
            const std::string& verb);

}  // namespace mg::controllers
