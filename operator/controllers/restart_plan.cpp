// operator/controllers/restart_plan.cpp
#include "operator/controllers/restart_plan.hpp"

#include <algorithm>

#include "common/naming/labels.hpp"

namespace mg::controllers {

namespace {

bool is_primary(const RestartPod& p) {
  return p.role == "PRIMARY";
}

bool in_consensus(const RestartPod& p) {
  return is_primary(p) || p.role == "REPLICA";
}

//! Why the cohort does not allow another drain yet; "" when it does.
std::string cohort_wait(const std::vector<RestartPod>& pods, const CohortFacts& cohort) {
  if (!cohort.error.empty()) return "waiting to read the primary's cohort: " + cohort.error;
  for (const auto& p : pods) {
    if (in_consensus(p) && std::find(cohort.pods.begin(), cohort.pods.end(), p.name) == cohort.pods.end()) {
      return "waiting for " + p.name +
             " to rejoin the primary's cohort (multiorch adds a replica back once it streams)";
    }
  }
  if (!cohort.age || *cohort.age < kCohortSettle) {
    return "waiting for the primary's cohort to hold " + std::to_string(kCohortSettle.count()) + " s (changed " +
           (cohort.age ? std::to_string(cohort.age->count()) + " s ago)" : "at an unknown time)");
  }
  return "";
}

}  // namespace

RestartStep plan_restart(std::vector<RestartPod> pods, bool settled, bool wait_for_cohort, const CohortFacts* cohort) {
  using Action = RestartStep::Action;
  const auto stale = std::count_if(pods.begin(), pods.end(), [](const RestartPod& p) { return p.stale; });
  if (stale == 0) return {};
  const std::string pending = std::to_string(stale) + " pool pod(s) on an older template";
  // A drained stale pod goes first: it is safe to delete, and deleting it is what the drain was for.
  for (const auto& p : pods) {
    if (p.stale && p.drain_state == naming::kDrainFinished) {
      return {Action::Delete, p.name, pending + ": restarting " + p.name + " (drained)"};
    }
  }
  for (const auto& p : pods) {
    if (p.drain_state == naming::kDrainRequested || p.drain_state == naming::kDrainAcknowledged) {
      return {Action::Wait, p.name, pending + ": waiting for the drain of " + p.name};
    }
  }
  if (!settled) return {Action::Wait, "", pending + ": waiting for the pool StatefulSets to settle"};
  for (const auto& p : pods) {
    if (!p.ready) return {Action::Wait, p.name, pending + ": waiting for " + p.name + " to be ready"};
  }
  // Replicas first, the primary last; among equals the highest name first, as StatefulSets roll.
  std::sort(pods.begin(), pods.end(), [](const RestartPod& a, const RestartPod& b) {
    const bool a_primary = is_primary(a);
    const bool b_primary = is_primary(b);
    if (a_primary != b_primary) return b_primary;
    return a.name > b.name;
  });
  const auto next = std::find_if(pods.begin(), pods.end(), [](const RestartPod& p) { return p.stale; });
  // Pods without a role (no pooler registered: kwok, or a shard not started) have no consensus to keep.
  const bool check = wait_for_cohort && std::any_of(pods.begin(), pods.end(), in_consensus);
  if (check && std::none_of(pods.begin(), pods.end(), is_primary)) {
    return {Action::Wait, next->name,
            pending + ": waiting for the shard to have a primary (an election takes every pod)"};
  }
  if (check && cohort == nullptr) return {Action::ReadCohort, next->name, pending + ": reading the cohort"};
  if (check) {
    if (std::string why = cohort_wait(pods, *cohort); !why.empty())
      return {Action::Wait, next->name, pending + ": " + why};
  }
  return {Action::RequestDrain, next->name, pending + ": draining " + next->name + " to restart it"};
}

}  // namespace mg::controllers
