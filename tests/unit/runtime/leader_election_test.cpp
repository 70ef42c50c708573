// tests/unit/runtime/leader_election_test.cpp: the lease rule (acquire / renew / wait) on a fake clock,
// the observed-time rule, Lease (de)serialisation, MicroTime, and the elector's config checks and stop.
#include "operator/runtime/leader_election.hpp"

#include <atomic>
#include <catch2/catch.hpp>

#include "tests/unit/runtime/fake_clock.hpp"
#include <chrono>
#include <stdexcept>
#include <stop_token>
#include <thread>

#include "common/kube/encoding.hpp"

using namespace std::chrono_literals;
using mg::runtime::Clock;
using mg::runtime::decide_lease;
using mg::runtime::LeaseAction;
using mg::runtime::LeaseCandidate;
using mg::runtime::LeaseObservation;
using mg::runtime::LeaseRecord;

namespace {

using mg::test::FakeClock;

LeaseRecord held_by(const std::string& holder, int32_t transitions = 3) {
  return LeaseRecord{holder, 15, "2024-05-01T10:00:00.000000Z", "2024-05-01T10:00:05.000000Z", transitions};
}

LeaseCandidate me(const std::string& now = "2024-05-01T11:00:00.000000Z") {
  return LeaseCandidate{"me", 15, now};
}

//! A client that is never reached: nothing listens on port 1.
std::unique_ptr<mg::kube::Client> unreachable_client() {
  mg::kube::RestConfig config;
  config.server = "https://127.0.0.1:1";
  mg::kube::ClientOptions options;
  options.retry.max_attempts = 1;
  return std::make_unique<mg::kube::Client>(config, options);
}

}  // namespace

TEST_CASE("format_micro_time writes UTC with six fractional digits", "[runtime]") {
  const auto t = std::chrono::system_clock::time_point{1714557600s + 123456us};
  CHECK(mg::runtime::format_micro_time(t) == "2024-05-01T10:00:00.123456Z");
  CHECK(mg::runtime::format_micro_time(std::chrono::system_clock::time_point{1714557600s}) ==
        "2024-05-01T10:00:00.000000Z");
  auto back = mg::kube::parse_rfc3339(mg::runtime::format_micro_time(t));
  REQUIRE(back.ok());
  CHECK(*back == t);
}

TEST_CASE("lease_duration_seconds rounds up to whole seconds, at least 1", "[runtime]") {
  CHECK(mg::runtime::lease_duration_seconds(15000ms) == 15);
  CHECK(mg::runtime::lease_duration_seconds(2500ms) == 3);
  CHECK(mg::runtime::lease_duration_seconds(0ms) == 1);
}

TEST_CASE("the observed time moves only when the record changes", "[runtime]") {
  FakeClock clock;
  LeaseObservation seen;
  CHECK_FALSE(seen.valid_at(clock.now()));

  const auto t0 = clock.now();
  seen.observe(held_by("other"), t0);
  CHECK(seen.observed_time() == t0);
  clock.advance(10s);
  seen.observe(held_by("other"), clock.now());  // same record: still observed at t0
  CHECK(seen.observed_time() == t0);
  CHECK(seen.valid_at(clock.now()));
  clock.advance(5s);
  CHECK_FALSE(seen.valid_at(clock.now()));  // t0 + 15s is not after now

  LeaseRecord renewed = held_by("other");
  renewed.renew_time = "2024-05-01T10:00:20.000000Z";
  seen.observe(renewed, clock.now());
  CHECK(seen.observed_time() == clock.now());
  CHECK(seen.valid_at(clock.now()));
}

TEST_CASE("someone else's valid lease is respected", "[runtime]") {
  FakeClock clock;
  LeaseObservation seen;
  const LeaseRecord current = held_by("other");
  seen.observe(current, clock.now());
  clock.advance(14s);
  seen.observe(current, clock.now());
  auto d = decide_lease(current, seen, clock.now(), me());
  CHECK(d.action == LeaseAction::Wait);
  CHECK(d.record == current);
}

