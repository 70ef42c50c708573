// tests/unit/controllers/registration_backoff_test.cpp: how long the cluster controller waits before
// registering the topology again after a failure (controllers::registration_backoff).
#include <catch2/catch.hpp>

#include "common/util/time.hpp"
#include "operator/controllers/topology.hpp"

using mg::controllers::registration_backoff;
using std::chrono::seconds;

namespace {
mg::controllers::Clock::time_point at(const char* text) {
  return *mg::util::parse_rfc3339(text);
}
}  // namespace

TEST_CASE("registration backoff grows with the time TopologyRegistered has been False", "[controllers]") {
  CHECK(registration_backoff("2026-12-01T10:00:00Z", at("2026-12-01T10:00:00Z")) == seconds(2));
  CHECK(registration_backoff("2026-12-01T10:00:00Z", at("2026-12-01T10:00:01Z")) == seconds(2));
  CHECK(registration_backoff("2026-12-01T10:00:00Z", at("2026-12-01T10:00:17Z")) == seconds(17));
  CHECK(registration_backoff("2026-12-01T10:00:00Z", at("2026-12-01T10:59:00Z")) == seconds(60));
  CHECK(registration_backoff("2026-12-01T10:00:00.900Z", at("2026-12-01T10:00:30Z")) == seconds(29));
}

TEST_CASE("registration backoff: a clock behind the condition or a condition time that does not parse waits 2 s",
          "[controllers]") {
  CHECK(registration_backoff("2026-12-01T10:00:30Z", at("2026-12-01T10:00:00Z")) == seconds(2));
  CHECK(registration_backoff("", at("2026-12-01T10:00:00Z")) == seconds(2));
  CHECK(registration_backoff("yesterday", at("2026-12-01T10:00:00Z")) == seconds(2));
}
