// tests/unit/build/multiadmin_test.cpp: the multiadmin Deployment and Service.
#include "common/build/multiadmin.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/build/fixtures.hpp"
#include "tests/unit/golden.hpp"

using namespace mg;

TEST_CASE("multiadmin: a managed topology (golden)") {
  const auto rc = test::cluster();
  test::check_golden("build/multiadmin_deployment/minimal.yaml", test::yaml(build::multiadmin_deployment(rc)));
  test::check_golden("build/multiadmin_service/minimal.yaml", test::yaml(build::multiadmin_service(rc)));
}

TEST_CASE("multiadmin: an external topology with TLS and a custom root (golden)") {
  const auto rc = test::external_topo_cluster();
  test::check_golden("build/multiadmin_deployment/external-topo-tls.yaml",
                     test::yaml(build::multiadmin_deployment(rc)));
}

TEST_CASE("multiadmin: topology flags come from the resolved spec, never hard-coded") {
  const auto d = build::multiadmin_deployment(test::external_topo_cluster());
  const auto& args = d.spec.template_.spec.containers.at(0).args;
  auto has = [&](const std::string& a) { return std::find(args.begin(), args.end(), a) != args.end(); };
  CHECK(has("--topo-global-server-addresses=https://etcd-a.example.com:2379,https://etcd-b.example.com:2379"));
  CHECK(has("--topo-global-root=/teams/payments/multigres"));
  CHECK(has("--topo-etcd-tls-ca=/certs/topo-ca/ca.crt"));
  CHECK(has("--topo-etcd-tls-cert=/certs/topo-client/tls.crt"));
  CHECK(has("--topo-etcd-tls-key=/certs/topo-client/tls.key"));
  CHECK(test::find_volume(d.spec.template_.spec, "topo-ca")->secret->secretName == "etcd-ca");
  CHECK(test::find_volume(d.spec.template_.spec, "topo-client-cert")->secret->secretName == "etcd-client");
}

TEST_CASE("multiadmin: owned by the MultigresCluster, in its namespace") {
  auto rc = test::cluster("minimal", "prod");
  rc.owner.controller.reset();
  for (const auto& meta : {build::multiadmin_deployment(rc).metadata, build::multiadmin_service(rc).metadata}) {
    CHECK(meta.namespace_ == "prod");
    REQUIRE(meta.ownerReferences.size() == 1);
    CHECK(meta.ownerReferences[0].kind == "MultigresCluster");
    CHECK(meta.ownerReferences[0].uid == "uid-minimal");
    CHECK(meta.ownerReferences[0].controller == true);
    CHECK(meta.ownerReferences[0].blockOwnerDeletion == true);
  }
}