TEST_CASE("an expired lease is taken over and leaseTransitions incremented", "[runtime]") {
  FakeClock clock;
  LeaseObservation seen;
  const LeaseRecord current = held_by("other", 3);
  seen.observe(current, clock.now());
  clock.advance(15s);  // not renewed for a whole lease duration
  seen.observe(current, clock.now());
  auto d = decide_lease(current, seen, clock.now(), me("2024-05-01T11:00:00.000000Z"));
  CHECK(d.action == LeaseAction::Acquire);
  CHECK(d.record.holder_identity == "me");
  CHECK(d.record.lease_transitions == 4);
  CHECK(d.record.lease_duration_seconds == 15);
  CHECK(d.record.acquire_time == "2024-05-01T11:00:00.000000Z");
  CHECK(d.record.renew_time == "2024-05-01T11:00:00.000000Z");
}

TEST_CASE("expiry follows the local observed time, not the remote renewTime", "[runtime]") {
  FakeClock clock;
  LeaseObservation seen;
  // The holder's clock is far behind ours: its renewTime looks a day old, but we have just seen the
  // record for the first time, so it is valid for a full lease duration from now.
  LeaseRecord current = held_by("other");
  current.renew_time = "2024-04-30T10:00:00.000000Z";
  seen.observe(current, clock.now());
  CHECK(decide_lease(current, seen, clock.now(), me()).action == LeaseAction::Wait);

  // A holder that keeps renewing stays valid however long it holds the lease.
  for (int i = 0; i < 10; ++i) {
    clock.advance(10s);
    current.renew_time = "2024-04-30T10:00:" + std::to_string(10 + i) + ".000000Z";
    seen.observe(current, clock.now());
    CHECK(decide_lease(current, seen, clock.now(), me()).action == LeaseAction::Wait);
  }
}

TEST_CASE("our own lease is renewed, keeping acquireTime and leaseTransitions", "[runtime]") {
  FakeClock clock;
  LeaseObservation seen;
  const LeaseRecord current = held_by("me", 7);
  seen.observe(current, clock.now());
  clock.advance(60s);  // even when it looks expired, it is ours to renew
  auto d = decide_lease(current, seen, clock.now(), me("2024-05-01T11:00:02.000000Z"));
  CHECK(d.action == LeaseAction::Renew);
  CHECK(d.record.holder_identity == "me");
  CHECK(d.record.acquire_time == current.acquire_time);
  CHECK(d.record.renew_time == "2024-05-01T11:00:02.000000Z");
  CHECK(d.record.lease_transitions == 7);
}

TEST_CASE("a released lease (no holder) is acquired at once", "[runtime]") {
  FakeClock clock;
  LeaseObservation seen;
  const LeaseRecord released = mg::runtime::released_lease_record(held_by("other", 2), "2024-05-01T10:00:30.000000Z");
  CHECK(released.holder_identity.empty());
  CHECK(released.lease_duration_seconds == 1);
  CHECK(released.lease_transitions == 2);
  seen.observe(released, clock.now());
  auto d = decide_lease(released, seen, clock.now(), me());
  CHECK(d.action == LeaseAction::Acquire);
  CHECK(d.record.lease_transitions == 3);
}

TEST_CASE("a new lease starts with zero transitions", "[runtime]") {
  auto r = mg::runtime::initial_lease_record(me("2024-05-01T11:00:00.000000Z"));
  CHECK(r == LeaseRecord{"me", 15, "2024-05-01T11:00:00.000000Z", "2024-05-01T11:00:00.000000Z", 0});
}

