// tests/unit/runtime/setup_test.cpp
#include <catch2/catch.hpp>

#include "operator/controllers/setup.hpp"

using namespace mg;

TEST_CASE("template events reach the clusters that use the template", "[runtime]") {
  auto cluster = std::move(json::parse_json(R"({"spec":{"cells":[{"zone":"a","cellTemplate":"edge"}],
      "databases":[{"name":"postgres","tablegroups":[{"name":"default","shards":[{"name":"0-inf","shardTemplate":"big"}]}]}]},
      "status":{"resolvedTemplates":{"cellTemplates":["edge"],"shardTemplates":["big","old"]}}})", "t").value());
  CHECK(controllers::cluster_uses_template(cluster, "edge"));
  CHECK(controllers::cluster_uses_template(cluster, "big"));
  CHECK(controllers::cluster_uses_template(cluster, "old"));      // used until the next resolve says otherwise
  CHECK(controllers::cluster_uses_template(cluster, "default"));  // where none is named
  CHECK_FALSE(controllers::cluster_uses_template(cluster, "other"));
}
