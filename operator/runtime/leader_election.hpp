// operator/runtime/leader_election.hpp
//! Leader election on a coordination.k8s.io/v1 Lease, shaped like client-go's leaderelection: one
//! replica holds the lease and renews it every retry_period; the others poll every retry_period and
//! take it over once it has expired (or was released). Writes are optimistic (PUT with
//! metadata.resourceVersion): a 409 means another candidate won this round.
//!
//! Expiry ("observed time" rule, as client-go): a candidate never compares the remote renewTime with
//! its own wall clock. It remembers when IT last saw the lease record change, on its local monotonic
//! clock, and treats the lease as held until observed_time + leaseDurationSeconds. Clock skew between
//! replicas therefore cannot make a live lease look expired; the cost is that a candidate that starts
//! up waits one full lease duration before taking over a lease it has never seen change.
//!
//! Safety needs lease_duration > renew_deadline > retry_period, and every API request of the Client
//! to end well within renew_deadline (set ClientOptions::request_timeout and retry accordingly): a
//! leader that cannot renew within renew_deadline stops leading before anyone else may take over.
//! Must not: run leader-only work itself (the caller does that between on_started and on_stopped).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "common/kube/client.hpp"
#include "common/naming/labels.hpp"
#include "common/util/json.hpp"
#include "operator/runtime/clock.hpp"

namespace mg::runtime {

//! The operator's identity on its Lease, so that a client (kubectl multigres version, drain) learns with one
//! request which operator runs, its version and the protocol features it implements: the Lease carries the
//! label app.kubernetes.io/name=multigres-operator (found across namespaces by label) and these annotations,
//! rewritten by every write of the holder (so after an upgrade they name the new leader's build).
//! The keys are in common/naming/labels.hpp, shared with the plugin.
using naming::kOperatorCapabilitiesAnnotation;
using naming::kOperatorVersionAnnotation;

struct OperatorIdentity {
  std::string version;
  std::vector<std::string> capabilities;
};

//! This build: MG_VERSION and the protocol features implemented. None yet; the drain controller adds "drain"
//! (docs/versioning.md).
[[nodiscard]] OperatorIdentity operator_identity();

//! Sets the identity label and the version and capabilities annotations of `lease`, keeping its other metadata.
void set_operator_identity(json::Value& lease, const OperatorIdentity& identity, json::Allocator& a);

struct LeaderElectionConfig {
  std::string lease_namespace;
  std::string lease_name = "multigres-operator";
  std::string identity;  //!< unique per process; empty = default_identity()
  std::chrono::milliseconds lease_duration{15000};
  std::chrono::milliseconds renew_deadline{10000};
  std::chrono::milliseconds retry_period{2000};
  bool release_on_cancel = true;  //!< on stop, clear holderIdentity so a standby takes over at once
  OperatorIdentity published = operator_identity();  //!< written on the Lease with every write
};

//! The spec of a Lease as the election reads and writes it. Times are MicroTime text, compared as-is.
struct LeaseRecord {
  std::string holder_identity;  //!< "" = nobody (never held, or released)
  int32_t lease_duration_seconds = 0;
  std::string acquire_time;
  std::string renew_time;
  int32_t lease_transitions = 0;

  bool operator==(const LeaseRecord&) const = default;
};

enum class LeaseAction { Acquire, Renew, Wait };

//! What a candidate should do with the lease, and the record to write unless action is Wait.
struct LeaseDecision {
  LeaseAction action = LeaseAction::Wait;
  LeaseRecord record;
};

//! Who asks and what it would write.
struct LeaseCandidate {
  std::string identity;
  int32_t lease_duration_seconds = 15;
  std::string now_micro_time;  //!< the wall clock as MicroTime, written to acquireTime / renewTime
};

//! When the candidate last saw the lease record change, on its local clock (the observed-time rule).
//! Not thread-safe.
class LeaseObservation {
 public:
  //! Remembers `record` as seen at `now`; the observed time moves only when the record differs from the
  //! last one seen (a record is "seen" the first time too).
  void observe(const LeaseRecord& record, Clock::TimePoint now);
  [[nodiscard]] const std::optional<LeaseRecord>& record() const { return record_; }
  [[nodiscard]] Clock::TimePoint observed_time() const { return observed_time_; }
  //! Whether the observed holder may still hold the lease at `now`: observed_time + leaseDurationSeconds
  //! is after `now`. False when nothing was observed yet.
  [[nodiscard]] bool valid_at(Clock::TimePoint now) const;

