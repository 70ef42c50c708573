// tests/unit/build/multigateway_test.cpp: the per-cell gateway Deployment and Service.
#include "common/build/multigateway.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/build/fixtures.hpp"
#include "tests/unit/golden.hpp"

using namespace mg;

TEST_CASE("multigateway: a zone cell (golden)") {
  const auto c = test::cell("zone1", "us-east-1a", "");
  test::check_golden("build/multigateway_deployment/zone.yaml", test::yaml(build::multigateway_deployment(c)));
  test::check_golden("build/multigateway_service/zone.yaml", test::yaml(build::multigateway_service(c)));
}

TEST_CASE("multigateway: a region cell (golden)") {
  const auto c = test::cell("west", "", "us-west-2");
  test::check_golden("build/multigateway_deployment/region.yaml", test::yaml(build::multigateway_deployment(c)));
}

TEST_CASE("multigateway: pods are pinned to the cell's zone or region") {
  auto zone = build::multigateway_deployment(test::cell("zone1", "us-east-1a", ""));
  CHECK(zone.spec.template_.spec.nodeSelector ==
        std::map<std::string, std::string>{{"topology.kubernetes.io/zone", "us-east-1a"}});
  auto region = build::multigateway_deployment(test::cell("west", "", "us-west-2"));
  CHECK(region.spec.template_.spec.nodeSelector ==
        std::map<std::string, std::string>{{"topology.kubernetes.io/region", "us-west-2"}});
}

TEST_CASE("multigateway: owned by the Cell; named from the cluster and the cell") {
  const auto c = test::cell("zone1", "us-east-1a", "", "shop", "prod");
  const auto d = build::multigateway_deployment(c);
  CHECK(d.metadata.name == naming::multigateway("shop", "zone1"));
  CHECK(d.metadata.namespace_ == "prod");
  REQUIRE(d.metadata.ownerReferences.size() == 1);
  CHECK(d.metadata.ownerReferences[0].kind == "Cell");
  CHECK(d.metadata.ownerReferences[0].name == c.metadata.name);
  CHECK(d.metadata.ownerReferences[0].controller == true);
  CHECK(d.spec.template_.metadata.labels.at(naming::kLabelCluster) == "shop");
  CHECK(build::multigateway_service(c).metadata.name == d.metadata.name);
}
