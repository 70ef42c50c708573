// tests/unit/build/etcd_test.cpp: the etcd StatefulSet, Services and PDB of a TopoServer.
#include "common/build/etcd.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/build/fixtures.hpp"
#include "tests/unit/golden.hpp"

using namespace mg;

TEST_CASE("etcd: the global topology server (golden)") {
  const auto ts = test::global_topo_server();
  test::check_golden("build/etcd_stateful_set/global.yaml", test::yaml(build::etcd_stateful_set(ts)));
  test::check_golden("build/etcd_peer_service/global.yaml", test::yaml(build::etcd_peer_service(ts)));
  test::check_golden("build/etcd_client_service/global.yaml", test::yaml(build::etcd_client_service(ts)));
  test::check_golden("build/etcd_pdb/global.yaml", test::yaml(build::etcd_pdb(ts)));
}

TEST_CASE("etcd: a cell's one-member topology server (golden)") {
  const auto ts = test::local_topo_server(test::cell("zone1", "us-east-1a", ""));
  test::check_golden("build/etcd_stateful_set/local-cell.yaml", test::yaml(build::etcd_stateful_set(ts)));
  test::check_golden("build/etcd_pdb/local-cell.yaml", test::yaml(build::etcd_pdb(ts)));
}

TEST_CASE("etcd: every object is controlled by the TopoServer, in its namespace") {
  auto ts = test::global_topo_server("minimal", "databases");
  auto sts = build::etcd_stateful_set(ts);
  CHECK(sts.metadata.namespace_ == "databases");
  CHECK(build::etcd_peer_service(ts).metadata.namespace_ == "databases");
  REQUIRE(sts.metadata.ownerReferences.size() == 1);
  const auto& owner = sts.metadata.ownerReferences[0];
  CHECK(owner.kind == "TopoServer");
  CHECK(owner.name == ts.metadata.name);
  CHECK(owner.uid == ts.metadata.uid);
  CHECK(owner.controller == true);
  CHECK(owner.blockOwnerDeletion == true);
  CHECK(build::etcd_pdb(ts).metadata.ownerReferences[0].name == ts.metadata.name);
  CHECK(build::etcd_client_service(ts).metadata.namespace_ == "databases");
}

TEST_CASE("etcd: the static initial cluster names every member at its peer address") {
  const auto ts = test::global_topo_server();
  const auto sts = build::etcd_stateful_set(ts);
  const auto& c = sts.spec.template_.spec.containers.at(0);
  const auto* initial = test::find_env(c, "ETCD_INITIAL_CLUSTER");
  REQUIRE(initial != nullptr);
  const std::string peer = naming::etcd_peer_service(ts.metadata.name);
  std::string expected;
  for (int i = 0; i < 3; ++i) {
    std::string member = sts.metadata.name + "-" + std::to_string(i);
    expected += (i ? "," : "") + member + "=http://" + member + "." + peer + ".$(POD_NAMESPACE).svc:2380";
  }
  CHECK(initial->value == expected);
  CHECK(sts.spec.serviceName == peer);
  CHECK(sts.spec.podManagementPolicy == "Parallel");
}

TEST_CASE("etcd: the PDB never allows a voluntary disruption to break the quorum") {
  auto ts = test::global_topo_server();
  for (auto [replicas, allowed] : {std::pair{1, 1}, {3, 1}, {5, 2}, {7, 3}}) {
    ts.spec.replicas = replicas;
    CHECK(build::etcd_pdb(ts).spec.maxUnavailable.number == allowed);
  }
}

TEST_CASE("etcd: a cell's etcd and the global etcd select disjoint pods") {
  auto global = test::global_topo_server();
  auto local = test::local_topo_server(test::cell("zone1", "us-east-1a", ""));
  auto g = build::etcd_client_service(global).spec.selector;
  auto l = build::etcd_client_service(local).spec.selector;
  auto local_pod_labels = build::etcd_stateful_set(local).spec.template_.metadata.labels;
  bool global_selects_local = true;
  for (const auto& [k, v] : g) {
    auto it = local_pod_labels.find(k);
    if (it == local_pod_labels.end() || it->second != v) global_selects_local = false;
  }
  CHECK_FALSE(global_selects_local);
  CHECK(g != l);
}
