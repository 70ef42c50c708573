// operator/controllers/topology.hpp
//! The controllers' side of the Multigres topology (etcd): the cluster registers its Cell and
//! Database records and removes them on deletion; a shard reads its poolers' records for the pod roles.
//! Every call is bounded (etcd requests time out after a few seconds), so a dead etcd slows one
//! reconcile a little and never holds the shared workers. See docs/topology.md.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/api/children.hpp"
#include "common/api/multigres_cluster.hpp"
#include "common/resolve/resolved_cluster.hpp"
#include "operator/controllers/context.hpp"
#include "operator/controllers/restart_plan.hpp"

namespace mg::controllers {

//! Registers the records `cluster` wants (topo::desired_registration), removes those it no longer
//! does, and sets condition TopologyRegistered in `conditions` (`before`: the cluster's current ones).
//! A Warning event goes out once when registration starts failing and a Normal one when it recovers;
//! an etcd never reached yet is "WaitingForEtcd" (starting up, or its TLS Secrets missing: no event).
//! Returns when to come back: after a failure with a backoff that grows with the time the condition
//! has been False (2 s up to 1 min), else a slow resync that repairs records edited by hand.
std::chrono::milliseconds register_topology(Context& ctx, const json::Value& object,
                                            const resolve::ResolvedCluster& cluster,
                                            const std::vector<api::Condition>& before,
                                            std::vector<api::Condition>& conditions, int64_t generation);

//! How long to wait before registering again after a failure: the time TopologyRegistered has been
//! False (`false_since`, its lastTransitionTime, to `now`; both RFC 3339), at least 2 s and at most
//! 1 min. 2 s when either time does not parse. Pure.
std::chrono::seconds registration_backoff(std::string_view false_since, Clock::time_point now);

//! On cluster deletion: removes every record the cluster registered. Returns nullopt when the
//! finalizer may go (nothing left, nothing was ever written, or the operator-managed etcd holding the
//! records is itself gone), else when to try again (etcd unreachable, a cell still listed by a
//! database someone else owns); failures are reported in the condition and a Warning event once.
std::optional<std::chrono::milliseconds> unregister_topology(Context& ctx, const json::Value& object,
                                                             const api::MultigresCluster& cluster,
                                                             const std::optional<resolve::ResolvedCluster>& resolved);

//! The pods of `shard` as their poolers registered them (pod name -> role and serving state), after
//! pruning (spec.topologyReconciliation.pruneTablets of the cells) the records of poolers whose pod is
//! gone, and labelling each pod multigres.com/role. nullopt when the topology cannot be read.
std::optional<std::map<std::string, api::PodRole>> observe_shard_roles(Context& ctx, const json::Value& object,
                                                                       const api::Shard& shard);

//! The cohort of the current rule of `shard`'s primary, asked now of the primary's pooler through
//! multiadmin (topo::Multiadmin::pooler_rule), as the pods of its members, with the rule's age.
CohortFacts read_primary_cohort(Context& ctx, const api::Shard& shard);

//! The role the topology gives `pod` of `shard`, read now ("PRIMARY", "REPLICA", ...; "" when the pod
//! registered no pooler); an error when the topology cannot be read. The drain protocol asks this
//! instead of the role label, which may be one poll old.
Result<std::string> pooler_role(Context& ctx, const api::Shard& shard, const std::string& pod);

}  // namespace mg::controllers
