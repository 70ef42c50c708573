// tests/unit/controllers/restart_plan_test.cpp: restarting pool pods onto the current template.
#include "operator/controllers/restart_plan.hpp"

#include <catch2/catch.hpp>

using namespace mg;
using controllers::plan_restart;
using controllers::RestartPod;
using Action = controllers::RestartStep::Action;

namespace {

RestartPod pod(const std::string& name, bool stale, const std::string& role = "REPLICA", const std::string& drain = "",
               bool ready = true) {
  return RestartPod{name, ready, stale, role, drain};
}

//! The order of the steps, without the cohort check (its own cases below).
controllers::RestartStep plan(std::vector<RestartPod> pods, bool settled) {
  return plan_restart(std::move(pods), settled, false);
}

}  // namespace

TEST_CASE("nothing to do when every pod runs the current template", "[restart]") {
  CHECK(plan({pod("p-0", false, "PRIMARY"), pod("p-1", false)}, true).action == Action::None);
  CHECK(plan({pod("p-0", false, "PRIMARY", "acknowledged"), pod("p-1", false, "", "", false)}, false).action ==
        Action::None);
}

TEST_CASE("replicas are drained before the primary, highest name first, one at a time", "[restart]") {
  auto step = plan({pod("p-0", true, "PRIMARY"), pod("p-1", true), pod("p-2", true)}, true);
  CHECK(step.action == Action::RequestDrain);
  CHECK(step.pod == "p-2");
  CHECK(step.why == "3 pool pod(s) on an older template: draining p-2 to restart it");

  step = plan({pod("p-0", true, "PRIMARY"), pod("p-1", true, "REPLICA", "acknowledged"), pod("p-2", false)}, true);
  CHECK(step.action == Action::Wait);
  CHECK(step.pod == "p-1");

  step = plan({pod("p-0", true, "PRIMARY"), pod("p-1", true, "REPLICA", "finished"), pod("p-2", false)}, true);
  CHECK(step.action == Action::Delete);
  CHECK(step.pod == "p-1");

  step = plan({pod("p-0", true, "PRIMARY"), pod("p-1", false), pod("p-2", false)}, true);
  CHECK(step.action == Action::RequestDrain);
  CHECK(step.pod == "p-0");
  // Unknown roles are drained before a known primary.
  step = plan({pod("p-0", true, "PRIMARY"), pod("p-1", true, "")}, true);
  CHECK(step.pod == "p-1");
}

TEST_CASE("no new drain while the shard is not settled, a pod is not ready, or another drain runs", "[restart]") {
  CHECK(plan({pod("p-0", true), pod("p-1", false)}, false).action == Action::Wait);
  auto step = plan({pod("p-0", true), pod("p-1", false, "REPLICA", "", false)}, true);
  CHECK(step.action == Action::Wait);
  CHECK(step.pod == "p-1");
  // A user's drain of an up-to-date pod also holds the restarts back.
  step = plan({pod("p-0", true), pod("p-1", false, "REPLICA", "requested")}, true);
  CHECK(step.action == Action::Wait);
  CHECK(step.why == "1 pool pod(s) on an older template: waiting for the drain of p-1");
  // A drained stale pod is deleted even then: it is safe to delete, and that is what it was drained for.
  CHECK(plan({pod("p-0", true, "REPLICA", "finished", false)}, false).action == Action::Delete);
}

TEST_CASE("with a primary, a drain waits until every pod is in its cohort and the cohort held 15 s", "[restart]") {
  using controllers::CohortFacts;
  const std::vector<RestartPod> pods{pod("p-0", true, "PRIMARY"), pod("p-1", false), pod("p-2", true)};
  // First the cohort is read, for the pod that would go next.
  auto step = plan_restart(pods, true, true);
  CHECK(step.action == Action::ReadCohort);
  CHECK(step.pod == "p-2");

  CohortFacts whole{"", {"p-0", "p-1", "p-2"}, std::chrono::seconds(40)};
  step = plan_restart(pods, true, true, &whole);
  CHECK(step.action == Action::RequestDrain);
  CHECK(step.pod == "p-2");

  // p-1 restarted a moment ago: multiorch has not added it back yet.
  CohortFacts missing{"", {"p-0", "p-2"}, std::chrono::seconds(40)};
  step = plan_restart(pods, true, true, &missing);
  CHECK(step.action == Action::Wait);
  CHECK(step.pod == "p-2");
  CHECK(step.why ==
        "2 pool pod(s) on an older template: waiting for p-1 to rejoin the primary's cohort (multiorch adds "
        "a replica back once it streams)");

  // Added back 3 s ago: multiorch may still act on health it cached while p-1 restarted.
  CohortFacts young{"", {"p-0", "p-1", "p-2"}, std::chrono::seconds(3)};
  step = plan_restart(pods, true, true, &young);
  CHECK(step.action == Action::Wait);
  CHECK(step.why ==
        "2 pool pod(s) on an older template: waiting for the primary's cohort to hold 15 s (changed 3 s ago)");
  CohortFacts undated{"", {"p-0", "p-1", "p-2"}, std::nullopt};
  CHECK(plan_restart(pods, true, true, &undated).action == Action::Wait);

  CohortFacts unreadable{"multiadmin x:15000 unreachable: connection refused", {}, std::nullopt};
  step = plan_restart(pods, true, true, &unreadable);
  CHECK(step.action == Action::Wait);
  CHECK(step.why ==
        "2 pool pod(s) on an older template: waiting to read the primary's cohort: multiadmin x:15000 "
        "unreachable: connection refused");
}

TEST_CASE("the cohort check: pods outside consensus, shards without poolers or a primary, the flag off", "[restart]") {
  using controllers::CohortFacts;
  // A pod the topology does not call PRIMARY or REPLICA (unregistered, or a read-only type) is no member.
  CohortFacts cohort{"", {"p-0", "p-1"}, std::chrono::seconds(20)};
  auto step = plan_restart({pod("p-0", true, "PRIMARY"), pod("p-1", true), pod("p-2", false, "")}, true, true, &cohort);
  CHECK(step.action == Action::RequestDrain);
  CHECK(step.pod == "p-1");
  // No pooler registered (kwok, a shard not started): no consensus to keep.
  CHECK(plan_restart({pod("p-0", true, ""), pod("p-1", true, "")}, true, true).action == Action::RequestDrain);
  // Replicas without a primary: an election is under way, and it needs every pod.
  auto waiting = plan_restart({pod("p-0", true), pod("p-1", true)}, true, true);
  CHECK(waiting.action == Action::Wait);
  CHECK(waiting.why ==
        "2 pool pod(s) on an older template: waiting for the shard to have a primary (an election takes "
        "every pod)");
  // --restart-wait-for-cohort=false
  CHECK(plan_restart({pod("p-0", true, "PRIMARY"), pod("p-1", true)}, true, false).action == Action::RequestDrain);
  // A drained pod is deleted without asking: the drain already took it out.
  CHECK(plan_restart({pod("p-0", true, "PRIMARY"), pod("p-1", true, "REPLICA", "finished")}, true, true).action ==
        Action::Delete);
}