TEST_CASE("Lease objects round-trip the record and keep other fields", "[runtime]") {
  const LeaseRecord r = held_by("a", 5);
  mg::json::Document lease = mg::runtime::lease_object("ns", "lock", r);
  CHECK(mg::json::get_string(lease, "apiVersion") == "coordination.k8s.io/v1");
  CHECK(mg::json::get_string(lease, "kind") == "Lease");
  CHECK(mg::json::get_string(*mg::json::find(lease, "metadata"), "namespace") == "ns");
  CHECK(mg::json::get_string(*mg::json::find(lease, "metadata"), "name") == "lock");
  CHECK(mg::runtime::parse_lease_record(lease) == r);

  auto parsed = mg::json::parse_json(
      R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"lock","resourceVersion":"42"},)"
      R"("spec":{"holderIdentity":"old","leaseDurationSeconds":10,"preferredHolder":"x"}})",
      "test");
  REQUIRE(parsed.ok());
  mg::json::Document& d = parsed.value();
  CHECK(mg::runtime::parse_lease_record(d) == LeaseRecord{"old", 10, "", "", 0});
  mg::runtime::set_lease_record(d, r, d.GetAllocator());
  CHECK(mg::runtime::parse_lease_record(d) == r);
  CHECK(mg::json::get_string(*mg::json::at_path(d, "metadata"), "resourceVersion") == "42");
  CHECK(mg::json::get_string(*mg::json::at_path(d, "spec"), "preferredHolder") == "x");

  auto empty = mg::json::parse_json(R"({"kind":"Lease"})", "test");
  REQUIRE(empty.ok());
  CHECK(mg::runtime::parse_lease_record(*empty) == LeaseRecord{});
}

TEST_CASE("default_identity is hostname_16hex and differs per call", "[runtime]") {
  const std::string a = mg::runtime::default_identity();
  const std::string b = mg::runtime::default_identity();
  CHECK(a != b);
  const auto sep = a.rfind('_');
  REQUIRE(sep != std::string::npos);
  CHECK(sep > 0);
  CHECK(a.size() - sep - 1 == 16);
  CHECK(a.find_first_not_of("0123456789abcdef", sep + 1) == std::string::npos);
}

TEST_CASE("LeaderElector checks its config and fills in an identity", "[runtime]") {
  auto client = unreachable_client();
  mg::runtime::LeaderElectionConfig config;
  config.lease_namespace = "ns";
  mg::runtime::LeaderElector elector(*client, config);
  CHECK_FALSE(elector.identity().empty());
  CHECK_FALSE(elector.is_leader());

  config.identity = "fixed";
  CHECK(mg::runtime::LeaderElector(*client, config).identity() == "fixed");

  auto bad = config;
  bad.lease_namespace.clear();
  CHECK_THROWS_AS(mg::runtime::LeaderElector(*client, bad), std::invalid_argument);
  bad = config;
  bad.renew_deadline = bad.lease_duration;
  CHECK_THROWS_AS(mg::runtime::LeaderElector(*client, bad), std::invalid_argument);
  bad = config;
  bad.retry_period = bad.renew_deadline;
  CHECK_THROWS_AS(mg::runtime::LeaderElector(*client, bad), std::invalid_argument);
}

TEST_CASE("run returns on stop without ever leading when the API server is unreachable", "[runtime]") {
  auto client = unreachable_client();
  mg::runtime::LeaderElectionConfig config;
  config.lease_namespace = "ns";
  config.identity = "unit-test";
  config.lease_duration = 300ms;
  config.renew_deadline = 200ms;
  config.retry_period = 50ms;
  mg::runtime::LeaderElector elector(*client, config);
  std::atomic<int> started{0};
  std::atomic<int> stopped{0};
  std::stop_source stop;
  std::thread runner([&] {
    elector.run(
        stop.get_token(), [&] { ++started; }, [&] { ++stopped; });
  });
  std::this_thread::sleep_for(200ms);
  CHECK_FALSE(elector.is_leader());
  stop.request_stop();
  runner.join();
  CHECK(started == 0);
  CHECK(stopped == 0);
}
