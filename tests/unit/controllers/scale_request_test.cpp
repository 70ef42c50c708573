// tests/unit/controllers/scale_request_test.cpp: the Shard scale subresource: what counts as a scale
// request, and the apply that copies it into the MultigresCluster.
#include "operator/controllers/scale_request.hpp"

#include <catch2/catch.hpp>

using namespace mg;

namespace {

json::Document parse(const std::string& text) {
  auto d = json::parse_json(text, "test");
  REQUIRE(d.ok());
  return std::move(*d);
}

json::Document shard(int replicas, const std::string& applied) {
  return parse(R"({"metadata":{"name":"s","annotations":{"multigres.com/applied-replicas":")" + applied +
               R"("}},"spec":{"replicas":)" + std::to_string(replicas) + "}}");
}

}  // namespace

TEST_CASE("a scale request is a spec.replicas the operator did not apply", "[controllers][scale]") {
  CHECK(controllers::scale_request(shard(3, "2"), 2) == 3);  // kubectl scale shard --replicas=3
  CHECK_FALSE(
      controllers::scale_request(shard(2, "2"), 3));  // the cluster changed: the operator's value, not a request
  CHECK_FALSE(controllers::scale_request(shard(3, "2"), 3));                        // the cluster already says 3
  CHECK_FALSE(controllers::scale_request(parse(R"({"spec":{"replicas":3}})"), 2));  // a Shard from before the field
  CHECK_FALSE(controllers::scale_request(parse(R"({"spec":{}})"), 2));
}

TEST_CASE("the write-back sets every pool of the shard, in overrides or the inline spec", "[controllers][scale]") {
  controllers::ScaleTarget target{"postgres", "default", "0-inf", {"a", "b"}, 4};
  SECTION("a cluster with no databases: the implicit default shard gets overrides") {
    auto cluster = parse(R"({"apiVersion":"multigres.com/v1alpha1","kind":"MultigresCluster",
      "metadata":{"name":"c","namespace":"ns"},"spec":{"cells":[{"zone":"z"}]}})");
    CHECK(
        json::to_json(controllers::scale_write_back(cluster, target)) ==
        R"({"apiVersion":"multigres.com/v1alpha1","kind":"MultigresCluster","metadata":{"name":"c","namespace":"ns"},)"
        R"("spec":{"databases":[{"name":"postgres","tablegroups":[{"name":"default","shards":[{"name":"0-inf",)"
        R"("overrides":{"pools":{"a":{"replicas":4},"b":{"replicas":4}}}}]}]}]}})");
  }
  SECTION("a shard with an inline spec gets spec.pools") {
    auto cluster = parse(R"({"apiVersion":"multigres.com/v1alpha1","kind":"MultigresCluster",
      "metadata":{"name":"c","namespace":"ns"},"spec":{"databases":[{"name":"postgres","tablegroups":[
      {"name":"default","shards":[{"name":"0-inf","spec":{"pools":{"a":{"replicas":2}}}}]}]}]}})");
    target.pools = {"a"};
    CHECK(json::to_json(*json::at_path(controllers::scale_write_back(cluster, target), "spec")) ==
          R"({"databases":[{"name":"postgres","tablegroups":[{"name":"default","shards":[{"name":"0-inf",)"
          R"("spec":{"pools":{"a":{"replicas":4}}}}]}]}]})");
  }
}
