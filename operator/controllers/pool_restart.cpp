// operator/controllers/pool_restart.cpp
#include "operator/controllers/pool_restart.hpp"

#include <map>

#include "common/naming/labels.hpp"
#include "operator/controllers/topology.hpp"

namespace mg::controllers {
namespace {

bool pod_ready(const json::Value& pod) {
  const json::Value* ready = json::status_condition(pod, "Ready");
  return ready != nullptr && json::get_string(*ready, "status") == "True";
}

//! Every pool StatefulSet exists, observed its latest spec, and has as many pods as it wants.
bool settled(const std::vector<const json::Value*>& pools, const std::map<std::string, int>& pods_per_set) {
  for (const json::Value* sts : pools) {
    if (sts == nullptr || deleting(*sts)) return false;
    if (json::int_at(*sts, "status.observedGeneration") < json::int_at(*sts, "metadata.generation")) return false;
    const auto it = pods_per_set.find(json::string_at(*sts, "metadata.name"));
    if ((it == pods_per_set.end() ? 0 : it->second) != json::int_at(*sts, "spec.replicas")) return false;
  }
  return true;
}

}  // namespace

Result<RestartStep> restart_pool_pods(Context& ctx, const json::Value& shard, const api::Shard& spec,
                                      const std::vector<const json::Value*>& pools,
                                      const std::vector<ObjectPtr>& pods) {
  std::map<std::string, std::string> revision;  // StatefulSet -> its updateRevision
  for (const json::Value* sts : pools) {
    if (sts != nullptr)
      revision[json::string_at(*sts, "metadata.name")] = json::string_at(*sts, "status.updateRevision");
  }
  std::map<std::string, int> pods_per_set;
  std::map<std::string, const json::Value*> by_name;
  std::vector<RestartPod> facts;
  for (const ObjectPtr& pod : pods) {
    if (deleting(*pod)) continue;
    const json::Value* owner = runtime::controller_of(*pod);
    const std::string set = owner != nullptr ? json::get_string(*owner, "name") : "";
    const auto it = revision.find(set);
    if (it == revision.end()) continue;  // not a pod of this shard's current pools
    ++pods_per_set[set];
    RestartPod p;
    p.name = json::string_at(*pod, "metadata.name");
    p.ready = pod_ready(*pod);
    const std::string hash = json::string_at(*pod, "metadata.labels.controller-revision-hash");
    p.stale = !it->second.empty() && !hash.empty() && hash != it->second;
    const json::Value* labels = json::at_path(*pod, "metadata.labels");
    p.role = labels != nullptr ? json::get_string(*labels, naming::kLabelRole) : "";
    p.drain_state = json::annotation(*pod, naming::kDrainAnnotation);
    by_name[p.name] = pod.get();
    facts.push_back(std::move(p));
  }
  const bool pools_settled = settled(pools, pods_per_set);
  const bool wait_for_cohort = ctx.drain.wait_for_cohort;
  RestartStep step = plan_restart(facts, pools_settled, wait_for_cohort);
  if (step.action == RestartStep::Action::ReadCohort) {
    const CohortFacts cohort = read_primary_cohort(ctx, spec);
    step = plan_restart(std::move(facts), pools_settled, wait_for_cohort, &cohort);
  }
  if (step.action != RestartStep::Action::RequestDrain && step.action != RestartStep::Action::Delete) return step;

  const json::Value& pod = *by_name.at(step.pod);
  if (step.action == RestartStep::Action::RequestDrain) {
    auto patched = ctx.writer.patch_metadata(
        pod, {.annotations = {{naming::kDrainAnnotation, naming::kDrainRequested}}, .same_uid = true});
    if (!patched.ok()) return patched.error().with_context("requesting a drain to restart the pod");
    ctx.events.event(runtime::EventRegarding::of(shard), runtime::EventType::Normal, "RestartDraining", "Restart",
                     "draining pool pod " + step.pod + " to restart it onto the current template");
    return step;
  }
  auto removed = ctx.writer.remove(pod, {.same_uid = true});
  if (!removed.ok()) return removed.error().with_context("restarting the pod");
  ctx.events.event(runtime::EventRegarding::of(shard), runtime::EventType::Normal, "PodRestarted", "Restart",
                   "deleted drained pool pod " + step.pod + "; its StatefulSet re-creates it on the current template");
  return step;
}

}  // namespace mg::controllers
