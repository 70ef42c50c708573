// tests/unit/kube/http_headers_test.cpp: Warning and Retry-After headers, raw header lines.
#include "common/kube/http_headers.hpp"

#include <catch2/catch.hpp>

using namespace mg::kube;

TEST_CASE("Warning headers give their texts", "[kube]") {
  CHECK(parse_warning_header(R"(299 - "unknown field \"spec.foo\"")") ==
        std::vector<std::string>{"unknown field \"spec.foo\""});
  CHECK(parse_warning_header(R"(299 - "a", 299 - "b, with comma")") == std::vector<std::string>{"a", "b, with comma"});
  CHECK(parse_warning_header(R"(299 kube-apiserver "x" "Sat, 01 Jan 2000 00:00:00 GMT")") ==
        std::vector<std::string>{"x"});
  CHECK(parse_warning_header("not a warning") == std::vector<std::string>{"not a warning"});
  CHECK(parse_warning_header("").empty());
}

TEST_CASE("Retry-After in seconds; dates are left to the backoff", "[kube]") {
  CHECK(parse_retry_after("1")->count() == 1);
  CHECK(parse_retry_after(" 120 ")->count() == 120);
  CHECK_FALSE(parse_retry_after("Fri, 31 Dec 1999 23:59:59 GMT"));
  CHECK_FALSE(parse_retry_after(""));
  CHECK_FALSE(parse_retry_after("-1"));
}
