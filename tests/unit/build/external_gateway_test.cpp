// tests/unit/build/external_gateway_test.cpp: the external gateway Service and where its status says
// clients connect.
#include "common/build/external_gateway.hpp"

#include <catch2/catch.hpp>

#include "common/build/children.hpp"
#include "common/build/multigateway.hpp"
#include "common/naming/names.hpp"
#include "common/status/rollup.hpp"
#include "tests/unit/build/fixtures.hpp"

using namespace mg;

TEST_CASE("external gateway: none unless enabled") {
  auto rc = test::cluster("shop");
  CHECK_FALSE(build::external_gateway_service(rc).has_value());
}

TEST_CASE("external gateway: one Service for the gateways of every cell, with the user's IPs and annotations") {
  auto rc = test::cluster("shop", "prod");
  rc.cells.push_back(test::cell("zone2", "us-east-1b", "", "shop", "prod"));
  rc.externalGateway = api::ExternalGatewaySpec{true,
                                                api::ExternalServiceType::NodePort,
                                                {"203.0.113.10"},
                                                {{"service.beta.kubernetes.io/aws-load-balancer-type", "nlb"}}};
  auto s = build::external_gateway_service(rc);
  REQUIRE(s.has_value());
  CHECK(s->metadata.name == naming::external_gateway("shop"));
  CHECK(s->metadata.namespace_ == "prod");
  CHECK(s->metadata.annotations.at("service.beta.kubernetes.io/aws-load-balancer-type") == "nlb");
  REQUIRE(s->metadata.ownerReferences.size() == 1);
  CHECK(s->metadata.ownerReferences[0].kind == "MultigresCluster");
  CHECK(s->spec.type == "NodePort");
  CHECK(s->spec.externalIPs == std::vector<std::string>{"203.0.113.10"});
  REQUIRE(s->spec.ports.size() == 2);
  CHECK(s->spec.ports[0].port == 5432);
  CHECK(s->spec.ports[1].port == 5433);
  // No cell in the selector: both cells' gateway pods match it.
  for (const auto& cell : rc.cells) {
    const auto gateway = build::multigateway_deployment(cell);
    for (const auto& [key, value] : s->spec.selector) {
      INFO(cell.spec.name << " " << key);
      CHECK(gateway.spec.template_.metadata.labels.at(key) == value);
    }
  }
  CHECK(s->spec.selector.count(naming::kLabelCell) == 0);
  // It is one of the cluster's children (so pruned when disabled).
  bool listed = false;
  for (const auto& child : build::cluster_children(rc)) {
    listed = listed || (json::get_string(child, "kind") == "Service" &&
                        json::get_string(*json::find(child, "metadata"), "name") == s->metadata.name);
  }
  CHECK(listed);
}

TEST_CASE("external gateway status: the load balancer's address, else the first external IP, and the node port") {
  auto service = [](const std::string& status, const std::string& external_ips) {
    auto doc = json::parse_json(R"({"metadata":{"name":"shop-gw"},"spec":{"type":"LoadBalancer","ports":[)"
                                R"({"name":"postgres","port":5432,"nodePort":31432},)"
                                R"({"name":"pg-replica","port":5433,"nodePort":31433}])" +
                                    external_ips + "}" + status + "}",
                                "service");
    REQUIRE(doc.ok());
    return status::external_gateway_status(*doc);
  };
  auto pending = service("", "");
  CHECK(pending.service == "shop-gw");
  CHECK(pending.nodePort == 31432);
  CHECK(pending.endpoint.empty());
  CHECK(service(R"(,"status":{"loadBalancer":{"ingress":[{"ip":"198.51.100.7"}]}})", "").endpoint ==
        "198.51.100.7:5432");
  CHECK(service(R"(,"status":{"loadBalancer":{"ingress":[{"hostname":"lb.example.com"}]}})", "").endpoint ==
        "lb.example.com:5432");
  CHECK(service("", R"(,"externalIPs":["2001:db8::1"])").endpoint == "[2001:db8::1]:5432");
}
