// tests/unit/plugin/cluster_edit_test.cpp
#include "plugin/cluster_edit.hpp"

#include <catch2/catch.hpp>

#include "common/api/managed_fields.hpp"

using namespace mg;
using namespace mg::plugin;
using namespace mg::api;

namespace {

json::Document parse(const std::string& text) {
  auto d = json::parse_json(text, "test");
  REQUIRE(d.ok());
  return std::move(*d);
}

std::string compact(const json::Value& v) { return json::to_json(v); }

// A cluster made by `init` (kubectl-multigres owns cells and the shard 0-inf), in which `kubectl patch`
// later added shard s1 and scaled pool default of 0-inf.
const char* kLive = R"({
  "apiVersion": "multigres.com/v1alpha1", "kind": "MultigresCluster",
  "metadata": {"name": "c", "namespace": "ns", "resourceVersion": "42", "managedFields": [
    {"manager": "kubectl-multigres", "operation": "Apply", "apiVersion": "multigres.com/v1alpha1",
     "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:cells": {}, "f:databases": {
       "k:{\"name\":\"postgres\"}": {".": {}, "f:name": {}, "f:tablegroups": {
         "k:{\"name\":\"default\"}": {".": {}, "f:name": {}, "f:shards": {
           "k:{\"name\":\"0-inf\"}": {".": {}, "f:name": {}}}}}}}}}},
    {"manager": "kubectl-patch", "operation": "Update", "apiVersion": "multigres.com/v1alpha1",
     "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:databases": {
       "k:{\"name\":\"postgres\"}": {"f:tablegroups": {
         "k:{\"name\":\"default\"}": {"f:shards": {
           "k:{\"name\":\"0-inf\"}": {"f:overrides": {".": {}, "f:pools": {".": {}, "f:default": {".": {}, "f:replicas": {}}}}},
           "k:{\"name\":\"s1\"}": {".": {}, "f:name": {}}}}}}}}}},
    {"manager": "multigres-operator", "operation": "Apply", "subresource": "status",
     "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {"f:phase": {}}}}]},
  "spec": {
    "cells": [{"zone": "us-east-1a"}, {"name": "b", "zone": "us-east-1b"}],
    "databases": [{"name": "postgres", "tablegroups": [{"name": "default", "shards": [
      {"name": "0-inf", "overrides": {"pools": {"default": {"cell": "us-east-1a", "replicas": 3}}}},
      {"name": "s1"}]}]}]},
  "status": {"phase": "Healthy"}
})";

// `kubectl create` of the minimal sample: no databases (database postgres by default).
const char* kMinimal = R"({
  "apiVersion": "multigres.com/v1alpha1", "kind": "MultigresCluster",
  "metadata": {"name": "m", "namespace": "ns", "resourceVersion": "7", "managedFields": [
    {"manager": "kubectl-create", "operation": "Update", "fieldsType": "FieldsV1",
     "fieldsV1": {"f:spec": {".": {}, "f:cells": {}}}}]},
  "spec": {"cells": [{"zone": "us-east-1a"}]}
})";

const char* kHeader = R"("apiVersion":"multigres.com/v1alpha1","kind":"MultigresCluster","metadata":{"name":"c","namespace":"ns"})";

}  // namespace

TEST_CASE("extract_applied projects what the plugin applied, keeping list-map keys", "[plugin]") {
  auto live = parse(kLive);
  CHECK(compact(extract_applied(live, "kubectl-multigres")) ==
        std::string("{") + kHeader +
            R"(,"spec":{"cells":[{"zone":"us-east-1a"},{"name":"b","zone":"us-east-1b"}],)"
            R"("databases":[{"name":"postgres","tablegroups":[{"name":"default","shards":[{"name":"0-inf"}]}]}]}})");
  // A manager that never applied gets only the header.
  CHECK(compact(extract_applied(live, "kubectl-patch")) == std::string("{") + kHeader + "}");
}

