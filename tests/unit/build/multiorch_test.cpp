// tests/unit/build/multiorch_test.cpp: one multiorch Deployment per cell the shard has pools in.
#include "common/build/multiorch.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/build/fixtures.hpp"
#include "tests/unit/golden.hpp"

using namespace mg;

TEST_CASE("multiorch: one cell (golden)") {
  test::check_golden("build/multiorch_deployments/one-cell.yaml",
                     test::yaml(build::multiorch_deployments(test::shard())));
}

TEST_CASE("multiorch: pools in two cells give two Deployments, sorted by cell (golden)") {
  const auto shard = test::s3_shard();
  const auto orchs = build::multiorch_deployments(shard);
  test::check_golden("build/multiorch_deployments/two-cells.yaml", test::yaml(orchs));
  REQUIRE(orchs.size() == 2);
  CHECK(orchs[0].spec.template_.spec.containers[0].args[0] == "--cell=zone1");
  CHECK(orchs[1].spec.template_.spec.containers[0].args[0] == "--cell=zone2");
  CHECK(orchs[0].spec.template_.spec.nodeSelector.at("topology.kubernetes.io/zone") == "us-east-1a");
  CHECK(orchs[1].spec.template_.spec.nodeSelector.at("topology.kubernetes.io/region") == "us-west-2");
  CHECK(orchs[0].metadata.name != orchs[1].metadata.name);
  CHECK(orchs[0].spec.selector.matchLabels != orchs[1].spec.selector.matchLabels);
}

TEST_CASE("multiorch: two pools in one cell still give one Deployment") {
  auto shard = test::shard();
  shard.spec.pools["second"] = test::pool("zone1", 1);
  CHECK(build::multiorch_deployments(shard).size() == 1);
}

TEST_CASE("multiorch: owned by the Shard") {
  const auto shard = test::shard();
  const auto d = build::multiorch_deployments(shard).at(0);
  REQUIRE(d.metadata.ownerReferences.size() == 1);
  CHECK(d.metadata.ownerReferences[0].kind == "Shard");
  CHECK(d.metadata.ownerReferences[0].name == shard.metadata.name);
  CHECK(d.metadata.namespace_ == shard.metadata.namespace_);
}
