// tests/unit/runtime/applier_test.cpp
#include <catch2/catch.hpp>

#include "operator/runtime/applier.hpp"

using namespace mg;
using namespace mg::runtime;

namespace {
json::Document parse(const std::string& text) { return std::move(json::parse_json(text, "test").value()); }
}  // namespace

TEST_CASE("applier: up to date only with the same intent and every field in place", "[runtime]") {
  auto desired = Applier::with_hash(parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"port":1}]}})"));
  const std::string hash = json::get_string(*json::at_path(desired, "metadata.annotations"), kAppliedHashAnnotation);
  auto actual = parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s","uid":"u","annotations":{")" +
                      std::string(kAppliedHashAnnotation) + R"(":")" + hash +
                      R"("}},"spec":{"clusterIP":"10.0.0.1","ports":[{"port":1,"protocol":"TCP"}]}})");
  CHECK(Applier::up_to_date(desired, actual));

  // Edited by hand: a field we own changed.
  auto edited = json::clone(actual);
  edited["spec"]["ports"][0]["port"].SetInt(2);
  CHECK_FALSE(Applier::up_to_date(desired, edited));

  // We stopped setting a field: the hash differs even though the rest is there.
  auto smaller = Applier::with_hash(parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{}})"));
  CHECK_FALSE(Applier::up_to_date(smaller, actual));
}
