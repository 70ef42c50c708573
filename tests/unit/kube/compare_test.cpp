// tests/unit/kube/compare_test.cpp
#include <catch2/catch.hpp>

#include "common/kube/compare.hpp"

using namespace mg;

namespace {
json::Document parse(const char* text) { return std::move(json::parse_json(text, "test").value()); }
}  // namespace

TEST_CASE("covers: fields the server added are ignored, ours must match", "[kube]") {
  auto actual = parse(R"({"spec":{"replicas":3,"revisionHistoryLimit":10,"template":{"spec":{"containers":[
      {"name":"a","image":"x","terminationMessagePath":"/dev/termination-log"}]}}},"status":{"readyReplicas":1}})");
  CHECK(kube::covers(actual, parse(R"({"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"a","image":"x"}]}}}})")));
  CHECK_FALSE(kube::covers(actual, parse(R"({"spec":{"replicas":2}})")));
  CHECK_FALSE(kube::covers(actual, parse(R"({"spec":{"paused":true}})")));
  // A list with one more or one fewer element is a difference.
  CHECK_FALSE(kube::covers(actual, parse(R"({"spec":{"template":{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}}})")));
}

TEST_CASE("covers: quantities by amount, numbers by value, empty blocks may be dropped", "[kube]") {
  auto actual = parse(R"({"cpu":"1","mem":"1Gi","n":2.0,"s":"x"})");
  CHECK(kube::covers(actual, parse(R"({"cpu":"1000m","mem":"1024Mi","n":2})")));
  CHECK_FALSE(kube::covers(actual, parse(R"({"cpu":"999m"})")));
  CHECK(kube::covers(actual, parse(R"({"emptyDir":{},"list":[]})")));
  CHECK_FALSE(kube::covers(actual, parse(R"({"s":"y"})")));
  CHECK_FALSE(kube::covers(actual, parse(R"({"s":true})")));
}

TEST_CASE("content_hash: stable and sensitive", "[kube]") {
  CHECK(kube::content_hash(parse(R"({"a":1})")) == kube::content_hash(parse(R"({"a":1})")));
  CHECK(kube::content_hash(parse(R"({"a":1})")) != kube::content_hash(parse(R"({"a":2})")));
  CHECK(kube::content_hash(parse(R"({"a":1})")).size() == 16);
  // The FNV-1a 64 of the compact JSON, byte for byte: hashes already written as annotations stay valid.
  auto fnv_of_json = [](const json::Value& v) {
    uint64_t h = 14695981039346656037ull;
    for (unsigned char c : json::to_json(v)) h = (h ^ c) * 1099511628211ull;
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
    return std::string(out);
  };
  auto object = parse(R"({"metadata":{"name":"x","labels":{"a":"b"}},"spec":{"n":[1,2.5,true,null,"\u00e9\n"]}})");
  CHECK(kube::content_hash(object) == fnv_of_json(object));
}
