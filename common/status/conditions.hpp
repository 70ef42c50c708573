// common/status/conditions.hpp
//! Standard conditions (`metav1.Condition`) kept the Kubernetes way: one per type, and
//! lastTransitionTime moves only when the status flips, so recomputing the same state yields the same
//! bytes (a steady-state reconcile then writes no status). Pure: "now" is passed in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/api/meta.hpp"

namespace mg::status {

inline constexpr const char* kTrue = "True";
inline constexpr const char* kFalse = "False";
inline constexpr const char* kUnknown = "Unknown";

//! Condition types the controllers set.
inline constexpr const char* kAvailable = "Available";
inline constexpr const char* kProgressing = "Progressing";
inline constexpr const char* kDegraded = "Degraded";
inline constexpr const char* kTemplatesResolved = "TemplatesResolved";
//! False while pool pods run an older template (restarts are the operator's, one at a time).
inline constexpr const char* kPodsUpToDate = "PodsUpToDate";
//! False when the API server refused what the operator applied (an immutable field, a rejected value).
inline constexpr const char* kReconciled = "Reconciled";
//! The cluster's Cell and Database records are in its global topology (etcd); see docs/topology.md.
inline constexpr const char* kTopologyRegistered = "TopologyRegistered";
//! False when the spec declares shards the pinned Multigres cannot serve (resolve::UnservedShard);
//! the spec is kept and reconciled, the condition says which shards will not serve.
inline constexpr const char* kShardsServable = "ShardsServable";
//! True while some pool pod of the shard is being drained (reason InProgress, or DrainTimeout once
//! one took longer than the operator's --drain-timeout); see docs/operations.md.
inline constexpr const char* kDraining = "Draining";
inline constexpr const char* kReasonNoDrain = "NoDrain";
inline constexpr const char* kReasonDrainInProgress = "InProgress";
inline constexpr const char* kReasonDrainTimeout = "DrainTimeout";

//! `message` within api::kMaxConditionMessage: a longer one (a message that names every refused shard of
//! a 10,240-shard cluster) is cut at a character boundary and ends saying how many bytes were cut, so the
//! status that carries it is never refused for its size.
std::string bounded_message(std::string message);

//! Sets `type` in `conditions` (kept sorted by type). The transition time is `now` when the status
//! differs from the previous one (or the type is new), else the previous time. The message is bounded
//! (bounded_message).
void set_condition(std::vector<api::Condition>& conditions, const std::vector<api::Condition>& previous,
                   std::string type, bool value, std::string reason, std::string message, int64_t generation,
                   const std::string& now);

//! Records the outcome of applying an object's children: no error -> Reconciled=True; a terminal
//! failure (retrying cannot help) -> False, reason ApplyFailed, the message saying what was refused.
void set_reconciled(std::vector<api::Condition>& conditions, const std::vector<api::Condition>& previous,
                    const std::optional<std::string>& terminal_error, int64_t generation, const std::string& now);

//! The condition of `type`, or null.
const api::Condition* find_condition(const std::vector<api::Condition>& conditions, const std::string& type);
//! True when the condition of `type` is present and True.
bool is_true(const std::vector<api::Condition>& conditions, const std::string& type);

}  // namespace mg::status
