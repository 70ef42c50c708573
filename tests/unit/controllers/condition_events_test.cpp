// tests/unit/controllers/condition_events_test.cpp: which condition changes become events.
#include "operator/controllers/condition_events.hpp"

#include <catch2/catch.hpp>

using mg::api::Condition;
using mg::controllers::failure_event;
using mg::controllers::transition_event;
using mg::runtime::EventType;

namespace {
Condition c(const char* type, const char* status, const char* reason = "R") {
  Condition out;
  out.type = type;
  out.status = status;
  out.reason = reason;
  out.message = std::string(type) + " is " + status;
  return out;
}
}  // namespace

TEST_CASE("transition events: a change of status is news, a restatement is not", "[controllers]") {
  CHECK_FALSE(transition_event({c("Available", "False")}, {c("Available", "False", "Other")}, "Available"));
  auto up = transition_event({c("Available", "False")}, {c("Available", "True", "AsExpected")}, "Available");
  REQUIRE(up);
  CHECK(up->type == EventType::Normal);
  CHECK(up->reason == "AsExpected");
  auto down = transition_event({c("Available", "True")}, {c("Available", "False", "PodsNotReady")}, "Available");
  REQUIRE(down);
  CHECK(down->type == EventType::Warning);
  CHECK(down->note == "Available is False");
}

TEST_CASE("transition events: Degraded True is the bad news", "[controllers]") {
  auto worse = transition_event({c("Degraded", "False")}, {c("Degraded", "True")}, "Degraded");
  REQUIRE(worse);
  CHECK(worse->type == EventType::Warning);
  CHECK(transition_event({c("Degraded", "True")}, {c("Degraded", "False")}, "Degraded")->type == EventType::Normal);
}

TEST_CASE("transition events: a first condition is news only when it reports a problem other than starting",
          "[controllers]") {
  CHECK_FALSE(transition_event({}, {c("Available", "False")}, "Available"));
  CHECK_FALSE(transition_event({}, {c("Reconciled", "True")}, "Reconciled"));
  CHECK(transition_event({}, {c("Reconciled", "False")}, "Reconciled")->type == EventType::Warning);
  CHECK(transition_event({}, {c("Degraded", "True")}, "Degraded")->type == EventType::Warning);
  CHECK_FALSE(transition_event({}, {}, "Available"));
}

TEST_CASE("failure events: every new reason for a failure, and the recovery", "[controllers]") {
  CHECK_FALSE(failure_event({}, {c("Ready", "True")}, "Ready"));
  CHECK(failure_event({}, {c("Ready", "False", "Unreachable")}, "Ready")->type == EventType::Warning);
  CHECK_FALSE(failure_event({c("Ready", "False", "Unreachable")}, {c("Ready", "False", "Unreachable")}, "Ready"));
  auto other = failure_event({c("Ready", "False", "Unreachable")}, {c("Ready", "False", "AuthFailed")}, "Ready");
  REQUIRE(other);
  CHECK(other->reason == "AuthFailed");
  CHECK(failure_event({c("Ready", "False")}, {c("Ready", "True", "Ready")}, "Ready")->type == EventType::Normal);
}
