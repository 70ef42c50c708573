// common/status/postgres.cpp
#include "common/status/postgres.hpp"

#include <algorithm>
#include <charconv>

#include "common/status/conditions.hpp"

namespace mg::status {

Result<std::chrono::seconds> check_interval(const std::string& text) {
  if (text.empty()) return kDefaultCheckInterval;
  auto bad = [&] {
    return make_invalid("spec.checkInterval: \"" + text + "\" is not a duration: use whole numbers with s, m or h, like 30s, 5m or 1h30m");
  };
  int64_t total = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    int64_t n = 0;
    auto [after, ec] = std::from_chars(p, end, n);
    if (ec != std::errc() || after == end || n < 0 || n > 1'000'000) return bad();
    const char unit = *after;
    if (unit == 's') total += n;
    else if (unit == 'm') total += n * 60;
    else if (unit == 'h') total += n * 3600;
    else return bad();
    p = after + 1;
  }
  if (total <= 0) return make_invalid("spec.checkInterval: must be at least 1s (got \"" + text + "\")");
  return std::chrono::seconds(total);
}

api::DatabaseClusterStatus database_cluster_status(const api::DatabaseCluster& cluster, const ConnectionCheck& check,
                                                   const std::string& now) {
  api::DatabaseClusterStatus out;
  const std::vector<api::Condition> previous = cluster.status ? cluster.status->conditions : std::vector<api::Condition>{};
  const int64_t generation = cluster.metadata.generation.value_or(0);
  out.observedGeneration = generation;
  out.lastCheckTime = now;
  if (check.ok) {
    out.serverVersion = check.server_version;
    set_condition(out.conditions, previous, kAvailable, true, kReasonConnected,
                  "connected; PostgreSQL " + check.server_version, generation, now);
  } else {
    if (cluster.status) out.serverVersion = cluster.status->serverVersion;
    set_condition(out.conditions, previous, kAvailable, false, check.reason, check.message, generation, now);
  }
  return out;
}

namespace {

std::string applied_summary(const std::vector<api::AppliedObject>& objects) {
  const auto applied = std::count_if(objects.begin(), objects.end(), [](const api::AppliedObject& o) { return o.applied; });
  return std::to_string(applied) + " of " + std::to_string(objects.size()) + " objects applied";
}

const api::AppliedObject* first_failed(const std::vector<api::AppliedObject>& objects) {
  auto it = std::find_if(objects.begin(), objects.end(), [](const api::AppliedObject& o) { return !o.applied; });
  return it == objects.end() ? nullptr : &*it;
}

}  // namespace

api::PostgresObjectStatus object_status(const std::optional<api::PostgresObjectStatus>& previous, int64_t generation,
                                        const ObjectOutcome& outcome, const std::string& now) {
  using State = ObjectOutcome::State;
  api::PostgresObjectStatus out;
  const std::vector<api::Condition> before = previous ? previous->conditions : std::vector<api::Condition>{};
  out.observedGeneration = generation;
  if (outcome.state != State::Reconciled) {
    // What the server holds has not changed: keep the last known per-object outcome.
    if (previous) {
      out.objects = previous->objects;
      out.secretResourceVersion = previous->secretResourceVersion;
    }
    out.applied = false;
    out.message = outcome.message;
    set_condition(out.conditions, before, kReady, false, outcome.reason, outcome.message, generation, now);
    const api::Condition* applied_before = find_condition(before, kApplied);
    if (outcome.state == State::Waiting && applied_before != nullptr) {
      // Waiting says nothing new about the server: the last Applied stands.
      set_condition(out.conditions, before, kApplied, applied_before->status == kTrue, applied_before->reason,
                    applied_before->message, applied_before->observedGeneration.value_or(generation), now);
    } else {
      set_condition(out.conditions, before, kApplied, false, outcome.reason,
                    outcome.state == State::Invalid ? "nothing was sent to the server: " + outcome.message : outcome.message,
                    generation, now);
    }
    return out;
  }
  out.objects = outcome.objects;
  out.secretResourceVersion = outcome.secret_resource_version;
  const std::string summary = applied_summary(outcome.objects);
  if (const api::AppliedObject* failed = first_failed(outcome.objects)) {
    out.applied = false;
    out.message = summary + "; " + failed->name + ": " + failed->message;
    set_condition(out.conditions, before, kReady, false, kReasonApplyFailed, out.message, generation, now);
    set_condition(out.conditions, before, kApplied, false, kReasonApplyFailed, out.message, generation, now);
  } else {
    out.applied = true;
    out.message = summary;
    set_condition(out.conditions, before, kReady, true, kReasonReconciled, "the server is as the spec says", generation, now);
    set_condition(out.conditions, before, kApplied, true, kReasonReconciled, summary, generation, now);
  }
  return out;
}

}  // namespace mg::status