TEST_CASE("owners_of finds managers of a field, below it or of an atomic ancestor", "[plugin]") {
  auto live = parse(kLive);
  FieldPath shard{PathStep::member("spec"), PathStep::member("databases"), PathStep::entry("name", "postgres"),
                  PathStep::member("tablegroups"), PathStep::entry("name", "default"), PathStep::member("shards"),
                  PathStep::entry("name", "0-inf")};
  CHECK(owners_of(live, shard) ==
        std::vector<FieldManager>{{"kubectl-multigres", "Apply"}, {"kubectl-patch", "Update"}});
  shard.back() = PathStep::entry("name", "s1");
  CHECK(owners_of(live, shard) == std::vector<FieldManager>{{"kubectl-patch", "Update"}});
  FieldPath cell{PathStep::member("spec"), PathStep::member("cells"), PathStep::entry("name", "b")};
  CHECK(owners_of(live, cell) == std::vector<FieldManager>{{"kubectl-multigres", "Apply"}});
  CHECK(describe_path(shard) == ".spec.databases[name=postgres].tablegroups[name=default].shards[name=s1]");
}

TEST_CASE("add shard applies the earlier intent plus the new entry", "[plugin]") {
  auto live = parse(kLive);
  auto plan = edit::plan_add_shard(live, {{"postgres", "default", "s2"}, "ha", {{"primary", "b"}}});
  REQUIRE(plan.ok());
  CHECK(plan->kind == edit::WriteKind::Apply);
  CHECK(compact(plan->apply) ==
        std::string("{") + kHeader +
            R"(,"spec":{"cells":[{"zone":"us-east-1a"},{"name":"b","zone":"us-east-1b"}],)"
            R"("databases":[{"name":"postgres","tablegroups":[{"name":"default","shards":[{"name":"0-inf"},)"
            R"({"name":"s2","shardTemplate":"ha","overrides":{"pools":{"primary":{"cell":"b"}}}}]}]}]}})");
  CHECK(compact(*json::at_path(plan->predicted, "spec.databases")) ==
        R"([{"name":"postgres","tablegroups":[{"name":"default","shards":[)"
        R"({"name":"0-inf","overrides":{"pools":{"default":{"cell":"us-east-1a","replicas":3}}}},{"name":"s1"},)"
        R"({"name":"s2","shardTemplate":"ha","overrides":{"pools":{"primary":{"cell":"b"}}}}]}]}])");
  CHECK(plan->summary == "added shard \"postgres/default/s2\" (template ha)");
  CHECK(plan->notes.empty());
}

TEST_CASE("bad input to add shard names the problem and what to do", "[plugin]") {
  auto live = parse(kLive);
  auto dup = edit::plan_add_shard(live, {{"postgres", "default", "s1"}, "", {}});
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().message ==
        "shard \"postgres/default/s1\" already exists in MultigresCluster ns/c (shards of postgres/default: 0-inf, s1): "
        "choose another name");
  auto cell = edit::plan_add_shard(live, {{"postgres", "default", "s2"}, "", {{"default", "zz"}}});
  REQUIRE_FALSE(cell.ok());
  CHECK(cell.error().message ==
        "unknown cell \"zz\" in --pool-cell default=zz: the cells of MultigresCluster ns/c are us-east-1a, b; "
        "add it first with `kubectl multigres add cell zz --zone ZONE`");
  auto db = edit::plan_add_shard(live, {{"orders", "default", "s2"}, "", {}});
  REQUIRE_FALSE(db.ok());
  CHECK(db.error().message ==
        "database \"orders\" not found in MultigresCluster ns/c (databases: postgres): add it first with "
        "`kubectl multigres add database orders`");
}

TEST_CASE("adding to an implicit default lists the default explicitly", "[plugin]") {
  auto live = parse(kMinimal);
  auto plan = edit::plan_add_database(live, "orders");
  REQUIRE(plan.ok());
  CHECK(compact(*json::find(plan->apply, "spec")) == R"({"databases":[{"name":"postgres"},{"name":"orders"}]})");
  CHECK(compact(*json::at_path(plan->predicted, "spec.databases")) == R"([{"name":"postgres"},{"name":"orders"}])");
  REQUIRE(plan->notes.size() == 1);
  CHECK_THAT(plan->notes[0], Catch::Contains("postgres is now listed explicitly"));

  auto tg = edit::plan_add_tablegroup(live, {"postgres", "orders"});
  REQUIRE(tg.ok());
  CHECK(compact(*json::find(tg->apply, "spec")) ==
        R"({"databases":[{"name":"postgres","tablegroups":[{"name":"default"},{"name":"orders"}]}]})");

  auto dup = edit::plan_add_database(live, "postgres");
  REQUIRE_FALSE(dup.ok());
  CHECK_THAT(dup.error().message, Catch::Contains("database \"postgres\" already exists"));
}

