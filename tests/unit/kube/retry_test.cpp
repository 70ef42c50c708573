// tests/unit/kube/retry_test.cpp: which failures are retried, after how long.
#include "common/kube/retry.hpp"

#include <catch2/catch.hpp>

using namespace mg::kube;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

AttemptOutcome http(int status) {
  AttemptOutcome o;
  o.http_status = status;
  return o;
}

AttemptOutcome failed(AttemptFailure f) {
  AttemptOutcome o;
  o.failure = f;
  return o;
}

}  // namespace

TEST_CASE("POST is the only non-idempotent verb", "[kube]") {
  CHECK_FALSE(is_idempotent("POST"));
  for (const char* m : {"GET", "PUT", "PATCH", "DELETE"}) CHECK(is_idempotent(m));
}

TEST_CASE("429 and 5xx are retried; 4xx are not", "[kube]") {
  RetryPolicy p;
  for (int s : {429, 500, 502, 503, 504}) {
    INFO(s);
    CHECK(decide_retry(p, true, 1, http(s), 0.0).retry);
  }
  for (int s : {200, 400, 403, 404, 409, 410, 422, 501, 505}) {
    INFO(s);
    CHECK_FALSE(decide_retry(p, true, 1, http(s), 0.0).retry);
  }
}

TEST_CASE("POST is retried only when the server did not act: 429 or no connection", "[kube]") {
  RetryPolicy p;
  CHECK(decide_retry(p, false, 1, http(429), 0.0).retry);
  CHECK_FALSE(decide_retry(p, false, 1, http(500), 0.0).retry);
  CHECK_FALSE(decide_retry(p, false, 1, http(503), 0.0).retry);
  CHECK(decide_retry(p, false, 1, failed(AttemptFailure::Connect), 0.0).retry);
  CHECK_FALSE(decide_retry(p, false, 1, failed(AttemptFailure::Transfer), 0.0).retry);
  CHECK(decide_retry(p, true, 1, failed(AttemptFailure::Transfer), 0.0).retry);
  CHECK_FALSE(decide_retry(p, true, 1, failed(AttemptFailure::Permanent), 0.0).retry);
}

TEST_CASE("attempts are capped", "[kube]") {
  RetryPolicy p;
  p.max_attempts = 3;
  CHECK(decide_retry(p, true, 2, http(503), 0.0).retry);
  CHECK_FALSE(decide_retry(p, true, 3, http(503), 0.0).retry);
}

TEST_CASE("Retry-After is honoured up to a cap", "[kube]") {
  RetryPolicy p;
  AttemptOutcome o = http(429);
  o.retry_after = seconds(3);
  auto d = decide_retry(p, false, 1, o, 0.9);
  CHECK(d.retry);
  CHECK(d.delay == milliseconds(3000));
  o.retry_after = seconds(3600);
  CHECK(decide_retry(p, false, 1, o, 0.0).delay == p.max_retry_after);
  AttemptOutcome unavailable = http(503);
  unavailable.retry_after = seconds(1);
  CHECK(decide_retry(p, true, 4, unavailable, 0.0).delay == milliseconds(1000));
}

TEST_CASE("backoff doubles, jitters upward, and is capped", "[kube]") {
  RetryPolicy p;  // 200 ms initial, 10 s cap, jitter 0.5
  CHECK(backoff_delay(p, 1, 0.0) == milliseconds(200));
  CHECK(backoff_delay(p, 2, 0.0) == milliseconds(400));
  CHECK(backoff_delay(p, 3, 0.0) == milliseconds(800));
  CHECK(backoff_delay(p, 1, 0.999) == milliseconds(299));
  CHECK(backoff_delay(p, 20, 0.0) == milliseconds(10'000));
  CHECK(backoff_delay(p, 20, 0.999) == milliseconds(10'000));
  for (int attempt = 1; attempt < 12; ++attempt) {
    for (double r : {0.0, 0.25, 0.5, 0.75, 0.999}) {
      auto d = backoff_delay(p, attempt, r);
      CHECK(d >= std::min(p.max_backoff, milliseconds(200LL << (attempt - 1))));
      CHECK(d <= p.max_backoff);
    }
  }
  CHECK(decide_retry(p, true, 2, http(500), 0.0).delay == milliseconds(400));
}

TEST_CASE("a 401 refreshes refreshable credentials once", "[kube]") {
  RetryPolicy p;
  AttemptOutcome o = http(401);
  CHECK_FALSE(decide_retry(p, true, 1, o, 0.0).retry);  // static credentials
  o.credentials_refreshable = true;
  auto d = decide_retry(p, false, 1, o, 0.0);
  CHECK(d.retry);
  CHECK(d.refresh_credentials);
  CHECK(d.delay == milliseconds(0));
  o.credentials_refreshed = true;
  CHECK_FALSE(decide_retry(p, true, 2, o, 0.0).retry);
}
