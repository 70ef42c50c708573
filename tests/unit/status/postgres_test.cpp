// tests/unit/status/postgres_test.cpp: DatabaseCluster / Database / DatabaseRole status mapping.
#include <catch2/catch.hpp>

#include "common/status/conditions.hpp"
#include "common/status/postgres.hpp"

using namespace mg;
using State = status::ObjectOutcome::State;

namespace {

const api::Condition& condition(const std::vector<api::Condition>& conditions, const char* type) {
  const api::Condition* c = status::find_condition(conditions, type);
  REQUIRE(c != nullptr);
  return *c;
}

status::ObjectOutcome reconciled(std::vector<api::AppliedObject> objects) {
  return status::ObjectOutcome{.state = State::Reconciled, .reason = {}, .message = {}, .objects = std::move(objects),
                               .secret_resource_version = "42"};
}

}  // namespace

TEST_CASE("checkInterval: Go-style units, default when empty, clear error otherwise", "[status][postgres]") {
  CHECK(status::check_interval("").value() == std::chrono::minutes(5));
  CHECK(status::check_interval("30s").value() == std::chrono::seconds(30));
  CHECK(status::check_interval("2m").value() == std::chrono::seconds(120));
  CHECK(status::check_interval("1h30m").value() == std::chrono::seconds(5400));
  for (const char* bad : {"5", "m", "1d", "1.5m", "-1s", "1m ", "0s"}) {
    INFO(bad);
    auto parsed = status::check_interval(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message.find("spec.checkInterval") != std::string::npos);
  }
}

TEST_CASE("DatabaseCluster status: Available from the check, version kept while failing", "[status][postgres]") {
  api::DatabaseCluster cluster;
  cluster.metadata.generation = 3;
  auto ok = status::database_cluster_status(cluster, {.ok = true, .reason = {}, .message = {}, .server_version = "15.8"}, "t1");
  CHECK(ok.serverVersion == "15.8");
  CHECK(ok.lastCheckTime == "t1");
  CHECK(ok.observedGeneration == 3);
  CHECK(condition(ok.conditions, status::kAvailable).status == "True");
  CHECK(condition(ok.conditions, status::kAvailable).reason == "Connected");

  cluster.status = ok;
  auto down = status::database_cluster_status(
      cluster, {.ok = false, .reason = status::kReasonConnectionFailed, .message = "connection refused", .server_version = {}}, "t2");
  CHECK(down.serverVersion == "15.8");
  CHECK(down.lastCheckTime == "t2");
  const api::Condition& c = condition(down.conditions, status::kAvailable);
  CHECK(c.status == "False");
  CHECK(c.reason == "ConnectionFailed");
  CHECK(c.message == "connection refused");
  CHECK(c.lastTransitionTime == "t2");

  cluster.status = down;
  auto still = status::database_cluster_status(
      cluster, {.ok = false, .reason = status::kReasonConnectionFailed, .message = "connection refused", .server_version = {}}, "t3");
  CHECK(condition(still.conditions, status::kAvailable).lastTransitionTime == "t2");
}

TEST_CASE("object status: every object applied -> Ready and Applied True", "[status][postgres]") {
  auto s = status::object_status(std::nullopt, 2, reconciled({{"database \"app\"", true, ""}, {"schema \"s\"", true, ""}}), "t1");
  CHECK(s.applied);
  CHECK(s.message == "2 of 2 objects applied");
  CHECK(s.objects.size() == 2);
  CHECK(s.observedGeneration == 2);
  CHECK(s.secretResourceVersion == "42");
  CHECK(condition(s.conditions, status::kReady).status == "True");
  CHECK(condition(s.conditions, status::kApplied).status == "True");
}

TEST_CASE("object status: one object refused -> Ready False with the server's text", "[status][postgres]") {
  auto s = status::object_status(std::nullopt, 1,
                                 reconciled({{"database \"app\"", true, ""}, {"extension \"nope\"", false, "extension not available"}}), "t1");
  CHECK_FALSE(s.applied);
  CHECK(s.message == "1 of 2 objects applied; extension \"nope\": extension not available");
  CHECK(condition(s.conditions, status::kReady).reason == "ApplyFailed");
  CHECK(condition(s.conditions, status::kApplied).status == "False");
}

TEST_CASE("object status: invalid spec says nothing was sent, keeps what the server had", "[status][postgres]") {
  auto before = status::object_status(std::nullopt, 1, reconciled({{"role \"r\"", true, ""}}), "t1");
  auto s = status::object_status(before, 2,
                                 {.state = State::Invalid, .reason = status::kReasonInvalidSpec, .message = "spec.roleName: too long",
                                  .objects = {}, .secret_resource_version = {}},
                                 "t2");
  CHECK_FALSE(s.applied);
  CHECK(s.objects == before.objects);
  CHECK(s.secretResourceVersion == "42");
  CHECK(condition(s.conditions, status::kReady).reason == "InvalidSpec");
  CHECK(condition(s.conditions, status::kApplied).message == "nothing was sent to the server: spec.roleName: too long");
  CHECK(condition(s.conditions, status::kReady).lastTransitionTime == "t2");
}

TEST_CASE("object status: waiting for the cluster keeps the last Applied", "[status][postgres]") {
  auto before = status::object_status(std::nullopt, 1, reconciled({{"role \"r\"", true, ""}}), "t1");
  auto s = status::object_status(before, 1,
                                 {.state = State::Waiting, .reason = status::kReasonClusterNotAvailable,
                                  .message = "waiting for DatabaseCluster pg to be Available", .objects = {},
                                  .secret_resource_version = {}},
                                 "t2");
  CHECK(condition(s.conditions, status::kReady).status == "False");
  CHECK(condition(s.conditions, status::kReady).reason == "DatabaseClusterNotAvailable");
  CHECK(condition(s.conditions, status::kApplied).status == "True");
  CHECK(condition(s.conditions, status::kApplied).lastTransitionTime == "t1");
  // Recovering: Ready flips back, Applied keeps its time.
  auto back = status::object_status(s, 1, reconciled({{"role \"r\"", true, ""}}), "t3");
  CHECK(condition(back.conditions, status::kReady).lastTransitionTime == "t3");
  CHECK(condition(back.conditions, status::kApplied).lastTransitionTime == "t1");
  // The same outcome again is the same status (a steady reconcile writes nothing).
  CHECK(status::object_status(back, 1, reconciled({{"role \"r\"", true, ""}}), "t4") == back);
}