TEST_CASE("add cell applies the whole (atomic) cells list", "[plugin]") {
  auto live = parse(kMinimal);
  auto plan = edit::plan_add_cell(live, {"b", "us-east-1b", "", "gw"});
  REQUIRE(plan.ok());
  CHECK(compact(*json::find(plan->apply, "spec")) ==
        R"({"cells":[{"zone":"us-east-1a"},{"name":"b","zone":"us-east-1b","cellTemplate":"gw"}]})");
  CHECK(plan->summary == "added cell \"b\" (zone us-east-1b, template gw)");
  auto dup = edit::plan_add_cell(live, {"us-east-1a", "us-east-1c", "", ""});
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().message ==
        "cell \"us-east-1a\" already exists in MultigresCluster ns/m: choose another name (cells: us-east-1a)");
}

TEST_CASE("remove shard: apply when only the plugin owns it, else a guarded JSON patch", "[plugin]") {
  auto live = parse(kLive);
  // 0-inf is also owned by kubectl-patch (its pool replicas): JSON patch.
  auto patched = edit::plan_remove_shard(live, {"postgres", "default", "0-inf"});
  REQUIRE(patched.ok());
  CHECK(patched->kind == edit::WriteKind::JsonPatch);
  CHECK(patched->patch ==
        R"([{"op":"test","path":"/metadata/resourceVersion","value":"42"},)"
        R"({"op":"test","path":"/spec/databases/0/tablegroups/0/shards/0","value":)"
        R"({"name":"0-inf","overrides":{"pools":{"default":{"cell":"us-east-1a","replicas":3}}}}},)"
        R"({"op":"remove","path":"/spec/databases/0/tablegroups/0/shards/0"}])");
  REQUIRE(patched->notes.size() == 1);
  CHECK_THAT(patched->notes[0], Catch::Contains("also managed by \"kubectl-patch\" (Update)"));
  CHECK(compact(*json::at_path(patched->predicted, "spec.databases")) ==
        R"([{"name":"postgres","tablegroups":[{"name":"default","shards":[{"name":"s1"}]}]}])");

  // After the plugin added s2, removing s2 is an apply of the intent without it.
  auto added = edit::plan_add_shard(live, {{"postgres", "default", "s2"}, "", {}});
  REQUIRE(added.ok());
  auto& meta = *const_cast<json::Value*>(json::find(added->predicted, "metadata"));
  auto& a = added->predicted.GetAllocator();
  // Record kubectl-multigres's ownership of s2 as the server would.
  auto& fields = meta["managedFields"][0]["fieldsV1"]["f:spec"]["f:databases"]["k:{\"name\":\"postgres\"}"]["f:tablegroups"]
                     ["k:{\"name\":\"default\"}"]["f:shards"];
  json::Value owned(rapidjson::kObjectType);
  owned.AddMember("f:name", json::Value(rapidjson::kObjectType), a);
  fields.AddMember("k:{\"name\":\"s2\"}", owned, a);
  auto removed = edit::plan_remove_shard(added->predicted, {"postgres", "default", "s2"});
  REQUIRE(removed.ok());
  CHECK(removed->kind == edit::WriteKind::Apply);
  CHECK(compact(*json::at_path(removed->apply, "spec.databases")) ==
        R"([{"name":"postgres","tablegroups":[{"name":"default","shards":[{"name":"0-inf"}]}]}])");
  CHECK(removed->notes.empty());
}

