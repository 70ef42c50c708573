// operator/controllers/drain.cpp
//! Drain: the operator's side of the drain protocol, one pool pod per key. Each pass reads the pod's
//! drain annotations from the cache and, once acknowledged, the pod's role from the topology (now, not
//! the role label, which may be 10 s old), lets plan_drain decide, and writes only what changed: the
//! state, the times it keeps, and its message. Never deletes a pod.
#include "common/build/multiadmin.hpp"
#include "common/kube/encoding.hpp"
#include "common/naming/names.hpp"
#include "operator/controllers/controllers.hpp"
#include "operator/controllers/drain_plan.hpp"
#include "operator/controllers/topology.hpp"

namespace mg::controllers {
namespace {

using Action = DrainStep::Action;

std::optional<DrainFacts::Clock::time_point> time_annotation(const json::Value& pod, const char* key) {
  auto parsed = kube::parse_rfc3339(json::annotation(pod, key));
  return parsed.ok() ? std::optional(*parsed) : std::nullopt;
}

//! The Shard whose pool the pod belongs to, from the cache.
std::optional<api::Shard> shard_of(Context& ctx, const json::Value& pod) {
  const std::string ns = json::get_string(*json::find(pod, "metadata"), "namespace");
  for (const ObjectPtr& object : ctx.caches.shards->list(ns)) {
    auto shard = decode_cached<api::Shard>(*object);
    if (shard.ok() && pool_pod_of(pod, *shard)) return std::move(*shard);
  }
  return std::nullopt;
}

//! Reads what plan_drain needs; the topology only once the drain is acknowledged.
DrainFacts facts_of(Context& ctx, const json::Value& pod, const std::string& state,
                    const std::optional<api::Shard>& shard) {
  DrainFacts f;
  f.state = state;
  f.acknowledged_at = time_annotation(pod, naming::kDrainAcknowledgedAtAnnotation);
  f.switchover_at = time_annotation(pod, naming::kDrainSwitchoverAtAnnotation);
  f.switchover_error = json::annotation(pod, naming::kDrainSwitchoverErrorAnnotation);
  f.now = ctx.now();
  f.timeout = ctx.drain.timeout;
  if (state != naming::kDrainAcknowledged) return f;
  if (!shard) {
    f.role_problem = "no Shard in the namespace has this pod in its pools";
    return f;
  }
  auto role = pooler_role(ctx, *shard, json::get_string(*json::find(pod, "metadata"), "name"));
  if (role.ok()) {
    f.role = *role;
  } else {
    f.role_problem = "reading the topology: " + role.error().message;
  }
  return f;
}

void tell(Context& ctx, const json::Value& pod, runtime::EventType type, const char* reason, const std::string& note) {
  ctx.events.event(runtime::EventRegarding::of(pod), type, reason, "Drain", note);
}

}  // namespace

runtime::Reconciler drain_reconciler(Context& ctx) {
  return [&ctx](const std::string& key) -> Result<runtime::ReconcileResult> {
    auto [ns, name] = runtime::split_key(key);
    ObjectPtr pod = ctx.caches.pool_pods->get(ns, name);
    if (!pod || deleting(*pod)) return runtime::ReconcileResult{};
    const std::string state = json::annotation(*pod, naming::kDrainAnnotation);
    if (!drain_in_progress(state)) return runtime::ReconcileResult{};

    const std::optional<api::Shard> shard = shard_of(ctx, *pod);
    DrainFacts facts = facts_of(ctx, *pod, state, shard);
    DrainStep step = plan_drain(facts);
    const std::string before = json::annotation(*pod, naming::kDrainMessageAnnotation);
    std::map<std::string, std::string> write;
    switch (step.action) {
      case Action::None:
        return runtime::ReconcileResult{};
      case Action::Acknowledge:
        write[naming::kDrainAnnotation] = naming::kDrainAcknowledged;
        write[naming::kDrainAcknowledgedAtAnnotation] = ctx.stamp();
        break;
      case Action::Finish:
        write[naming::kDrainAnnotation] = naming::kDrainFinished;
        break;
      case Action::RequestSwitchover: {
        // plan_drain asks only for a pod whose role it read, which takes its Shard: *shard is there.
        auto asked = ctx.drain.multiadmin->switch_primary(
            multiadmin_address(ctx, shard->metadata.namespace_, shard->spec.environment.clusterName),
            shard->spec.databaseName, shard->spec.tableGroupName, shard->spec.shardName, "drain of pod " + name);
        facts.switchover_at = facts.now;
        facts.switchover_error = asked.ok() ? "" : asked.error().message;
        write[naming::kDrainSwitchoverAtAnnotation] = ctx.stamp();
        write[naming::kDrainSwitchoverErrorAnnotation] = facts.switchover_error;
        if (!asked.ok()) tell(ctx, *pod, runtime::EventType::Warning, "SwitchoverFailed", facts.switchover_error);
        // What the pod waits for now that it asked.
        step = DrainStep{step.action, plan_drain(facts).message, step.timed_out, step.requeue};
        break;
      }
      case Action::Wait:
        break;
    }
    if (step.message != before) write[naming::kDrainMessageAnnotation] = step.message;
    if (!write.empty()) {
      // The uid makes it fail on a replaced pod.
      auto written = ctx.writer.patch_metadata(*pod, {.annotations = std::move(write), .same_uid = true});
      if (!written.ok()) return written.error().with_context("annotating the drain");
    }
    if (step.action == Action::Acknowledge)
      tell(ctx, *pod, runtime::EventType::Normal, "DrainAcknowledged", step.message);
    if (step.action == Action::Finish) tell(ctx, *pod, runtime::EventType::Normal, "Drained", step.message);
    if (step.timed_out && !before.starts_with(naming::kDrainTimedOutPrefix)) {
      tell(ctx, *pod, runtime::EventType::Warning, "DrainTimeout", step.message);
    }
    if (step.requeue.count() > 0) return runtime::ReconcileResult{step.requeue};
    return runtime::ReconcileResult{};
  };
}

}  // namespace mg::controllers
