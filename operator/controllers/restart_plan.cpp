// operator/controllers/restart_plan.cpp
#include "operator/controllers/restart_plan.hpp"

#include <algorithm>

#include "common/naming/labels.hpp"

namespace mg::controllers {

RestartStep plan_restart(std::vector<RestartPod> pods, bool settled) {
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
    const bool a_primary = a.role == "PRIMARY";
    const bool b_primary = b.role == "PRIMARY";
    if (a_primary != b_primary) return b_primary;
    return a.name > b.name;
  });
  for (const auto& p : pods) {
    if (p.stale) return {Action::RequestDrain, p.name, pending + ": draining " + p.name + " to restart it"};
  }
  return {};
}

}  // namespace mg::controllers