TEST_CASE("removals that would leave nothing are refused", "[plugin]") {
  auto minimal = parse(kMinimal);
  auto only_cell = edit::plan_remove_cell(minimal, "us-east-1a");
  REQUIRE_FALSE(only_cell.ok());
  CHECK(only_cell.error().message ==
        "cannot remove cell \"us-east-1a\": it is the only cell of MultigresCluster ns/m and a cluster needs at least "
        "one; add another cell first");
  auto only_shard = edit::plan_remove_shard(minimal, {"postgres", "default", "0-inf"});
  REQUIRE_FALSE(only_shard.ok());
  CHECK_THAT(only_shard.error().message, Catch::Contains("it is the only shard of tablegroup postgres/default"));
  auto unknown = edit::plan_remove_cell(parse(kLive), "zz");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "cell \"zz\" not found in MultigresCluster ns/c (cells: us-east-1a, b)");
}

TEST_CASE("remove cell: the plugin owns the atomic list, so it applies the list without the cell", "[plugin]") {
  auto live = parse(kLive);
  auto plan = edit::plan_remove_cell(live, "b");
  REQUIRE(plan.ok());
  CHECK(plan->kind == edit::WriteKind::Apply);
  CHECK(compact(*json::at_path(plan->apply, "spec.cells")) == R"([{"zone":"us-east-1a"}])");
  // Made by kubectl create: another manager owns the list, so a guarded JSON patch.
  auto live2 = parse(kMinimal);
  auto add = edit::plan_add_cell(live2, {"b", "us-east-1b", "", ""});
  REQUIRE(add.ok());
  auto& meta = *const_cast<json::Value*>(json::find(add->predicted, "metadata"));
  meta.RemoveMember("resourceVersion");
  meta.AddMember("resourceVersion", "8", add->predicted.GetAllocator());
  auto removal = edit::plan_remove_cell(add->predicted, "b");
  REQUIRE(removal.ok());
  CHECK(removal->kind == edit::WriteKind::JsonPatch);
  CHECK(removal->patch ==
        R"([{"op":"test","path":"/metadata/resourceVersion","value":"8"},)"
        R"({"op":"test","path":"/spec/cells/1","value":{"name":"b","zone":"us-east-1b"}},)"
        R"({"op":"remove","path":"/spec/cells/1"}])");
}

TEST_CASE("scale pool sets overrides (or the inline spec) and checks the count and the pool", "[plugin]") {
  auto live = parse(kMinimal);
  auto plan = edit::plan_scale_pool(live, {{"postgres", "default", "0-inf"}, "default"}, 3,
                                    std::vector<std::string>{"default"});
  REQUIRE(plan.ok());
  CHECK(compact(*json::find(plan->apply, "spec")) ==
        R"({"databases":[{"name":"postgres","tablegroups":[{"name":"default","shards":[)"
        R"({"name":"0-inf","overrides":{"pools":{"default":{"replicas":3}}}}]}]}]})");
  CHECK(plan->summary == "scaled pool \"postgres/default/0-inf/default\" to 3 replicas");
  for (int bad : {0, 33, -1}) {
    auto r = edit::plan_scale_pool(live, {{"postgres", "default", "0-inf"}, "default"}, bad, std::nullopt);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message ==
          "--replicas " + std::to_string(bad) + " is out of range: a pool has 1 to 32 replicas");
  }
  auto pool = edit::plan_scale_pool(live, {{"postgres", "default", "0-inf"}, "main"}, 3, std::vector<std::string>{"default"});
  REQUIRE_FALSE(pool.ok());
  CHECK(pool.error().message == "shard \"postgres/default/0-inf\" has no pool \"main\" (pools: default): use one of them");
  auto shard = edit::plan_scale_pool(live, {{"postgres", "default", "9"}, "default"}, 3, std::nullopt);
  REQUIRE_FALSE(shard.ok());
  CHECK(shard.error().message ==
        "shard \"postgres/default/9\" not found in MultigresCluster ns/m (shards of postgres/default: 0-inf)");

  auto inline_spec = parse(R"({"apiVersion":"multigres.com/v1alpha1","kind":"MultigresCluster",
    "metadata":{"name":"i","namespace":"ns"},"spec":{"cells":[{"zone":"z"}],"databases":[{"name":"postgres",
    "tablegroups":[{"name":"default","shards":[{"name":"0-inf","spec":{"pools":{"p":{"replicas":2}}}}]}]}]}})");
  auto in_spec = edit::plan_scale_pool(inline_spec, {{"postgres", "default", "0-inf"}, "p"}, 4, std::nullopt);
  REQUIRE(in_spec.ok());
  CHECK(compact(*json::at_path(in_spec->predicted, "spec.databases")) ==
        R"([{"name":"postgres","tablegroups":[{"name":"default","shards":[{"name":"0-inf","spec":{"pools":{"p":{"replicas":4}}}}]}]}])");
}