 private:
  std::optional<LeaseRecord> record_;
  Clock::TimePoint observed_time_{};
};

//! The election rule, pure. `current` is the lease as just read, `observed` already includes it.
//! Our own lease → Renew (acquireTime and leaseTransitions kept). No holder, or someone else's lease
//! that expired by the observed-time rule → Acquire (acquireTime = now, leaseTransitions + 1).
//! Someone else's valid lease → Wait.
[[nodiscard]] LeaseDecision decide_lease(const LeaseRecord& current, const LeaseObservation& observed,
                                         Clock::TimePoint now, const LeaseCandidate& me);

//! The record of a brand-new lease held by `me` (leaseTransitions 0).
[[nodiscard]] LeaseRecord initial_lease_record(const LeaseCandidate& me);

//! The record that gives the lease up: no holder, leaseDurationSeconds 1, times = now, transitions kept.
[[nodiscard]] LeaseRecord released_lease_record(const LeaseRecord& held, const std::string& now_micro_time);

//! spec of a Lease object (missing fields read as empty / 0).
[[nodiscard]] LeaseRecord parse_lease_record(const json::Value& lease);

//! Sets spec.holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions of `lease`
//! (an object in `a`), keeping its other fields.
void set_lease_record(json::Value& lease, const LeaseRecord& record, json::Allocator& a);

//! A new Lease object namespace/name with `record` as spec.
[[nodiscard]] json::Document lease_object(const std::string& namespace_name, const std::string& name,
                                          const LeaseRecord& record);

//! MicroTime text: RFC 3339 in UTC with exactly 6 fractional digits, "2024-05-01T10:00:00.123456Z".
[[nodiscard]] std::string format_micro_time(std::chrono::system_clock::time_point t);

//! lease_duration rounded up to whole seconds (at least 1), as leaseDurationSeconds.
[[nodiscard]] int32_t lease_duration_seconds(std::chrono::milliseconds lease_duration);

//! "<hostname>_<16 hex random>".
[[nodiscard]] std::string default_identity();

//! Runs the election. Thread-safe: run() on one thread, is_leader()/identity() from any.
class LeaderElector {
 public:
  //! `client` and `clock` are borrowed and must outlive the elector. Exceptions: std::invalid_argument
  //! when lease_namespace or lease_name is empty, or durations are not lease > renew > retry > 0.
  LeaderElector(kube::Client& client, LeaderElectionConfig config, const Clock& clock = steady_clock());
  LeaderElector(const LeaderElector&) = delete;
  LeaderElector& operator=(const LeaderElector&) = delete;

  //! Blocks: tries to acquire every retry_period until it holds the lease, calls on_started() (which must
  //! return promptly: start leader-only work on other threads), renews every
  //! retry_period; if it cannot renew within renew_deadline (or sees another holder) it calls on_stopped()
  //! and returns (the process should exit). When `stop` is requested it releases the lease (if release_on_cancel),
  //! calls on_stopped() if it was leading, and returns. Release comes first so that an on_stopped() that exits the
  //! process still hands over at once; the caller must have stopped leader-only work before requesting stop. API
  //! failures are logged to stderr (one line) and retried on the next period; nothing throws.
  void run(std::stop_token stop, std::function<void()> on_started, std::function<void()> on_stopped);

  //! True between on_started() and on_stopped(), and only while the last successful renewal is within
  //! renew_deadline on the clock (so a leader stuck in a slow request stops claiming to lead).
  [[nodiscard]] bool is_leader() const;
  [[nodiscard]] std::string identity() const { return config_.identity; }

 private:
  //! One client-go tryAcquireOrRenew round: true when we hold the lease afterwards.
  bool try_acquire_or_renew();
  bool try_fast_renew(const LeaseCandidate& me, Clock::TimePoint now);
  //! Best effort: clears holderIdentity if we still hold the lease.
  void release();
  LeaseCandidate candidate() const;
  kube::ObjectRef lease_ref() const;
  //! `lease` with our identity (set_operator_identity), ready to write.
  json::Document stamped(json::Document lease) const;
  void log(const std::string& message) const;

  kube::Client& client_;
  const LeaderElectionConfig config_;
  const Clock& clock_;

  // Used by the run() thread only.
  LeaseObservation observation_;
  std::optional<json::Document> held_;  // the lease as last written by us (resourceVersion for the fast path)

  std::atomic<bool> leading_{false};
  std::atomic<Clock::Duration::rep> last_renew_{0};  // clock_.now() of the last successful write, since epoch
};

}  // namespace mg::runtime
