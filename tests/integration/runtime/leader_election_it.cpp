// tests/integration/runtime/leader_election_it.cpp: two LeaderElectors (threads of this process, distinct
// identities) on one coordination.k8s.io/v1 Lease of a real kube-apiserver, with short durations (lease 3s,
// renew deadline 2s, retry 0.5s): exactly one leads; a released lease passes over within about a retry
// period; a lease left behind by a stopped leader passes over once it expires; a leader whose lease is taken
// stops at once.
//
// Needs KUBECONFIG (ctest runs it through tests/integration/with_cluster.sh minimal). Works in its own
// namespace mg-rt-<random> (test_env.hpp), deleted at exit.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <stop_token>
#include <thread>

#include "common/kube/client.hpp"
#include "operator/runtime/leader_election.hpp"
#include "tests/integration/runtime/test_env.hpp"

using namespace std::chrono_literals;
using mg::kube::Client;
using mg::runtime::LeaderElectionConfig;
using mg::runtime::LeaderElector;

namespace {

using Ms = std::chrono::milliseconds;

LeaderElectionConfig short_config(const std::string& lease, const std::string& identity, bool release_on_cancel) {
  LeaderElectionConfig c;
  c.lease_namespace = mg::test::runtime_env().ns;
  c.lease_name = lease;
  c.identity = identity;
  c.lease_duration = 3000ms;
  c.renew_deadline = 2000ms;
  c.retry_period = 500ms;
  c.release_on_cancel = release_on_cancel;
  return c;
}

//! One candidate: an elector running on its own thread.
class Candidate {
 public:
  explicit Candidate(LeaderElectionConfig config) : elector_(*mg::test::runtime_env().client, std::move(config)) {}
  ~Candidate() { halt(); }

  void start() {
    thread_ = std::thread([this] {
      elector_.run(
          stop_.get_token(), [this] { ++started_; }, [this] { ++stopped_; });
      returned_ = true;
    });
  }
  //! Requests stop and waits for run() to return.
  void halt() {
    stop_.request_stop();
    if (thread_.joinable()) {
      thread_.join();
    }
  }
  [[nodiscard]] bool leads() const { return elector_.is_leader(); }
  [[nodiscard]] std::string id() const { return elector_.identity(); }
  [[nodiscard]] int started() const { return started_; }
  [[nodiscard]] int stopped() const { return stopped_; }
  [[nodiscard]] bool returned() const { return returned_; }

 private:
  LeaderElector elector_;
  std::stop_source stop_;
  std::thread thread_;
  std::atomic<int> started_{0};
  std::atomic<int> stopped_{0};
  std::atomic<bool> returned_{false};
};

//! Polls `done` every 20 ms; the time it took, or nullopt after `timeout`.
std::optional<Ms> wait_for(const std::function<bool()>& done, Ms timeout) {
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < timeout) {
    if (done()) {
      return std::chrono::duration_cast<Ms>(std::chrono::steady_clock::now() - start);
    }
    std::this_thread::sleep_for(20ms);
  }
  return std::nullopt;
}

mg::runtime::LeaseRecord lease_record(const std::string& lease) {
  auto got = mg::test::runtime_env().client->get(
      {.api_version = "coordination.k8s.io/v1", .kind = "Lease", .namespace_name = mg::test::runtime_env().ns, .name = lease});
  REQUIRE(got.ok());
  return mg::runtime::parse_lease_record(got->object);
}

}  // namespace

TEST_CASE("exactly one candidate leads; a released lease passes to the other at once", "[integration]") {
  Candidate a(short_config("release", "candidate-a", true));
  Candidate b(short_config("release", "candidate-b", true));
  a.start();
  b.start();
  REQUIRE(wait_for([&] { return a.leads() || b.leads(); }, 5000ms));

  // Watch both for 2 s (four renewals): never two leaders, and the same one throughout.
  const bool a_first = a.leads();
  Candidate& leader = a_first ? a : b;
  Candidate& standby = a_first ? b : a;
  for (int i = 0; i < 40; ++i) {
    CHECK_FALSE((a.leads() && b.leads()));
    CHECK(leader.leads());
    std::this_thread::sleep_for(50ms);
  }
  CHECK(leader.started() == 1);
  CHECK(standby.started() == 0);
  const auto held = lease_record("release");
  CHECK(held.holder_identity == leader.id());
  CHECK(held.lease_duration_seconds == 3);

  leader.halt();  // releases the lease before run() returns
  CHECK(leader.stopped() == 1);
  CHECK_FALSE(leader.leads());
  const auto took = wait_for([&] { return standby.leads(); }, 3000ms);
  REQUIRE(took);
  INFO("standby took over a released lease after " << took->count() << " ms");
  CHECK(*took < 1500ms);  // one retry period (0.5 s, +20% jitter) plus the requests
  const auto after = lease_record("release");
  CHECK(after.holder_identity == standby.id());
  CHECK(after.lease_transitions == held.lease_transitions + 1);
  CHECK(standby.started() == 1);
}

TEST_CASE("a leader stopped without releasing is replaced once its lease expires", "[integration]") {
  Candidate a(short_config("expire", "candidate-a", false));
  Candidate b(short_config("expire", "candidate-b", false));
  a.start();
  REQUIRE(wait_for([&] { return a.leads(); }, 5000ms));
  b.start();
  std::this_thread::sleep_for(1500ms);  // b watches a renew
  CHECK_FALSE(b.leads());
  CHECK(a.leads());

  a.halt();  // like a killed process: the lease still names a
  CHECK(a.stopped() == 1);
  CHECK(lease_record("expire").holder_identity == a.id());
  const auto took = wait_for([&] { return b.leads(); }, 8000ms);
  REQUIRE(took);
  INFO("standby took over an abandoned lease after " << took->count() << " ms");
  // Not before the lease can have expired (last renewal at most one retry before the stop) ...
  CHECK(*took >= 2000ms);
  // ... and within lease duration + retry period, plus slack: up to one (jittered) retry for b to see a's
  // last renewal, one to notice the expiry, and the requests.
  CHECK(*took < 3000ms + 500ms + 1500ms);
  CHECK(lease_record("expire").holder_identity == b.id());
}

TEST_CASE("a leader whose lease is taken over stops leading and returns", "[integration]") {
  Candidate a(short_config("taken", "candidate-a", true));
  a.start();
  REQUIRE(wait_for([&] { return a.leads(); }, 5000ms));

  // Someone else writes the lease (say, a replica that judged it expired).
  auto got = mg::test::runtime_env().client->get(
      {.api_version = "coordination.k8s.io/v1", .kind = "Lease", .namespace_name = mg::test::runtime_env().ns, .name = "taken"});
  REQUIRE(got.ok());
  mg::json::Document lease = std::move(got->object);
  auto record = mg::runtime::parse_lease_record(lease);
  record.holder_identity = "intruder";
  record.renew_time = mg::runtime::format_micro_time(std::chrono::system_clock::now());
  mg::runtime::set_lease_record(lease, record, lease.GetAllocator());
  REQUIRE(mg::test::runtime_env().client->update(lease).ok());

  const auto took = wait_for([&] { return a.returned(); }, 3000ms);
  REQUIRE(took);
  INFO("the old leader noticed after " << took->count() << " ms");
  CHECK(*took < 1500ms);
  CHECK_FALSE(a.leads());
  CHECK(a.stopped() == 1);
  CHECK(lease_record("taken").holder_identity == "intruder");  // lost, so nothing was released
}
