// tests/unit/plugin/edit_checks_test.cpp
#include <catch2/catch.hpp>

#include "plugin/edit_checks.hpp"

using namespace mg;
using namespace mg::plugin;

namespace {

json::Document parse(const std::string& text) {
  auto d = json::parse_json(text, "test");
  REQUIRE(d.ok());
  return std::move(*d);
}

std::string cluster(const std::string& spec) {
  return R"({"apiVersion":"multigres.com/v1alpha1","kind":"MultigresCluster","metadata":{"name":"c","namespace":"ns",)"
         R"("resourceVersion":"1","managedFields":[]},"spec":)" + spec + R"(,"status":{"phase":"Healthy"}})";
}

}  // namespace

TEST_CASE("new_problems reports only what the edit breaks, with the field path", "[plugin]") {
  resolve::Templates none;
  auto two_cells = parse(cluster(R"({"cells":[{"zone":"a"},{"zone":"b"}],"databases":[{"name":"postgres","tablegroups":[
      {"name":"default","shards":[{"name":"0-inf","overrides":{"pools":{"default":{"cell":"b"}}}}]}]}]})"));
  CHECK(cluster_problems(two_cells, none).empty());
  auto without_b = parse(cluster(R"({"cells":[{"zone":"a"}],"databases":[{"name":"postgres","tablegroups":[
      {"name":"default","shards":[{"name":"0-inf","overrides":{"pools":{"default":{"cell":"b"}}}}]}]}]})"));
  CHECK(new_problems(two_cells, without_b, none) ==
        std::vector<std::string>{"spec.databases[0].tablegroups[0].shards[0].pools[default].cell: cell \"b\" is not in "
                                 "spec.cells (a): use one of them, or add the cell"});
  // A template that does not exist.
  auto templated = parse(cluster(R"({"cells":[{"zone":"a","cellTemplate":"nope"}]})"));
  auto problems = new_problems(parse(cluster(R"({"cells":[{"zone":"a"}]})")), templated, none);
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems[0], Catch::StartsWith("spec.cells[0].cellTemplate: "));
  // Problems the cluster already had are not the edit's.
  CHECK(new_problems(templated, templated, none).empty());
  // Bounds from the type descriptions.
  auto big = parse(cluster(R"({"cells":[{"zone":"a"}],"databases":[{"name":"postgres","tablegroups":[
      {"name":"default","shards":[{"name":"0-inf","overrides":{"pools":{"default":{"replicas":40}}}}]}]}]})"));
  CHECK_THAT(cluster_problems(big, none).at(0), Catch::Contains("replicas: must be at most 32"));
}

TEST_CASE("shard_pools lists a shard's pools after layering", "[plugin]") {
  auto c = parse(cluster(R"({"cells":[{"zone":"a"}]})"));
  CHECK(shard_pools(c, {}, "postgres", "default", "0-inf") == std::vector<std::string>{"default"});
  CHECK_FALSE(shard_pools(c, {}, "postgres", "default", "x").has_value());
  resolve::Templates t;
  t.shard["ha"].metadata.name = "ha";
  t.shard["ha"].spec.pools["primary"].replicas = 2;
  t.shard["ha"].spec.pools["replica"].replicas = 1;
  auto h = parse(cluster(R"({"cells":[{"zone":"a"}],"databases":[{"name":"postgres","tablegroups":[
      {"name":"default","shards":[{"name":"0-inf","shardTemplate":"ha"}]}]}]})"));
  CHECK(shard_pools(h, t, "postgres", "default", "0-inf") == std::vector<std::string>{"primary", "replica"});
}

TEST_CASE("templates_from decodes server objects leniently", "[plugin]") {
  std::vector<json::Document> cells, shards;
  cells.push_back(parse(R"({"apiVersion":"multigres.com/v1alpha1","kind":"CellTemplate","metadata":{"name":"gw",
      "namespace":"ns","uid":"u","managedFields":[{"manager":"x"}]},"spec":{"multiGateway":{"replicas":3}}})"));
  shards.push_back(parse(R"({"apiVersion":"multigres.com/v1alpha1","kind":"ShardTemplate","metadata":{"name":"ha"},
      "spec":{"pools":{"p":{"replicas":2}}}})"));
  auto t = templates_from(cells, shards);
  REQUIRE(t.cell.count("gw") == 1);
  CHECK(t.cell.at("gw").spec.multiGateway->replicas == 3);
  CHECK(t.shard.at("ha").spec.pools.at("p").replicas == 2);
}

TEST_CASE("an apply conflict is one line naming fields and managers", "[plugin]") {
  std::string one =
      "409 Conflict: Apply failed with 1 conflict: conflict with \"kubectl-patch\" using multigres.com/v1alpha1: "
      ".spec.databases[name=\"postgres\"].tablegroups[name=\"default\"].shards[name=\"0-inf\"].overrides.pools.default.replicas";
  auto c = parse_apply_conflict(one);
  CHECK(c.managers == std::vector<std::string>{"kubectl-patch"});
  CHECK(c.fields == std::vector<std::string>{
                        ".spec.databases[name=\"postgres\"].tablegroups[name=\"default\"].shards[name=\"0-inf\"].overrides.pools.default.replicas"});
  CHECK(conflict_line(c) ==
        "conflict: .spec.databases[name=\"postgres\"].tablegroups[name=\"default\"].shards[name=\"0-inf\"].overrides.pools."
        "default.replicas is managed by \"kubectl-patch\"; nothing was changed. Run again with --force-conflicts to take it over");
  std::string two =
      "409 Conflict: Apply failed with 2 conflicts: conflicts with \"kubectl\" using multigres.com/v1alpha1:\n- .spec.cells\n"
      "conflicts with \"kubectl-multigres\" using multigres.com/v1alpha1:\n- .spec.backup";
  auto c2 = parse_apply_conflict(two);
  CHECK(c2.managers == std::vector<std::string>{"kubectl", "kubectl-multigres"});
  CHECK(c2.fields == std::vector<std::string>{".spec.cells", ".spec.backup"});
  CHECK_THAT(conflict_line(c2), Catch::Contains(".spec.cells, .spec.backup are managed by \"kubectl\", \"kubectl-multigres\""));
}

TEST_CASE("pools_without_cell lists the pools that name no cell after layering", "[plugin]") {
  auto minimal = parse(cluster(R"({"cells":[{"zone":"a"}]})"));
  auto pools = pools_without_cell(minimal, {});
  REQUIRE(pools.size() == 1);
  CHECK(pools[0].database + "/" + pools[0].tablegroup + "/" + pools[0].shard + "/" + pools[0].pool == "postgres/default/0-inf/default");
  resolve::Templates t;
  t.shard["ha"].metadata.name = "ha";
  t.shard["ha"].spec.pools["primary"].replicas = 2;
  t.shard["ha"].spec.pools["dr"].cell = "b";
  auto templated = parse(cluster(R"({"cells":[{"zone":"a"}],"databases":[{"name":"postgres","tablegroups":[
      {"name":"default","shards":[{"name":"0-inf","shardTemplate":"ha"},{"name":"x","overrides":{"pools":{"default":{"cell":"a"}}}}]}]}]})"));
  pools = pools_without_cell(templated, t);
  REQUIRE(pools.size() == 1);
  CHECK(pools[0].shard + "/" + pools[0].pool == "0-inf/primary");
}