TEST_CASE("set template changes only the template of the named cell or shard", "[plugin]") {
  auto live = parse(kLive);
  auto cell = edit::plan_set_cell_template(live, "b", "big");
  REQUIRE(cell.ok());
  CHECK(compact(*json::at_path(cell->apply, "spec.cells")) ==
        R"([{"zone":"us-east-1a"},{"name":"b","zone":"us-east-1b","cellTemplate":"big"}])");
  auto shard = edit::plan_set_shard_template(live, {"postgres", "default", "s1"}, "ha");
  REQUIRE(shard.ok());
  CHECK(compact(*json::at_path(shard->apply, "spec.databases")) ==
        R"([{"name":"postgres","tablegroups":[{"name":"default","shards":[{"name":"0-inf"},{"name":"s1","shardTemplate":"ha"}]}]}])");
  auto missing = edit::plan_set_cell_template(live, "zz", "big");
  REQUIRE_FALSE(missing.ok());
}

TEST_CASE("argument shapes", "[plugin]") {
  CHECK(edit::parse_shard_ref("db/tg/s")->str() == "db/tg/s");
  CHECK(edit::parse_pool_ref("db/tg/s/p")->pool == "p");
  CHECK(edit::parse_tablegroup_ref("db/tg")->tablegroup == "tg");
  auto bad = edit::parse_shard_ref("db/tg");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "\"db/tg\" is not DATABASE/TABLEGROUP/SHARD (e.g. postgres/default/0-inf)");
  CHECK_FALSE(edit::parse_pool_ref("a//b/c").ok());
  auto cells = edit::parse_pool_cells({"primary=a", "dr=b"});
  REQUIRE(cells.ok());
  CHECK(cells->at("dr") == "b");
  CHECK_FALSE(edit::parse_pool_cells({"primary"}).ok());
  CHECK_FALSE(edit::parse_pool_cells({"p=a", "p=b"}).ok());
}

TEST_CASE("add database and tablegroup with --pool-cell list the default shard with pool cells", "[plugin]") {
  auto live = parse(kLive);
  auto db = edit::plan_add_database(live, "orders", {{"default", "b"}});
  REQUIRE(db.ok());
  CHECK(compact(*json::at_path(db->apply, "spec.databases")) ==
        R"([{"name":"postgres","tablegroups":[{"name":"default","shards":[{"name":"0-inf"}]}]},)"
        R"({"name":"orders","tablegroups":[{"name":"default","shards":[{"name":"0-inf","overrides":{"pools":{"default":{"cell":"b"}}}}]}]}])");
  auto tg = edit::plan_add_tablegroup(live, {"postgres", "t2"}, {{"default", "us-east-1a"}});
  REQUIRE(tg.ok());
  CHECK(compact(*json::at_path(tg->apply, "spec.databases")) ==
        R"([{"name":"postgres","tablegroups":[{"name":"default","shards":[{"name":"0-inf"}]},)"
        R"({"name":"t2","shards":[{"name":"0-inf","overrides":{"pools":{"default":{"cell":"us-east-1a"}}}}]}]}])");
  auto bad = edit::plan_add_database(live, "orders", {{"default", "zz"}});
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message, Catch::StartsWith("unknown cell \"zz\" in --pool-cell default=zz"));
}

