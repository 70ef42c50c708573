// tests/unit/view/render_test.cpp
//! Golden tests of `status` (text, json) and `topology` on objects captured from the local plane
//! (tests/golden/view/<case>.json; see capture.sh there). Regenerate with MG_UPDATE_GOLDEN=1.
#include "common/view/render.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/golden.hpp"

using namespace mg;

namespace {

struct Fixture {
  view::Objects objects;
  std::string now;
};

Fixture load(const std::string& name) {
  const std::string text = test::read_file(test::source_path("tests/golden/view/" + name + ".json"));
  auto doc = json::parse_json(text, name);
  REQUIRE(doc.ok());
  return {view::objects_from(*doc), json::get_string(*doc, "now")};
}

view::ClusterView only_view(const Fixture& f) {
  auto views = view::build_views(f.objects, f.now);
  REQUIRE(views.size() == 1);
  return views.front();
}

}  // namespace

TEST_CASE("status and topology of captured clusters match their goldens", "[view]") {
  for (const char* name : {"healthy", "degraded", "initializing"}) {
    DYNAMIC_SECTION(name) {
      const Fixture f = load(name);
      const view::ClusterView v = only_view(f);
      test::check_golden(std::string("view/") + name + ".status.txt", view::status_text(v, false));
      test::check_golden(std::string("view/") + name + ".status.json", view::status_json(v));
      test::check_golden(std::string("view/") + name + ".topology.txt", view::topology_text(v, false));
    }
  }
}

TEST_CASE("the healthy 3-cell cluster: 32 shards in 4 databases, every pod placed, no problem", "[view]") {
  const view::ClusterView v = only_view(load("healthy"));
  CHECK(v.phase == "Healthy");
  REQUIRE(v.cells.size() == 3);
  REQUIRE(v.databases.size() == 4);
  int32_t shards = 0, pool_pods = 0;
  for (const auto& d : v.databases) {
    CHECK(d.ready_shards == d.total_shards);
    for (const auto& t : d.table_groups) {
      for (const auto& s : t.shards) {
        ++shards;
        for (const auto& p : s.pools) {
          CHECK(p.ready == p.replicas);
          for (const auto& pod : p.pods) {
            ++pool_pods;
            CHECK(pod.zone_from_node);
            CHECK(pod.zone == p.cell);  // cells are named after their zones here
          }
        }
      }
    }
  }
  CHECK(shards == 32);
  CHECK(pool_pods == 64);
  CHECK(v.pods.ready == v.pods.total);
  // Bring-up FailedScheduling events are about pods that are Ready now: not problems.
  CHECK(v.problems.empty());
}

TEST_CASE("the degraded cluster names the missing template with its hint and the unschedulable pods", "[view]") {
  const view::ClusterView v = only_view(load("degraded"));
  CHECK(v.phase == "Degraded");
  REQUIRE_FALSE(v.problems.empty());
  const view::Problem& first = v.problems.front();
  CHECK(first.title == "TemplatesResolved is False");
  CHECK(first.reason == "TemplateMissing");
  CHECK_THAT(first.message, Catch::Contains("ShardTemplate \"ha-shard\" not found"));
  CHECK_THAT(first.hint, Catch::StartsWith("create the template or fix the name in spec"));
  bool pending = false, event = false, operator_event = false;
  for (const auto& p : v.problems) {
    pending = pending || (p.source == "pods" && p.reason == "Pending");
    event = event || (p.source == "event" && p.reason == "FailedScheduling");
    operator_event = operator_event || (p.source == "event" && p.reason == "TemplateMissing");
    if (p.source == "pods" && p.reason == "Pending") {
      CHECK_THAT(p.hint, Catch::StartsWith("check node capacity/zone labels"));
    }
  }
  CHECK(pending);
  CHECK(event);
  CHECK_FALSE(operator_event);  // the condition says it, as it is now
}

TEST_CASE("the initializing cluster shows pending pods waiting for volumes", "[view]") {
  const view::ClusterView v = only_view(load("initializing"));
  CHECK(v.phase == "Initializing");
  CHECK(v.pods.pending > 0);
  bool volumes = false;
  for (const auto& p : v.problems) volumes = volumes || p.hint.find("kubectl get pvc") != std::string::npos;
  CHECK(volumes);
}

TEST_CASE("colour only when asked", "[view]") {
  const view::ClusterView v = only_view(load("degraded"));
  for (const std::string& s : {view::status_text(v, false), view::topology_text(v, false)}) {
    CHECK(s.find('\033') == std::string::npos);
  }
  for (const std::string& s : {view::status_text(v, true), view::topology_text(v, true)}) {
    CHECK(s.find("\033[31m") != std::string::npos);
  }
}

TEST_CASE("status json has every documented field", "[view]") {
  const view::ClusterView v = only_view(load("initializing"));
  const json::Document d = view::status_document(v);
  for (const char* key :
       {"formatVersion", "name", "namespace", "creationTimestamp", "generation", "observedGeneration", "phase",
        "conditions", "cells", "databases", "topoServers", "pods", "problems", "hiddenEvents"}) {
    INFO(key);
    CHECK(json::find(d, key) != nullptr);
  }
  const json::Value& problem = d["problems"][0];
  for (const char* key : {"source", "title", "object", "reason", "message", "hint", "count", "lastSeen"}) {
    INFO(key);
    CHECK(json::find(problem, key) != nullptr);
  }
  const json::Document list = view::status_list_document({v, v});
  CHECK(list["clusters"].Size() == 2);
}

TEST_CASE("a drain past the operator's timeout is a problem with a hint; one in progress is not", "[view][drain]") {
  Fixture f = load("healthy");
  REQUIRE_FALSE(f.objects.shards.empty());
  api::Shard& shard = f.objects.shards.front();
  REQUIRE(shard.status);
  shard.status->conditions.push_back({"Draining", "True", 1, f.now, "InProgress", "pod-0 acknowledged: checking"});
  CHECK(only_view(f).problems.empty());

  shard.status->conditions.back().reason = "DrainTimeout";
  shard.status->conditions.back().message =
      "pod-0 acknowledged: timed out (not finished within 300s): the pod is primary and the switchover failed";
  const view::ClusterView v = only_view(f);
  REQUIRE(v.problems.size() == 1);
  CHECK_THAT(v.problems[0].title, Catch::StartsWith("drain of shard ") && Catch::EndsWith(" timed out"));
  CHECK(v.problems[0].objects == std::vector<std::string>{"Shard/" + shard.metadata.name});
  CHECK_THAT(v.problems[0].message, Catch::Contains("switchover failed"));
  CHECK_THAT(v.problems[0].hint, Catch::Contains("drain.multigres.com/state"));
}

TEST_CASE("status shows where clients outside Kubernetes connect, when the cluster has an external gateway", "[view]") {
  view::ClusterView v = only_view(load("healthy"));
  CHECK(view::status_text(v, false).find("External:") == std::string::npos);
  CHECK(json::find(view::status_document(v), "externalGateway") == nullptr);
  v.external_gateway = api::ExternalGatewayStatus{"shop-gw", "", 31432};
  CHECK(view::status_text(v, false).find("External:    address pending, node port 31432 (Service shop-gw)") !=
        std::string::npos);
  v.external_gateway->endpoint = "203.0.113.10:5432";
  CHECK(view::status_text(v, false).find("203.0.113.10:5432, node port 31432") != std::string::npos);
  const json::Document d = view::status_document(v);
  CHECK(json::to_json(d["externalGateway"]) ==
        R"({"service":"shop-gw","endpoint":"203.0.113.10:5432","nodePort":31432})");
}
