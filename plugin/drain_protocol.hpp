// plugin/drain_protocol.hpp
//! The client side of the drain protocol (../shared/design/api.md, "Drain protocol"), pure: the states of
//! the annotation drain.multigres.com/state on a pool pod, which pods may be drained, the progress lines,
//! and what the plugin reads from the operator's Lease to know whether the running operator speaks the
//! protocol (its version and capabilities, written by operator/runtime/leader_election) and whether its
//! version is skewed from the plugin's (docs/versioning.md). No I/O: drain.cpp and version.cpp do that.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/naming/labels.hpp"
#include "common/util/json.hpp"

namespace mg::plugin {

using naming::kDrainAcknowledged;
using naming::kDrainAnnotation;
using naming::kDrainCapability;
using naming::kDrainFinished;
using naming::kDrainMessageAnnotation;
using naming::kDrainRequested;

//! The keys the operator writes on its Lease (common/naming, shared with operator/runtime/leader_election).
using naming::kOperatorCapabilitiesAnnotation;
using naming::kOperatorLeaseSelector;
using naming::kOperatorVersionAnnotation;

//! "" when `pod` is a pool pod of a MultigresCluster (labels app.kubernetes.io/component=shard-pool and
//! multigres.com/cluster); otherwise the one line that says why it cannot be drained.
std::string pool_pod_problem(const json::Value& pod);

//! The label selector of every pool pod of every MultigresCluster.
std::string pool_pod_selector();

//! "namespace/name" of an object.
std::string pod_key(const json::Value& pod);

//! The drain state of `pod` ("" = none).
std::string drain_state(const json::Value& pod);

//! Pod key -> state; "" = no annotation, "gone" = the pod was deleted or replaced (new uid).
using DrainStates = std::map<std::string, std::string>;
inline constexpr const char* kDrainGone = "gone";

//! One line per pod whose state differs between `before` and `after`, e.g.
//! "pod ns/a: requested -> acknowledged (12s)"; `elapsed_seconds` is the time since the drain started.
std::vector<std::string> progress_lines(const DrainStates& before, const DrainStates& after, int64_t elapsed_seconds);

//! Pod key -> the operator's latest word on its drain (annotation drain.multigres.com/message).
using DrainMessages = std::map<std::string, std::string>;

//! The operator's message on `pod` ("" = none).
std::string drain_message(const json::Value& pod);

//! One line per pod whose message changed to a non-empty one: "pod ns/a: operator: MESSAGE".
std::vector<std::string> message_lines(const DrainMessages& before, const DrainMessages& after);

//! The pods not finished yet, as "ns/a (acknowledged: MESSAGE), ns/b (requested)"; "" when all are finished.
std::string unfinished(const DrainStates& states, const DrainMessages& messages = {});

//! What the plugin learns from one operator Lease.
struct OperatorInfo {
  std::string namespace_name;
  std::string name;
  std::string holder;   //!< spec.holderIdentity; "" = released (no replica leads)
  std::string version;  //!< "" when the Lease carries no version annotation
  std::vector<std::string> capabilities;
  bool stale = false;   //!< renewTime + leaseDurationSeconds is before now: the holder stopped renewing
};

//! Reads a Lease; `now_unix` (seconds) decides staleness.
OperatorInfo parse_operator_lease(const json::Value& lease, int64_t now_unix);

//! A holder that keeps renewing.
bool is_running(const OperatorInfo& op);

bool has_capability(const OperatorInfo& op, std::string_view capability);

//! "0.1.0 (lease ns/name, holder h)" plus "; not renewed: stopped?" / "; released" when not running.
std::string describe_operator(const OperatorInfo& op);

//! Why drain cannot run against `operators` (the running ones count), or "" when one advertises drain and
//! none of the running ones lacks it.
std::string drain_refusal(const std::vector<OperatorInfo>& operators);

struct SemVer {
  int major = 0;
  int minor = 0;
  int patch = 0;
  std::string pre_release;  //!< after '-', without build metadata
};

//! "1.2.3", "v1.2.3", "1.2.3-rc.1+abc"; nullopt when it is not MAJOR.MINOR.PATCH.
std::optional<SemVer> parse_semver(std::string_view text);

//! The skew policy of docs/versioning.md: "" when `plugin` and `operator_version` may work together,
//! else one warning line that names both versions and what to do.
std::string version_skew_warning(const std::string& plugin, const std::string& operator_version);

}  // namespace mg::plugin
