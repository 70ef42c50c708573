// operator/runtime/leader_election.cpp
#include "operator/runtime/leader_election.hpp"

#include "operator/runtime/log.hpp"

#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <random>
#include <stdexcept>
#include <utility>

#include "common/kube/wait.hpp"
#include "common/naming/labels.hpp"

namespace mg::runtime {

namespace {

constexpr const char* kLeaseApiVersion = "coordination.k8s.io/v1";
constexpr const char* kLeaseKind = "Lease";
//! The acquire loop waits retry_period plus up to this fraction of it, so candidates spread out.
constexpr double kAcquireJitter = 0.2;

int32_t int_member(const json::Value& v, const char* key) {
  const json::Value* m = json::find(v, key);
  return m != nullptr && m->IsInt() ? m->GetInt() : 0;
}

}  // namespace

// ---------------------------------------------------------------- pure parts

OperatorIdentity operator_identity() { return OperatorIdentity{.version = MG_VERSION, .capabilities = {naming::kDrainCapability}}; }

void set_operator_identity(json::Value& lease, const OperatorIdentity& identity, json::Allocator& a) {
  if (json::find(lease, "metadata") == nullptr || !lease["metadata"].IsObject()) {
    json::set(lease, "metadata", json::Value(rapidjson::kObjectType), a);
  }
  json::Value& meta = lease["metadata"];
  for (const char* field : {"labels", "annotations"}) {
    if (json::find(meta, field) == nullptr || !meta[field].IsObject()) {
      json::set(meta, field, json::Value(rapidjson::kObjectType), a);
    }
  }
  json::set(meta["labels"], naming::kLabelName, json::str(naming::kManagerName, a), a);
  std::string capabilities;
  for (const auto& c : identity.capabilities) {
    capabilities += (capabilities.empty() ? "" : ",") + c;
  }
  json::set(meta["annotations"], kOperatorVersionAnnotation, json::str(identity.version, a), a);
  json::set(meta["annotations"], kOperatorCapabilitiesAnnotation, json::str(capabilities, a), a);
}

void LeaseObservation::observe(const LeaseRecord& record, Clock::TimePoint now) {
  if (!record_ || *record_ != record) {
    record_ = record;
    observed_time_ = now;
  }
}

bool LeaseObservation::valid_at(Clock::TimePoint now) const {
  if (!record_) {
    return false;
  }
  return observed_time_ + std::chrono::seconds(record_->lease_duration_seconds) > now;
}

LeaseDecision decide_lease(const LeaseRecord& current, const LeaseObservation& observed, Clock::TimePoint now,
                           const LeaseCandidate& me) {
  LeaseDecision d;
  d.record.holder_identity = me.identity;
  d.record.lease_duration_seconds = me.lease_duration_seconds;
  d.record.renew_time = me.now_micro_time;
  if (current.holder_identity == me.identity) {
    d.action = LeaseAction::Renew;
    d.record.acquire_time = current.acquire_time.empty() ? me.now_micro_time : current.acquire_time;
    d.record.lease_transitions = current.lease_transitions;
    return d;
  }
  if (!current.holder_identity.empty() && observed.valid_at(now)) {
    d.action = LeaseAction::Wait;
    d.record = current;
    return d;
  }
  d.action = LeaseAction::Acquire;
  d.record.acquire_time = me.now_micro_time;
  d.record.lease_transitions = current.lease_transitions + 1;
  return d;
}

LeaseRecord initial_lease_record(const LeaseCandidate& me) {
  return LeaseRecord{me.identity, me.lease_duration_seconds, me.now_micro_time, me.now_micro_time, 0};
}

LeaseRecord released_lease_record(const LeaseRecord& held, const std::string& now_micro_time) {
  return LeaseRecord{"", 1, now_micro_time, now_micro_time, held.lease_transitions};
}

LeaseRecord parse_lease_record(const json::Value& lease) {
  LeaseRecord r;
  const json::Value* spec = json::find(lease, "spec");
  if (spec == nullptr) {
    return r;
  }
  r.holder_identity = json::get_string(*spec, "holderIdentity");
  r.lease_duration_seconds = int_member(*spec, "leaseDurationSeconds");
  r.acquire_time = json::get_string(*spec, "acquireTime");
  r.renew_time = json::get_string(*spec, "renewTime");
  r.lease_transitions = int_member(*spec, "leaseTransitions");
  return r;
}

void set_lease_record(json::Value& lease, const LeaseRecord& record, json::Allocator& a) {
  if (json::find(lease, "spec") == nullptr || !lease["spec"].IsObject()) {
    json::set(lease, "spec", json::Value(rapidjson::kObjectType), a);
  }
  json::Value& spec = lease["spec"];
  json::set(spec, "holderIdentity", json::str(record.holder_identity, a), a);
  json::set(spec, "leaseDurationSeconds", json::Value(record.lease_duration_seconds), a);
  if (!record.acquire_time.empty()) {
    json::set(spec, "acquireTime", json::str(record.acquire_time, a), a);
  }
  if (!record.renew_time.empty()) {
    json::set(spec, "renewTime", json::str(record.renew_time, a), a);
  }
  json::set(spec, "leaseTransitions", json::Value(record.lease_transitions), a);
}

json::Document lease_object(const std::string& namespace_name, const std::string& name, const LeaseRecord& record) {
  json::Document d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  json::set(d, "apiVersion", json::str(kLeaseApiVersion, a), a);
  json::set(d, "kind", json::str(kLeaseKind, a), a);
  json::Value meta(rapidjson::kObjectType);
  json::set(meta, "name", json::str(name, a), a);
  json::set(meta, "namespace", json::str(namespace_name, a), a);
  json::set(d, "metadata", std::move(meta), a);
  set_lease_record(d, record, a);
  return d;
}

std::string format_micro_time(std::chrono::system_clock::time_point t) {
  const int64_t micros = std::chrono::time_point_cast<std::chrono::microseconds>(t).time_since_epoch().count();
  int64_t secs = micros / 1'000'000;
  int64_t frac = micros % 1'000'000;
  if (frac < 0) {  // floor division for times before 1970
    frac += 1'000'000;
    --secs;
  }
  const std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  ::gmtime_r(&tt, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06" PRId64 "Z", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

int32_t lease_duration_seconds(std::chrono::milliseconds lease_duration) {
  const auto secs = std::chrono::ceil<std::chrono::seconds>(lease_duration).count();
  return secs < 1 ? 1 : static_cast<int32_t>(secs);
}

std::string default_identity() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') {
    std::snprintf(host, sizeof host, "unknown");
  }
  std::random_device rd;
  const uint64_t r = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  char suffix[17];
  std::snprintf(suffix, sizeof suffix, "%016" PRIx64, r);
  return std::string(host) + "_" + suffix;
}

// ---------------------------------------------------------------- the elector

namespace {

LeaderElectionConfig checked(LeaderElectionConfig config) {
  if (config.lease_namespace.empty() || config.lease_name.empty()) {
    throw std::invalid_argument("leader election: lease namespace and name are required");
  }
  if (!(config.lease_duration > config.renew_deadline && config.renew_deadline > config.retry_period &&
        config.retry_period.count() > 0)) {
    throw std::invalid_argument("leader election: need lease_duration > renew_deadline > retry_period > 0");
  }
  if (config.identity.empty()) {
    config.identity = default_identity();
  }
  return config;
}

}  // namespace

LeaderElector::LeaderElector(kube::Client& client, LeaderElectionConfig config, const Clock& clock)
    : client_(client), config_(checked(std::move(config))), clock_(clock) {}

bool LeaderElector::is_leader() const {
  if (!leading_.load()) {
    return false;
  }
  const Clock::TimePoint last{Clock::Duration{last_renew_.load()}};
  return clock_.now() - last < config_.renew_deadline;
}

LeaseCandidate LeaderElector::candidate() const {
  return LeaseCandidate{config_.identity, lease_duration_seconds(config_.lease_duration),
                        format_micro_time(std::chrono::system_clock::now())};
}

kube::ObjectRef LeaderElector::lease_ref() const {
  return kube::ObjectRef{.api_version = kLeaseApiVersion,
                         .kind = kLeaseKind,
                         .namespace_name = config_.lease_namespace,
                         .name = config_.lease_name};
}

json::Document LeaderElector::stamped(json::Document lease) const {
  set_operator_identity(lease, config_.published, lease.GetAllocator());
  return lease;
}

void LeaderElector::log(const std::string& message) const {
  log_info("leader-election", message,
           {{"lease", config_.lease_namespace + "/" + config_.lease_name}, {"identity", config_.identity}});
}

bool LeaderElector::try_fast_renew(const LeaseCandidate& me, Clock::TimePoint now) {
  LeaseRecord record = parse_lease_record(*held_);
  record.renew_time = me.now_micro_time;
  json::Document lease = stamped(json::clone(*held_));
  set_lease_record(lease, record, lease.GetAllocator());
  auto updated = client_.update(lease);
  if (!updated.ok()) {
    if (updated.error().code != ErrorCode::Conflict) {
      log("renewing (fast path): " + updated.error().message);
    }
    return false;
  }
  observation_.observe(record, now);
  held_ = std::move(updated->object);
  return true;
}

bool LeaderElector::try_acquire_or_renew() {
  const Clock::TimePoint now = clock_.now();
  const LeaseCandidate me = candidate();
  if (leading_.load() && held_ && observation_.valid_at(now) && try_fast_renew(me, now)) {
    // renewed optimistically with the version we wrote last
  } else if (auto got = client_.get(lease_ref()); !got.ok()) {
    if (got.error().code != ErrorCode::NotFound) {
      log(got.error().message);
      return false;
    }
    const LeaseRecord record = initial_lease_record(me);
    auto created = client_.create(stamped(lease_object(config_.lease_namespace, config_.lease_name, record)));
    if (!created.ok()) {
      if (created.error().code != ErrorCode::Conflict) {  // AlreadyExists: another candidate was first
        log(created.error().message);
      }
      return false;
    }
    observation_.observe(record, now);
    held_ = std::move(created->object);
  } else {
    const LeaseRecord current = parse_lease_record(got->object);
    observation_.observe(current, now);
    const LeaseDecision decision = decide_lease(current, observation_, now, me);
    if (decision.action == LeaseAction::Wait) {
      return false;
    }
    json::Document lease = stamped(std::move(got->object));
    set_lease_record(lease, decision.record, lease.GetAllocator());
    auto updated = client_.update(lease);
    if (!updated.ok()) {
      if (updated.error().code != ErrorCode::Conflict) {  // 409: another candidate won this round
        log(updated.error().message);
      }
      return false;
    }
    observation_.observe(decision.record, now);
    held_ = std::move(updated->object);
  }
  last_renew_.store(now.time_since_epoch().count());
  return true;
}

void LeaderElector::release() {
  if (!held_) {
    return;
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    const LeaseRecord held = parse_lease_record(*held_);
    if (held.holder_identity != config_.identity) {
      return;  // not ours any more: nothing to release
    }
    const LeaseRecord record = released_lease_record(held, format_micro_time(std::chrono::system_clock::now()));
    json::Document lease = stamped(json::clone(*held_));
    set_lease_record(lease, record, lease.GetAllocator());
    auto updated = client_.update(lease);
    if (updated.ok()) {
      observation_.observe(record, clock_.now());
      held_.reset();
      return;
    }
    if (updated.error().code != ErrorCode::Conflict || attempt > 0) {
      log("releasing: " + updated.error().message);
      return;
    }
    auto got = client_.get(lease_ref());  // written since our last renewal: re-read once
    if (!got.ok()) {
      log("releasing: " + got.error().message);
      return;
    }
    held_ = std::move(got->object);
  }
}

void LeaderElector::run(std::stop_token stop, std::function<void()> on_started, std::function<void()> on_stopped) {
  // Acquire.
  bool acquired = false;
  while (!stop.stop_requested()) {
    if (try_acquire_or_renew()) {
      acquired = true;
      break;
    }
    const auto jitter =
        std::chrono::duration_cast<std::chrono::milliseconds>(config_.retry_period * kAcquireJitter * kube::random01());
    if (!kube::sleep_for(config_.retry_period + jitter, stop)) {
      break;
    }
  }
  if (!acquired) {
    return;
  }
  if (stop.stop_requested()) {  // won the lease just as we were told to stop: hand it back, never started
    if (config_.release_on_cancel) {
      release();
    }
    return;
  }
  leading_.store(true);
  log("became leader");
  if (on_started) {
    on_started();
  }

  // Renew until stopped, until renewals fail for renew_deadline, or until someone else holds the lease.
  bool lost = false;
  while (kube::sleep_for(config_.retry_period, stop)) {
    if (try_acquire_or_renew()) {
      continue;
    }
    const Clock::TimePoint last{Clock::Duration{last_renew_.load()}};
    const auto& seen = observation_.record();
    const bool taken = seen && !seen->holder_identity.empty() && seen->holder_identity != config_.identity;
    if (taken || clock_.now() - last >= config_.renew_deadline) {
      lost = true;
      break;
    }
  }
  leading_.store(false);
  if (lost) {
    log("lost the lease (not renewed within the renew deadline, or taken over)");
  } else {
    if (config_.release_on_cancel) {
      release();
    }
    log(config_.release_on_cancel ? "stopped leading, lease released" : "stopped leading");
  }
  if (on_stopped) {
    on_stopped();
  }
}

}  // namespace mg::runtime
