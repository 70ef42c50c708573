// tests/unit/plugin/init_spec_test.cpp
#include <catch2/catch.hpp>

#include <sstream>

#include "plugin/edit_checks.hpp"
#include "plugin/init_spec.hpp"
#include "plugin/init_wizard.hpp"

using namespace mg;
using namespace mg::plugin;

TEST_CASE("--shards: a count gives equal key ranges, else names", "[plugin]") {
  CHECK(*shard_names_for("") == std::vector<std::string>{"0-inf"});
  CHECK(*shard_names_for("1") == std::vector<std::string>{"0-inf"});
  CHECK(*shard_names_for("2") == std::vector<std::string>{"0-80", "80-inf"});
  CHECK(*shard_names_for("4") == std::vector<std::string>{"0-40", "40-80", "80-c0", "c0-inf"});
  CHECK(*shard_names_for("3") == std::vector<std::string>{"0-55", "55-aa", "aa-inf"});
  CHECK(shard_names_for("32")->size() == 32);
  CHECK(*shard_names_for("a, b") == std::vector<std::string>{"a", "b"});
  for (const char* bad : {"0", "33"}) {
    auto r = shard_names_for(bad);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("a tablegroup has 1 to 32 shards"));
  }
}

TEST_CASE("init builds the cluster from flags", "[plugin]") {
  InitOptions o;
  o.name = "demo";
  o.namespace_name = "ns";
  o.zones = {"us-east-1a"};
  auto doc = build_init_cluster(o, {});
  REQUIRE(doc.ok());
  CHECK(json::to_json(*doc) ==
        R"({"apiVersion":"multigres.com/v1alpha1","kind":"MultigresCluster","metadata":{"name":"demo","namespace":"ns"},)"
        R"("spec":{"cells":[{"zone":"us-east-1a"}],"databases":[{"name":"postgres","tablegroups":[{"name":"default",)"
        R"("shards":[{"name":"0-inf"}]}]}]}})");
  CHECK(cluster_problems(*doc, {}).empty());
}

TEST_CASE("init with several cells spreads pools and applies --replicas and --storage", "[plugin]") {
  InitOptions o;
  o.name = "prod";
  o.namespace_name = "ns";
  o.zones = {"a", "b"};
  o.databases = {"app"};
  o.shards = "2";
  o.replicas = 3;
  o.storage = "20Gi";
  o.cell_template = "gw";
  resolve::Templates t;
  t.cell["gw"].metadata.name = "gw";
  auto doc = build_init_cluster(o, t);
  REQUIRE(doc.ok());
  CHECK(json::to_yaml(*json::find(*doc, "spec")) ==
        "cells:\n"
        "  - zone: a\n"
        "    cellTemplate: gw\n"
        "  - zone: b\n"
        "    cellTemplate: gw\n"
        "databases:\n"
        "  - name: app\n"
        "    tablegroups:\n"
        "      - name: default\n"
        "        shards:\n"
        "          - name: 0-80\n"
        "            overrides:\n"
        "              pools:\n"
        "                default:\n"
        "                  cell: a\n"
        "                  replicas: 3\n"
        "                  storage:\n"
        "                    size: 20Gi\n"
        "          - name: 80-inf\n"
        "            overrides:\n"
        "              pools:\n"
        "                default:\n"
        "                  cell: b\n"
        "                  replicas: 3\n"
        "                  storage:\n"
        "                    size: 20Gi\n");
  CHECK(cluster_problems(*doc, t).empty());
}

TEST_CASE("init keeps a template's pools and storage class", "[plugin]") {
  resolve::Templates t;
  auto& ha = t.shard["ha"];
  ha.metadata.name = "ha";
  ha.spec.pools["primary"] =
      api::PoolSpec{{}, api::PoolType::ReadWrite, std::nullopt, 2, api::Storage{"100Gi", "fast"}, {}, {}, {}};
  ha.spec.pools["dr"] = api::PoolSpec{{}, api::PoolType::ReadOnly, std::string("b"), 1, std::nullopt, {}, {}, {}};
  InitOptions o;
  o.name = "x";
  o.zones = {"a", "b"};
  o.shard_template = "ha";
  o.storage = "50Gi";
  auto doc = build_init_cluster(o, t);
  REQUIRE(doc.ok());
  CHECK(json::to_json(*json::at_path(*doc, "spec.databases")) ==
        R"([{"name":"postgres","tablegroups":[{"name":"default","shards":[{"name":"0-inf","shardTemplate":"ha",)"
        R"("overrides":{"pools":{"dr":{"storage":{"size":"50Gi"}},"primary":{"cell":"a","storage":{"size":"50Gi","class":"fast"}}}}}]}]}])");
}

