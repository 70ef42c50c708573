// tests/unit/controllers/drain_plan_test.cpp: the operator's side of the drain protocol, as decisions.
#include "operator/controllers/drain_plan.hpp"

#include <catch2/catch.hpp>

#include "common/topo/multiadmin.hpp"

using namespace mg;
using controllers::DrainFacts;
using controllers::DrainStep;
using controllers::plan_drain;
using Action = DrainStep::Action;
using std::chrono::seconds;

namespace {

const DrainFacts::Clock::time_point t0 = DrainFacts::Clock::from_time_t(1'800'000'000);

DrainFacts acknowledged(std::optional<std::string> role, seconds since = seconds(10)) {
  DrainFacts f;
  f.state = "acknowledged";
  f.acknowledged_at = t0;
  f.now = t0 + since;
  f.role = std::move(role);
  return f;
}

}  // namespace

TEST_CASE("a request is acknowledged at once; no state, finished or a foreign word is left alone", "[drain]") {
  DrainFacts f;
  f.state = "requested";
  f.now = t0;
  CHECK(plan_drain(f).action == Action::Acknowledge);
  for (const char* state : {"", "finished", "draining", "REQUESTED"}) {
    INFO(state);
    f.state = state;
    CHECK(plan_drain(f).action == Action::None);
  }
  CHECK(controllers::drain_in_progress("requested"));
  CHECK(controllers::drain_in_progress("acknowledged"));
  CHECK_FALSE(controllers::drain_in_progress("finished"));
}

TEST_CASE("a pod that is not primary, or never registered a pooler, is finished", "[drain]") {
  const DrainStep replica = plan_drain(acknowledged("REPLICA"));
  CHECK(replica.action == Action::Finish);
  CHECK_THAT(replica.message, Catch::Contains("REPLICA, not primary"));
  const DrainStep unregistered = plan_drain(acknowledged(""));
  CHECK(unregistered.action == Action::Finish);
  CHECK_THAT(unregistered.message, Catch::Contains("registered no pooler"));
  // Even long past the timeout: finishing is always right for a non-primary.
  CHECK(plan_drain(acknowledged("REPLICA", seconds(3600))).action == Action::Finish);
}

TEST_CASE("a pod whose role cannot be read waits: it might be the primary", "[drain]") {
  DrainFacts f = acknowledged(std::nullopt);
  f.role_problem = "reading the topology: etcd unreachable";
  const DrainStep step = plan_drain(f);
  CHECK(step.action == Action::Wait);
  CHECK(step.requeue > std::chrono::milliseconds(0));
  CHECK_FALSE(step.timed_out);
  CHECK_THAT(step.message,
             Catch::Contains("cannot tell whether the pod is primary: reading the topology: etcd unreachable"));
}

TEST_CASE("a primary is never finished: switchover asked, asked again after a while, waited for", "[drain]") {
  DrainFacts f = acknowledged("PRIMARY");
  CHECK(plan_drain(f).action == Action::RequestSwitchover);

  f.switchover_at = f.now;
  f.now += seconds(5);
  DrainStep waiting = plan_drain(f);
  CHECK(waiting.action == Action::Wait);
  CHECK_THAT(waiting.message, Catch::Contains("waiting for another pod to become primary"));

  f.switchover_error = "multiadmin 10.0.0.1:15000 answered 404 to switch-primary";
  waiting = plan_drain(f);
  CHECK(waiting.action == Action::Wait);
  CHECK_THAT(waiting.message,
             Catch::Contains("switchover failed (asking again every 30s): multiadmin 10.0.0.1:15000 answered 404"));

  f.now = *f.switchover_at + controllers::kSwitchoverRetry;
  CHECK(plan_drain(f).action == Action::RequestSwitchover);
  for (int i = 0; i < 100; ++i) {
    f.now += seconds(7);
    CHECK(plan_drain(f).action != Action::Finish);
  }
}

TEST_CASE("past the timeout the drain goes on, with a message that does not change every pass", "[drain]") {
  DrainFacts f = acknowledged("PRIMARY", seconds(301));
  f.switchover_at = f.now;
  const DrainStep late = plan_drain(f);
  CHECK(late.timed_out);
  CHECK(late.action == Action::Wait);
  CHECK_THAT(late.message, Catch::StartsWith(naming::kDrainTimedOutPrefix));
  CHECK_THAT(late.message, Catch::Contains("within 300s"));
  f.now += seconds(3);
  CHECK(plan_drain(f).message == late.message);

  f.timeout = seconds(8);
  f.now = t0 + seconds(7);
  f.switchover_at = f.now;
  CHECK_FALSE(plan_drain(f).timed_out);
  f.now = t0 + seconds(8);
  CHECK(plan_drain(f).timed_out);
}

TEST_CASE("the switch-primary URL escapes its path segments", "[drain][topo]") {
  CHECK(topo::Multiadmin::switch_primary_url("mc-multiadmin.ns.svc:15000", "postgres", "default", "0-inf") ==
        "http://mc-multiadmin.ns.svc:15000/api/v1/shards/postgres/default/0-inf/switch-primary");
  CHECK(topo::Multiadmin::switch_primary_url("https://admin:1/", "a/b", "t g", "0-80") ==
        "https://admin:1/api/v1/shards/a%2Fb/t%20g/0-80/switch-primary");
}
