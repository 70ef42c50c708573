// tests/unit/runtime/boundary_test.cpp: the write bodies the controllers send (metadata patches,
// finalizer lists), built with the JSON library whatever the values hold.
#include "operator/runtime/boundary.hpp"

#include <catch2/catch.hpp>

using mg::runtime::finalizers_with;
using mg::runtime::has_finalizer;
using mg::runtime::metadata_patch_body;

namespace {

mg::json::Document parse(const char* text) {
  return std::move(mg::json::parse_json(text, "test").value());
}

const char* kPod = R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"n","uid":"u-1",
  "resourceVersion":"42","finalizers":["a","b"]}})";

}  // namespace

TEST_CASE("metadata patch: a label value from etcd is quoted by the JSON library, never pasted", "[runtime]") {
  const auto pod = parse(kPod);
  const auto body = metadata_patch_body(pod, {.labels = {{"multigres.com/role", R"(PRIMARY","x":"y\)"}}});
  CHECK(mg::json::to_json(body) == R"({"metadata":{"labels":{"multigres.com/role":"PRIMARY\",\"x\":\"y\\"}}})");
  const auto round = mg::json::parse_json(mg::json::to_json(body), "patch");
  REQUIRE(round.ok());
  CHECK(mg::json::get_string(*mg::json::at_path(*round, "metadata.labels"), "multigres.com/role") ==
        R"(PRIMARY","x":"y\)");
}

TEST_CASE("metadata patch: preconditions carry the uid and resourceVersion read", "[runtime]") {
  const auto pod = parse(kPod);
  CHECK(mg::json::to_json(metadata_patch_body(pod, {.annotations = {{"k", "v"}}, .same_uid = true})) ==
        R"({"metadata":{"uid":"u-1","annotations":{"k":"v"}}})");
  CHECK(mg::json::to_json(metadata_patch_body(pod, {.finalizers = std::vector<std::string>{}, .same_version = true})) ==
        R"({"metadata":{"resourceVersion":"42","finalizers":[]}})");
}

TEST_CASE("finalizers: added at the end, removed in place, nothing when already so", "[runtime]") {
  const auto pod = parse(kPod);
  CHECK(has_finalizer(pod, "a"));
  CHECK_FALSE(has_finalizer(pod, "c"));
  CHECK(finalizers_with(pod, "c", true) == std::vector<std::string>{"a", "b", "c"});
  CHECK(finalizers_with(pod, "a", false) == std::vector<std::string>{"b"});
  CHECK_FALSE(finalizers_with(pod, "a", true).has_value());
  CHECK_FALSE(finalizers_with(pod, "c", false).has_value());
  const auto bare = parse(R"({"metadata":{"name":"x"}})");
  CHECK(finalizers_with(bare, "a", true) == std::vector<std::string>{"a"});
}
