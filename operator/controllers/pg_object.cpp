// operator/controllers/pg_object.cpp
#include "operator/controllers/pg_object.hpp"

#include <algorithm>
#include <cctype>

#include "common/status/conditions.hpp"

namespace mg::controllers {
namespace {

using State = status::ObjectOutcome::State;

//! A failed server call comes back sooner than the interval.
constexpr std::chrono::seconds kRetryFailed{30};

status::ObjectOutcome waiting(const char* reason, std::string message) {
  return status::ObjectOutcome{.state = State::Waiting, .reason = reason, .message = std::move(message), .objects = {},
                               .secret_resource_version = {}};
}

status::ObjectOutcome invalid(const api::FieldErrors& errors) {
  std::string message;
  for (const auto& e : errors) message += (message.empty() ? "" : "; ") + e.str();
  return status::ObjectOutcome{.state = State::Invalid, .reason = status::kReasonInvalidSpec, .message = message,
                               .objects = {}, .secret_resource_version = {}};
}

//! On delete: drops the object when the finalizer asks for it, then releases the finalizer.
Result<runtime::ReconcileResult> finish_deletion(Context& ctx, const PostgresObject& o,
                                                 const std::optional<api::DatabaseCluster>& cluster) {
  if (!runtime::has_finalizer(o.object, kPostgresFinalizer)) return runtime::ReconcileResult{};
  const auto about = runtime::EventRegarding::of(o.object);
  if (!cluster) {
    ctx.events.event(about, runtime::EventType::Warning, status::kReasonClusterNotFound, "Drop",
                     "DatabaseCluster " + o.cluster + " no longer exists: nothing was dropped");
  } else {
    auto target = server_target(ctx, *cluster);
    if (!target.ok()) return target.error().with_context("dropping: DatabaseCluster " + o.cluster);
    if (auto dropped = o.drop(*target); !dropped.ok()) {
      ctx.events.event(about, runtime::EventType::Warning, "DropFailed", "Drop", dropped.error().message);
      return dropped.error();
    }
    ctx.events.event(about, runtime::EventType::Normal, "Dropped", "Drop", "dropped (reclaimPolicy: Delete)");
  }
  if (auto released = set_finalizer(ctx, o.object, kPostgresFinalizer, false); !released.ok()) return released.error();
  return runtime::ReconcileResult{};
}

//! Where the reconcile ends, and when to come back.
struct Step {
  status::ObjectOutcome outcome;
  std::optional<std::chrono::milliseconds> requeue;
};

Step run(Context& ctx, const PostgresObject& o, const std::optional<api::DatabaseCluster>& cluster) {
  if (auto errors = o.validate(""); !errors.empty()) return {invalid(errors), std::nullopt};
  // Waiting needs no timer: a change of the DatabaseCluster brings this object back.
  if (!cluster) {
    return {waiting(status::kReasonClusterNotFound, "waiting for DatabaseCluster " + o.cluster + ": it does not exist"), std::nullopt};
  }
  const std::vector<api::Condition> none;
  const auto& conditions = cluster->status ? cluster->status->conditions : none;
  if (!status::is_true(conditions, status::kAvailable)) {
    const api::Condition* available = status::find_condition(conditions, status::kAvailable);
    return {waiting(status::kReasonClusterNotAvailable, "waiting for DatabaseCluster " + o.cluster + " to be Available" +
                                                             (available ? ": " + available->message : std::string())),
            std::nullopt};
  }
  auto target = server_target(ctx, *cluster);
  if (!target.ok()) {
    return {waiting(status::kReasonClusterNotAvailable, "waiting for DatabaseCluster " + o.cluster + ": " + target.error().message),
            std::nullopt};
  }
  if (auto errors = o.validate(target->address.user); !errors.empty()) return {invalid(errors), std::nullopt};
  status::ObjectOutcome outcome = o.reconcile(*target);
  const std::chrono::seconds interval = check_interval_of(*cluster);
  const bool clean = outcome.state == State::Reconciled &&
                     std::all_of(outcome.objects.begin(), outcome.objects.end(), [](const api::AppliedObject& x) { return x.applied; });
  return {std::move(outcome), clean ? interval : std::min(interval, kRetryFailed)};
}

}  // namespace

Result<runtime::ReconcileResult> reconcile_postgres_object(Context& ctx, const PostgresObject& o) {
  const std::optional<api::DatabaseCluster> cluster = database_cluster(ctx, o.cluster);
  if (deleting(o.object)) return finish_deletion(ctx, o, cluster);
  if (auto set = set_finalizer(ctx, o.object, kPostgresFinalizer, o.reclaim_delete); !set.ok()) return set.error();

  Step step = run(ctx, o, cluster);
  api::PostgresObjectStatus status = status::object_status(o.status, o.generation, step.outcome, ctx.stamp());
  event_on_change(ctx, o.object, o.status ? o.status->conditions : std::vector<api::Condition>{}, status.conditions,
                  status::kReady);
  if (auto written = o.write_status(status); !written.ok()) return written.error();
  return runtime::ReconcileResult{step.requeue};
}

api::PostgresObjectStatus undecodable_status(Context& ctx, const json::Value& object, const Error& error) {
  std::optional<api::PostgresObjectStatus> previous;
  if (const json::Value* s = json::find(object, "status")) {
    if (auto decoded = decode_cached<api::PostgresObjectStatus>(*s); decoded.ok()) previous = std::move(*decoded);
  }
  const json::Value* generation = json::at_path(object, "metadata.generation");
  api::PostgresObjectStatus status =
      status::object_status(previous, generation != nullptr && generation->IsInt64() ? generation->GetInt64() : 0,
                            status::ObjectOutcome{.state = State::Invalid,
                                                  .reason = status::kReasonInvalidSpec,
                                                  .message = error.message,
                                                  .objects = {},
                                                  .secret_resource_version = {}},
                            ctx.stamp());
  event_on_change(ctx, object, previous ? previous->conditions : std::vector<api::Condition>{}, status.conditions,
                  status::kReady);
  return status;
}

Result<runtime::ReconcileResult> release_undecodable(Context& ctx, const json::Value& object) {
  if (!runtime::has_finalizer(object, kPostgresFinalizer)) return runtime::ReconcileResult{};
  ctx.events.event(runtime::EventRegarding::of(object), runtime::EventType::Warning, status::kReasonInvalidSpec, "Drop",
                   "the spec cannot be read, so nothing was dropped");
  if (auto released = set_finalizer(ctx, object, kPostgresFinalizer, false); !released.ok()) return released.error();
  return runtime::ReconcileResult{};
}

api::AppliedObject apply_owned(Context& ctx, const json::Value& owner, std::optional<json::Document> desired,
                               const std::string& kind, const std::string& name, bool prune) {
  std::vector<json::Document> children;
  if (desired) children.push_back(std::move(*desired));
  auto applied = apply_children(ctx, owner, std::move(children), prune ? std::vector<std::string>{kind} : std::vector<std::string>{});
  std::string label = kind;
  std::transform(label.begin(), label.end(), label.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!name.empty()) label += "/" + name;
  return api::AppliedObject{label, applied.ok(), applied.ok() ? "" : applied.error().message};
}

status::ObjectOutcome outcome_of(const Result<pg::Outcome>& reconciled) {
  if (!reconciled.ok()) {
    return status::ObjectOutcome{.state = State::Failed, .reason = status::kReasonApplyFailed,
                                 .message = reconciled.error().message, .objects = {}, .secret_resource_version = {}};
  }
  return status::ObjectOutcome{.state = State::Reconciled, .reason = {}, .message = {}, .objects = reconciled->objects,
                               .secret_resource_version = {}};
}

}  // namespace mg::controllers
