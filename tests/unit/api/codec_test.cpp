// tests/unit/api/codec_test.cpp: decoding, encoding and merging through the type descriptions.
#include <catch2/catch.hpp>

#include "common/api/multigres_cluster.hpp"

using namespace mg;
using namespace mg::api;

namespace {
MultigresCluster decode_yaml(const std::string& text, FieldErrors& errors) {
  auto docs = json::parse_documents(text, "test");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  DecodeContext ctx;
  auto out = decode<MultigresCluster>((*docs)[0], ctx);
  errors = ctx.errors;
  return out;
}
}  // namespace

TEST_CASE("a minimal cluster decodes") {
  FieldErrors errors;
  auto c = decode_yaml("apiVersion: multigres.com/v1alpha1\nkind: MultigresCluster\nmetadata: {name: m}\n"
                       "spec:\n  cells:\n  - zone: us-east-1a\n",
                       errors);
  CHECK(errors.empty());
  CHECK(c.metadata.name == "m");
  REQUIRE(c.spec.cells.size() == 1);
  CHECK(c.spec.cells[0].zone == "us-east-1a");
}

TEST_CASE("unknown fields name their path") {
  FieldErrors errors;
  decode_yaml("kind: MultigresCluster\nspec:\n  cells:\n  - zone: a\n    zoen: b\n  bogus: 1\n", errors);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].path == "spec.cells[0].zoen");
  CHECK(errors[1].path == "spec.bogus");
  CHECK_THAT(errors[0].message, Catch::Contains("zone"));
}

TEST_CASE("type errors say what is expected") {
  FieldErrors errors;
  decode_yaml("spec:\n  cells: [{zone: a}]\n  databases:\n  - name: 0\n    durabilityPolicy: MOST\n", errors);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].path == "spec.databases[0].name");
  CHECK_THAT(errors[0].message, Catch::Contains("quote it"));
  CHECK(errors[1].path == "spec.databases[0].durabilityPolicy");
  CHECK_THAT(errors[1].message, Catch::Contains("AT_LEAST_2"));
}

TEST_CASE("quantities keep their text and reject garbage") {
  FieldErrors errors;
  auto c = decode_yaml("spec:\n  cells: [{zone: a}]\n  multiadmin:\n    resources:\n      requests: {cpu: 1, memory: 1Gi}\n"
                       "      limits: {cpu: lots}\n",
                       errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].path == "spec.multiadmin.resources.limits[cpu]");
  CHECK(c.spec.multiadmin->resources->requests.at("cpu").value == "1");
  CHECK(same_quantity("1", "1000m"));
  CHECK(same_quantity("1Gi", "1073741824"));
  CHECK_FALSE(same_quantity("1G", "1Gi"));
}

TEST_CASE("encoding omits what is unset and round-trips") {
  FieldErrors errors;
  std::string text =
      "apiVersion: multigres.com/v1alpha1\nkind: MultigresCluster\nmetadata:\n  name: m\nspec:\n  cells:\n"
      "    - name: a\n      zone: z\n      overrides:\n        multiGateway:\n          replicas: 3\n";
  auto c = decode_yaml(text, errors);
  REQUIRE(errors.empty());
  auto yaml = json::to_yaml(encode(c));
  CHECK(yaml == text);
}

TEST_CASE("merging: scalars replace, atomic blocks replace whole, maps merge per key") {
  ShardConfig base;
  base.pools["primary"].replicas = 2;
  base.pools["primary"].postgres = Resources{{{"cpu", "1"}, {"memory", "1Gi"}}, {{"cpu", "2"}}};
  ShardConfig overlay;
  overlay.pools["primary"].cell = "a";
  overlay.pools["primary"].postgres = Resources{{{"cpu", "4"}}, {}};
  overlay.pools["extra"].replicas = 1;
  merge(base, overlay);
  CHECK(base.pools.size() == 2);
  CHECK(*base.pools["primary"].replicas == 2);
  CHECK(*base.pools["primary"].cell == "a");
  CHECK(base.pools["primary"].postgres->requests.size() == 1);
  CHECK(base.pools["primary"].postgres->limits.empty());
}
