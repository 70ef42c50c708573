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

}  // namespace

TEST_CASE("nothing to do when every pod runs the current template", "[restart]") {
  CHECK(plan_restart({pod("p-0", false, "PRIMARY"), pod("p-1", false)}, true).action == Action::None);
  CHECK(plan_restart({pod("p-0", false, "PRIMARY", "acknowledged"), pod("p-1", false, "", "", false)}, false).action ==
        Action::None);
}

TEST_CASE("replicas are drained before the primary, highest name first, one at a time", "[restart]") {
  auto step = plan_restart({pod("p-0", true, "PRIMARY"), pod("p-1", true), pod("p-2", true)}, true);
  CHECK(step.action == Action::RequestDrain);
  CHECK(step.pod == "p-2");
  CHECK(step.why == "3 pool pod(s) on an older template: draining p-2 to restart it");

  step =
      plan_restart({pod("p-0", true, "PRIMARY"), pod("p-1", true, "REPLICA", "acknowledged"), pod("p-2", false)}, true);
  CHECK(step.action == Action::Wait);
  CHECK(step.pod == "p-1");

  step = plan_restart({pod("p-0", true, "PRIMARY"), pod("p-1", true, "REPLICA", "finished"), pod("p-2", false)}, true);
  CHECK(step.action == Action::Delete);
  CHECK(step.pod == "p-1");

  step = plan_restart({pod("p-0", true, "PRIMARY"), pod("p-1", false), pod("p-2", false)}, true);
  CHECK(step.action == Action::RequestDrain);
  CHECK(step.pod == "p-0");
  // Unknown roles are drained before a known primary.
  step = plan_restart({pod("p-0", true, "PRIMARY"), pod("p-1", true, "")}, true);
  CHECK(step.pod == "p-1");
}

TEST_CASE("no new drain while the shard is not settled, a pod is not ready, or another drain runs", "[restart]") {
  CHECK(plan_restart({pod("p-0", true), pod("p-1", false)}, false).action == Action::Wait);
  auto step = plan_restart({pod("p-0", true), pod("p-1", false, "REPLICA", "", false)}, true);
  CHECK(step.action == Action::Wait);
  CHECK(step.pod == "p-1");
  // A user's drain of an up-to-date pod also holds the restarts back.
  step = plan_restart({pod("p-0", true), pod("p-1", false, "REPLICA", "requested")}, true);
  CHECK(step.action == Action::Wait);
  CHECK(step.why == "1 pool pod(s) on an older template: waiting for the drain of p-1");
  // A drained stale pod is deleted even then: it is safe to delete, and that is what it was drained for.
  CHECK(plan_restart({pod("p-0", true, "REPLICA", "finished", false)}, false).action == Action::Delete);
}
