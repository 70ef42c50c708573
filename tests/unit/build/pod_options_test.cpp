// tests/unit/build/pod_options_test.cpp: every workload's pods carry their component's PodOptions (node
// selector, tolerations, priority class, labels, annotations), with the operator's own labels and the
// cell's placement kept; pool pods spread over nodes.
#include <catch2/catch.hpp>

#include "common/build/etcd.hpp"
#include "common/build/multiadmin.hpp"
#include "common/build/multigateway.hpp"
#include "common/build/multiorch.hpp"
#include "common/build/pool.hpp"
#include "common/naming/labels.hpp"
#include "tests/unit/build/fixtures.hpp"

using namespace mg;

namespace {

api::PodOptions options(const std::string& who) {
  api::PodOptions o;
  o.nodeSelector = {{"disk", "ssd"}, {naming::kLabelZone, "somewhere-else"}};
  o.tolerations = {api::Toleration{"dedicated", api::TolerationOperator::Equal, who, api::TaintEffect::NoSchedule, {}}};
  o.priorityClassName = who + "-priority";
  o.podAnnotations = {{"team.example.com/owner", who}};
  o.podLabels = {{"team", who}, {naming::kLabelCluster, "not-ours"}};
  return o;
}

//! What every workload's pod template must show for options(who); `zone` is the cell's zone, if any.
void check_pod(const api::k8s::PodTemplateSpec& t, const std::string& who, const std::string& cluster,
               const std::string& zone) {
  INFO(who);
  CHECK(t.spec.nodeSelector.at("disk") == "ssd");
  // The cell's zone wins over the user's; a component outside cells keeps the user's key.
  CHECK(t.spec.nodeSelector.at(naming::kLabelZone) == (zone.empty() ? "somewhere-else" : zone));
  REQUIRE(t.spec.tolerations.size() == 1);
  CHECK(t.spec.tolerations[0].value == who);
  CHECK(t.spec.priorityClassName == who + "-priority");
  CHECK(t.metadata.annotations.at("team.example.com/owner") == who);
  CHECK(t.metadata.labels.at("team") == who);
  // Ours win: the pods still match their workload's selector.
  CHECK(t.metadata.labels.at(naming::kLabelCluster) == cluster);
}

}  // namespace

TEST_CASE("pod options reach the pods of every component") {
  auto rc = test::cluster("shop");
  static_cast<api::PodOptions&>(rc.multiadmin.component) = options("admin");
  check_pod(build::multiadmin_deployment(rc).spec.template_, "admin", "shop", "");

  auto cell = test::cell("zone1", "us-east-1a", "", "shop");
  static_cast<api::PodOptions&>(cell.spec.multiGateway) = options("gateway");
  check_pod(build::multigateway_deployment(cell).spec.template_, "gateway", "shop", "us-east-1a");

  auto topo = test::global_topo_server("shop");
  static_cast<api::PodOptions&>(topo.spec) = options("etcd");
  check_pod(build::etcd_stateful_set(topo).spec.template_, "etcd", "shop", "");

  auto shard = test::shard("shop");
  static_cast<api::PodOptions&>(shard.spec.multiOrch) = options("orch");
  static_cast<api::PodOptions&>(shard.spec.pools.at("default")) = options("pool");
  auto orchs = build::multiorch_deployments(shard);
  REQUIRE(orchs.size() == 1);
  check_pod(orchs[0].spec.template_, "orch", "shop", "us-east-1a");
  check_pod(build::pool_stateful_set(shard, "default").spec.template_, "pool", "shop", "us-east-1a");
}

TEST_CASE("without pod options a pod template has only the operator's labels and placement") {
  auto t = build::multigateway_deployment(test::cell("zone1", "us-east-1a", "")).spec.template_;
  CHECK(t.metadata.annotations.empty());
  CHECK(t.spec.tolerations.empty());
  CHECK(t.spec.priorityClassName.empty());
  CHECK(t.spec.nodeSelector == std::map<std::string, std::string>{{naming::kLabelZone, "us-east-1a"}});
}

TEST_CASE("a pool's pods spread over nodes where nodes allow, selected by the pool's own labels") {
  const auto shard = test::s3_shard();
  for (const auto& [name, pool] : shard.spec.pools) {
    INFO(name);
    auto sts = build::pool_stateful_set(shard, name);
    const auto& spread = sts.spec.template_.spec.topologySpreadConstraints;
    REQUIRE(spread.size() == 1);
    CHECK(spread[0].maxSkew == 1);
    CHECK(spread[0].topologyKey == naming::kLabelHostname);
    // ScheduleAnyway: one node still runs the whole pool (a single-node cluster, a zone with one node).
    CHECK(spread[0].whenUnsatisfiable == "ScheduleAnyway");
    CHECK(spread[0].labelSelector.matchLabels == sts.spec.selector.matchLabels);
  }
}
