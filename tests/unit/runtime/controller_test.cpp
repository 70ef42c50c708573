// tests/unit/runtime/controller_test.cpp
#include <catch2/catch.hpp>

#include "operator/runtime/controller.hpp"

using namespace mg;
using namespace mg::runtime;

TEST_CASE("controller: retry rules", "[runtime]") {
  Metrics metrics;
  describe_operator_metrics(metrics);
  Result<ReconcileResult> next = ReconcileResult{};
  int calls = 0;
  Controller c("test", [&](const std::string&) -> Result<ReconcileResult> {
    ++calls;
    return next;
  }, metrics, 1);

  SECTION("a transient error backs off and counts") {
    next = make_error(ErrorCode::Transient, "503");
    c.process("ns/a");
    c.process("ns/a");
    CHECK(c.queue().num_requeues("ns/a") == 2);
    CHECK(metrics.value(kReconcileErrors, {{"controller", "test"}}) == 2);
    next = ReconcileResult{};
    c.process("ns/a");
    CHECK(c.queue().num_requeues("ns/a") == 0);  // success resets the backoff
    CHECK(metrics.value(kReconcileTotal, {{"controller", "test"}, {"result", "success"}}) == 1);
  }
  SECTION("a terminal error is not retried") {
    next = make_invalid("spec.cells[0].zone: bad");
    c.process("ns/a");
    CHECK(c.queue().num_requeues("ns/a") == 0);
    CHECK(c.queue().size() == 0);
    CHECK(metrics.value(kReconcileTotal, {{"controller", "test"}, {"result", "error"}}) == 1);
  }
  SECTION("requeue_after brings the key back later, not now") {
    next = ReconcileResult{std::chrono::milliseconds(60'000)};
    c.process("ns/a");
    CHECK(c.queue().size() == 0);
    CHECK(metrics.value(kReconcileTotal, {{"controller", "test"}, {"result", "requeue"}}) == 1);
  }
  SECTION("an exception is an error, retried, and the worker survives") {
    Controller thrower("boom", [](const std::string&) -> Result<ReconcileResult> { throw std::runtime_error("bug"); },
                       metrics, 1);
    thrower.process("ns/b");
    CHECK(thrower.queue().num_requeues("ns/b") == 1);
  }
}

TEST_CASE("controller: workers drain the queue and stop cleanly", "[runtime]") {
  Metrics metrics;
  describe_operator_metrics(metrics);
  std::atomic<int> calls{0};
  Controller c("test", [&](const std::string&) -> Result<ReconcileResult> {
    ++calls;
    return ReconcileResult{};
  }, metrics, 3);
  std::stop_source stop;
  c.start(stop.get_token());
  for (int i = 0; i < 50; ++i) c.enqueue("ns/k" + std::to_string(i));
  for (int i = 0; i < 200 && calls.load() < 50; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(calls.load() == 50);
  stop.request_stop();
  c.stop();
}