TEST_CASE("init --image sets spec.images per component and names a bad flag", "[plugin]") {
  InitOptions o;
  o.name = "demo";
  o.zones = {"z"};
  o.images = {"multipooler=reg.local/multigres:v1", "etcd=reg.local/etcd:v3.6.16"};
  auto doc = build_init_cluster(o, {});
  REQUIRE(doc.ok());
  const json::Value* images = json::find(*json::find(*doc, "spec"), "images");
  REQUIRE(images != nullptr);
  CHECK(json::to_json(*images) == R"({"multipooler":"reg.local/multigres:v1","etcd":"reg.local/etcd:v3.6.16"})");
  CHECK(cluster_problems(*doc, {}).empty());
  for (const char* bad : {"pooler=x", "multipooler", "multipooler="}) {
    o.images = {bad};
    auto r = build_init_cluster(o, {});
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::StartsWith(std::string("--image ") + bad + ": want COMPONENT=IMAGE"));
  }
}

TEST_CASE("init --log-level sets every process, then PROCESS=LEVEL one of them, and names a bad flag", "[plugin]") {
  InitOptions o;
  o.name = "demo";
  o.zones = {"z"};
  o.log_levels = {"warn", "multipooler=debug"};
  auto doc = build_init_cluster(o, {});
  REQUIRE(doc.ok());
  const json::Value* levels = json::find(*json::find(*doc, "spec"), "logLevels");
  REQUIRE(levels != nullptr);
  CHECK(json::to_json(*levels) == R"({"pgctld":"warn","multipooler":"debug","multiorch":"warn",)"
                                  R"("multiadmin":"warn","multigateway":"warn"})");
  CHECK(cluster_problems(*doc, {}).empty());
  o.log_levels.clear();
  CHECK(json::find(*json::find(*build_init_cluster(o, {}), "spec"), "logLevels") == nullptr);
  for (const char* bad : {"loud", "pooler=debug", "multipooler=", "=info"}) {
    o.log_levels = {bad};
    auto r = build_init_cluster(o, {});
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message,
               Catch::StartsWith(std::string("--log-level ") + bad + ": want LEVEL or PROCESS=LEVEL"));
  }
}

TEST_CASE("init without name or cells says what to pass", "[plugin]") {
  InitOptions o;
  o.zones = {"a"};
  CHECK(build_init_cluster(o, {}).error().message == "a cluster name is required: kubectl multigres init NAME --zone ZONE");
  o.name = "x";
  o.zones.clear();
  CHECK(build_init_cluster(o, {}).error().message ==
        "no cells: pass --zone ZONE (repeatable), --region REGION or --cells ZONE1,ZONE2");
}

TEST_CASE("the wizard asks every value with defaults, re-asking bad answers", "[plugin]") {
  std::istringstream in(
      "Bad_Name\n"   // rejected
      "shop\n"
      "\n"           // zone (default)
      "us-east-1a, us-east-1b\n"
      "app,orders\n"
      "\n"           // tablegroups: default
      "abc,\n"       // shard names
      "0\n"          // replicas: rejected
      "3\n"
      "\n");         // storage: default 10Gi (left to the template)
  std::ostringstream out;
  Prompter p(in, out);
  InitOptions start;
  start.namespace_name = "team";
  auto o = run_init_wizard(p, start, {});
  REQUIRE(o.ok());
  CHECK(o->name == "shop");
  CHECK(o->zones == std::vector<std::string>{"us-east-1a", "us-east-1b"});
  CHECK(o->databases == std::vector<std::string>{"app", "orders"});
  CHECK(o->tablegroups == std::vector<std::string>{"default"});
  CHECK(o->shards == "abc,");
  CHECK(o->replicas == 3);
  CHECK(o->storage.empty());
  std::string text = out.str();
  CHECK_THAT(text, Catch::Contains("Cluster name: "));
  CHECK_THAT(text, Catch::Contains("the name must be lowercase letters"));
  CHECK_THAT(text, Catch::Contains("Place cells in zones or regions? (zone/region) [zone]: "));
  CHECK_THAT(text, Catch::Contains("Databases, comma-separated [postgres]: "));
  CHECK_THAT(text, Catch::Contains("Pool replicas (pods in each pool) [2]: "));
  CHECK_THAT(text, Catch::Contains("give a number from 1 to 32"));
  CHECK_THAT(text, Catch::Contains("Storage per pod [10Gi]: "));
}

TEST_CASE("the wizard stops at the end of input", "[plugin]") {
  std::istringstream in("shop\n");
  std::ostringstream out;
  Prompter p(in, out);
  auto o = run_init_wizard(p, {}, {});
  REQUIRE_FALSE(o.ok());
  CHECK(o.error().message == "aborted: no answer (end of input); nothing was created");
}

TEST_CASE("confirm takes y/n and the default", "[plugin]") {
  std::istringstream in("maybe\ny\n\n");
  std::ostringstream out;
  Prompter p(in, out);
  CHECK(p.confirm("Go?", false) == true);
  CHECK(p.confirm("Go?", false) == false);
  CHECK_FALSE(p.confirm("Go?", true).has_value());
  CHECK_THAT(out.str(), Catch::Contains("Go? [y/N]: "));
}
