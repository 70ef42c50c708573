// tests/unit/controllers/routes_test.cpp: where a change is routed (setup.cpp): a template change to
// the clusters that use it; a pool pod's drain to its Shard.
#include <catch2/catch.hpp>

#include "operator/controllers/controllers.hpp"
#include "operator/controllers/setup.hpp"
#include "tests/unit/controllers/memory_boundary.hpp"

using mg::controllers::clusters_using_template;
using mg::controllers::shard_to_tell;
using mg::test::MemoryBoundary;

namespace {

std::string cluster(const char* name, const char* ns, const char* cell_template) {
  return std::string(
             "{\"apiVersion\":\"multigres.com/v1alpha1\",\"kind\":\"MultigresCluster\",\"metadata\":{\"name\":\"") +
         name + "\",\"namespace\":\"" + ns + "\"},\"spec\":{\"cells\":[{\"zone\":\"z\",\"cellTemplate\":\"" +
         cell_template + "\"}]}}";
}

std::string cell_template(const char* name, const char* ns) {
  return std::string("{\"apiVersion\":\"multigres.com/v1alpha1\",\"kind\":\"CellTemplate\",\"metadata\":{\"name\":\"") +
         name + "\",\"namespace\":\"" + ns + "\"}}";
}

}  // namespace

TEST_CASE("routes: a template change goes to the clusters of its namespace that name it", "[controllers]") {
  MemoryBoundary api;
  api.create(cluster("uses", "demo", "big"));
  api.create(cluster("other", "demo", "small"));
  api.create(cluster("elsewhere", "prod", "big"));
  const auto big = mg::json::clone(api.create(cell_template("big", "demo")));
  CHECK(clusters_using_template(*api.ctx.caches.clusters, big) == std::vector<std::string>{"demo/uses"});
  // `default` is used wherever no template is named: every cluster of the namespace.
  const auto fallback = mg::json::clone(api.create(cell_template("default", "demo")));
  CHECK(clusters_using_template(*api.ctx.caches.clusters, fallback) ==
        std::vector<std::string>{"demo/other", "demo/uses"});
}

TEST_CASE("routes: a pool pod reaches its Shard only while it carries a drain state", "[controllers]") {
  MemoryBoundary api;
  api.create(R"({"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"pool","namespace":"demo",
    "ownerReferences":[{"kind":"Shard","name":"shop-postgres-default-0-inf","uid":"s1","controller":true}]}})");
  const auto pod = [](const char* annotations) {
    return std::move(
        mg::json::parse_json(std::string(R"({"kind":"Pod","metadata":{"name":"pool-0","namespace":"demo",
      "annotations":)") + annotations +
                                 R"(,"ownerReferences":[{"kind":"StatefulSet","name":"pool","controller":true}]}})",
                             "pod")
            .value());
  };
  CHECK(shard_to_tell(*api.ctx.caches.stateful_sets, pod(R"({"drain.multigres.com/state":"requested"})")) ==
        "demo/shop-postgres-default-0-inf");
  CHECK_FALSE(shard_to_tell(*api.ctx.caches.stateful_sets, pod("{}")));
}