TEST_CASE("the second cell pins the pools that ran in the only cell", "[plugin]") {
  auto live = parse(kMinimal);
  auto plan = edit::plan_add_cell(live, {"b", "us-east-1b", "", ""}, {{{"postgres", "default", "0-inf"}, "default"}});
  REQUIRE(plan.ok());
  CHECK(compact(*json::find(plan->apply, "spec")) ==
        R"({"cells":[{"zone":"us-east-1a"},{"name":"b","zone":"us-east-1b"}],"databases":[{"name":"postgres","tablegroups":[)"
        R"({"name":"default","shards":[{"name":"0-inf","overrides":{"pools":{"default":{"cell":"us-east-1a"}}}}]}]}]})");
  REQUIRE(plan->notes.size() == 1);
  CHECK_THAT(plan->notes[0], Catch::Contains("pinned to it (overrides.pools.<pool>.cell) so they stay there: postgres/default/0-inf/default"));
  // With two cells already, nothing is pinned (each pool has a cell, or the cluster is already invalid).
  auto two = parse(kLive);
  auto third = edit::plan_add_cell(two, {"c", "us-east-1c", "", ""}, {{{"postgres", "default", "s1"}, "default"}});
  REQUIRE(third.ok());
  CHECK(third->notes.empty());
}

TEST_CASE("a cell pools run in is not removed", "[plugin]") {
  auto live = parse(kLive);
  auto r = edit::plan_remove_cell(live, "b", {{{"postgres", "default", "s1"}, "default"}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message ==
        "cannot remove cell \"b\": 1 pool(s) run in it (postgres/default/s1/default); remove their shards or move the pools "
        "to another cell first");
}

TEST_CASE("set postgres-config merges keys into the shard's overrides; KEY- removes the plugin's own",
          "[plugin][postgres-config]") {
  auto live = parse(kLive);
  auto settings = edit::parse_settings({"work_mem=16MB", "log_min_duration_statement=1s"});
  REQUIRE(settings.ok());
  auto plan = edit::plan_set_postgres_config(live, {"postgres", "default", "0-inf"}, *settings);
  REQUIRE(plan.ok());
  CHECK(compact(*json::at_path(plan->apply, "spec.databases")) ==
        R"([{"name":"postgres","tablegroups":[{"name":"default","shards":[{"name":"0-inf","overrides":)"
        R"({"postgresConfig":{"log_min_duration_statement":"1s","work_mem":"16MB"}}}]}]}])");
  // The predicted object keeps what kubectl patch set beside it.
  CHECK(
      compact(*json::at_path(plan->predicted, "spec.databases")) ==
      R"([{"name":"postgres","tablegroups":[{"name":"default","shards":[{"name":"0-inf","overrides":)"
      R"({"pools":{"default":{"cell":"us-east-1a","replicas":3}},"postgresConfig":{"log_min_duration_statement":"1s",)"
      R"("work_mem":"16MB"}}},{"name":"s1"}]}]}])");
  CHECK(plan->summary ==
        "postgresConfig of shard \"postgres/default/0-inf\": log_min_duration_statement=1s, work_mem=16MB");

  auto unset = edit::parse_settings({"work_mem-"});
  REQUIRE(unset.ok());
  auto missing = edit::plan_set_postgres_config(live, {"postgres", "default", "0-inf"}, *unset);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message ==
        "work_mem is not set in shard \"postgres/default/0-inf\"'s overrides.postgresConfig");
}

TEST_CASE("set postgres-config arguments are checked before anything is sent", "[plugin][postgres-config]") {
  CHECK(edit::parse_settings({"work_mem"}).error().message ==
        "\"work_mem\" is not KEY=VALUE (or KEY- to remove a key), e.g. work_mem=16MB");
  CHECK(edit::parse_settings({"port=6543"}).error().message.starts_with("port is set by Multigres or the operator"));
  CHECK(edit::parse_settings({"Work_Mem=1"}).error().message.find("is not a PostgreSQL setting name") !=
        std::string::npos);
  CHECK(edit::parse_settings({}).error().message == "name at least one setting, e.g. work_mem=16MB");
  auto both = edit::parse_settings({"work_mem=1MB", "statement_timeout-"});
  REQUIRE(both.ok());
  CHECK(both->at("work_mem") == "1MB");
  CHECK_FALSE(both->at("statement_timeout").has_value());
}
