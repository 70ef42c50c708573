// tests/unit/plugin/connection_test.cpp
#include <catch2/catch.hpp>

#include "plugin/connection.hpp"

using namespace mg;
using namespace std::chrono_literals;

TEST_CASE("--request-timeout takes kubectl's durations", "[plugin]") {
  CHECK(*plugin::parse_duration("30s") == 30'000ms);
  CHECK(*plugin::parse_duration("2m") == 120'000ms);
  CHECK(*plugin::parse_duration("500ms") == 500ms);
  CHECK(*plugin::parse_duration("1h") == 3'600'000ms);
  CHECK(*plugin::parse_duration("45") == 45'000ms);
  CHECK(*plugin::parse_duration("0") == 0ms);
  for (const char* bad : {"", "abc", "-1s", "5d", "s"}) {
    auto r = plugin::parse_duration(bad);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("like 30s, 2m or 500ms"));
  }
}
