// tests/unit/status/rollup_test.cpp
#include <catch2/catch.hpp>

#include "common/status/conditions.hpp"
#include "common/status/rollup.hpp"

using namespace mg;

namespace {

json::Document parse(const std::string& text) { return std::move(json::parse_json(text, "test").value()); }

json::Document workload(int desired, int ready, int generation = 1, int observed = 1) {
  return parse(R"({"metadata":{"generation":)" + std::to_string(generation) + R"(},"spec":{"replicas":)" +
               std::to_string(desired) + R"(},"status":{"observedGeneration":)" + std::to_string(observed) +
               R"(,"readyReplicas":)" + std::to_string(ready) + R"(,"updatedReplicas":)" + std::to_string(desired) + "}}");
}

api::Condition available_of(const std::vector<api::Condition>& conditions) {
  const api::Condition* c = status::find_condition(conditions, status::kAvailable);
  REQUIRE(c != nullptr);
  return *c;
}

}  // namespace

TEST_CASE("conditions: the transition time moves only when the status flips", "[status]") {
  std::vector<api::Condition> first;
  status::set_condition(first, {}, "Available", false, "Creating", "m", 1, "t1");
  std::vector<api::Condition> second;
  status::set_condition(second, first, "Available", false, "Other", "m2", 2, "t2");
  CHECK(second[0].lastTransitionTime == "t1");
  CHECK(second[0].reason == "Other");
  std::vector<api::Condition> third;
  status::set_condition(third, second, "Available", true, "AllReady", "ok", 2, "t3");
  CHECK(third[0].lastTransitionTime == "t3");
  CHECK(third[0].observedGeneration == 2);
}

TEST_CASE("workload_state: ready only when the controller saw the latest spec", "[status]") {
  auto ready = workload(2, 2);
  CHECK(status::workload_state(&ready).ready_all());
  auto stale = workload(2, 2, 3, 2);
  CHECK_FALSE(status::workload_state(&stale).ready_all());
  CHECK(status::workload_state(&stale).rolling());
  CHECK_FALSE(status::workload_state(nullptr).exists);
}

TEST_CASE("topo server: available with a quorum of etcd members", "[status]") {
  api::TopoServer topo;
  topo.spec.replicas = 3;
  topo.metadata.generation = 1;
  auto two = workload(3, 2);
  CHECK(available_of(status::topo_server_status(topo, &two, "t").conditions).status == "True");
  auto one = workload(3, 1);
  auto s = status::topo_server_status(topo, &one, "t");
  CHECK(available_of(s.conditions).status == "False");
  CHECK(available_of(s.conditions).reason == "Starting");  // never had quorum yet
  topo.status = status::topo_server_status(topo, &two, "t");
  CHECK(available_of(status::topo_server_status(topo, &one, "t2").conditions).reason == "NoQuorum");
  CHECK(s.readyReplicas == 1);
}

TEST_CASE("shard: counts pool pods and needs every pool and orchestrator ready", "[status]") {
  api::Shard shard;
  shard.metadata.generation = 4;
  auto pool_a = workload(2, 2);
  auto pool_b = workload(3, 1);
  auto orch = workload(1, 1);
  auto s = status::shard_status(shard, {&pool_a, &pool_b}, {&orch}, "t");
  CHECK(s.replicas == 5);
  CHECK(s.readyReplicas == 3);
  CHECK_FALSE(s.poolsReady);
  CHECK(s.orchReady);
  CHECK(s.phase == "Progressing");  // never Available yet: still starting, not degraded
  CHECK(available_of(s.conditions).reason == "Starting");
  CHECK(s.observedGeneration == 4);
  // Once it has been Available, losing pods with nothing rolling out is degradation.
  auto all = workload(3, 3);
  shard.status = status::shard_status(shard, {&pool_a, &all}, {&orch}, "t");
  CHECK(shard.status->phase == "Healthy");
  auto later = status::shard_status(shard, {&pool_a, &pool_b}, {&orch}, "t2");
  CHECK(later.phase == "Degraded");
  CHECK(available_of(later.conditions).reason == "PodsNotReady");
  shard.status.reset();
  auto missing = status::shard_status(shard, {&pool_a, nullptr}, {&orch}, "t");
  CHECK(missing.phase == "Progressing");
  CHECK(available_of(missing.conditions).reason == "Creating");
}

TEST_CASE("shard: pods on an older OnDelete template are reported, not counted against readiness", "[status]") {
  api::Shard shard;
  auto pool = parse(R"({"metadata":{"generation":2},"spec":{"replicas":2,"updateStrategy":{"type":"OnDelete"}},
      "status":{"observedGeneration":2,"readyReplicas":2,"updatedReplicas":0}})");
  auto orch = workload(1, 1);
  auto s = status::shard_status(shard, {&pool}, {&orch}, "t");
  CHECK(s.phase == "Healthy");
  const api::Condition* c = status::find_condition(s.conditions, status::kPodsUpToDate);
  REQUIRE(c != nullptr);
  CHECK(c->reason == "RestartPending");
  CHECK_THAT(c->message, Catch::Contains("2 pool pod(s)"));
}

TEST_CASE("cluster: a refused change makes it Degraded with the reason", "[status]") {
  api::MultigresCluster cluster;
  resolve::Resolution resolution;
  resolution.cluster = resolve::ResolvedCluster{};
  auto admin = workload(1, 1);
  status::ClusterObservation seen;
  seen.resolution = &resolution;
  seen.global_topo_expected = false;
  seen.admin = &admin;
  seen.refused = {"Shard ns/s: 422 Invalid: spec: Forbidden"};
  auto s = status::cluster_status(cluster, seen, "t");
  CHECK(s.phase == "Degraded");
  const api::Condition* d = status::find_condition(s.conditions, status::kDegraded);
  REQUIRE(d != nullptr);
  CHECK(d->reason == "ApplyFailed");
  CHECK_THAT(d->message, Catch::Contains("Shard ns/s"));
}

TEST_CASE("cluster: phase and summaries from the children", "[status]") {
  api::MultigresCluster cluster;
  cluster.metadata.generation = 2;
  resolve::Resolution resolution;
  resolution.cluster = resolve::ResolvedCluster{};
  api::TopoServer topo;
  topo.status = api::TopoServerStatus{};
  status::set_condition(topo.status->conditions, {}, status::kAvailable, true, "AllReady", "", 1, "t");
  api::Cell cell;
  cell.status = api::CellStatus{};
  cell.status->gatewayReplicas = 2;
  cell.status->gatewayReadyReplicas = 2;
  status::set_condition(cell.status->conditions, {}, status::kAvailable, true, "AllReady", "", 1, "t");
  api::TableGroup tg;
  tg.status = api::TableGroupStatus{};
  tg.status->readyShards = 1;
  tg.status->totalShards = 2;
  status::set_condition(tg.status->conditions, {}, status::kProgressing, true, "RollingOut", "", 1, "t");
  auto admin = workload(2, 2);

  status::ClusterObservation seen;
  seen.resolution = &resolution;
  seen.global_topo = &topo;
  seen.admin = &admin;
  seen.cells = {{"zone-a", &cell}};
  seen.table_groups = {{"postgres", &tg}};
  auto s = status::cluster_status(cluster, seen, "t");
  CHECK(s.phase == "Initializing");
  CHECK(available_of(s.conditions).reason == "Starting");
  CHECK(s.databases.at("postgres").readyShards == 1);
  CHECK(s.databases.at("postgres").totalShards == 2);
  CHECK(s.cells.at("zone-a").ready);
  CHECK(available_of(s.conditions).message == "not ready: database postgres");

  tg.status->readyShards = 2;
  tg.status->conditions.clear();
  cluster.status = s;
  s = status::cluster_status(cluster, seen, "t2");
  CHECK(s.phase == "Healthy");
  CHECK(available_of(s.conditions).lastTransitionTime == "t2");
  // The same observation again: identical status, so the controller writes nothing.
  cluster.status = s;
  CHECK(status::cluster_status(cluster, seen, "t3") == s);

  // A spec that no longer resolves: Degraded with the reason, summaries still reported.
  resolve::Resolution broken;
  broken.missingTemplates = {"ShardTemplate/big"};
  broken.errors.push_back(api::FieldError{"spec.databases[0].tablegroups[0].shards[0].shardTemplate",
                                          "ShardTemplate \"big\" does not exist: create it or name another"});
  seen.resolution = &broken;
  s = status::cluster_status(cluster, seen, "t4");
  CHECK(s.phase == "Degraded");
  const api::Condition* resolved = status::find_condition(s.conditions, status::kTemplatesResolved);
  REQUIRE(resolved != nullptr);
  CHECK(resolved->status == "False");
  CHECK(resolved->reason == "TemplateMissing");
  CHECK_THAT(resolved->message, Catch::Contains("big"));
  CHECK(s.databases.at("postgres").readyShards == 2);
}

TEST_CASE("shard: Draining from the pool pods' drain annotations", "[status][drain]") {
  auto pod = [](const std::string& name, const std::string& annotations) {
    return parse(R"({"metadata":{"name":")" + name + R"(","annotations":{)" + annotations + "}}}");
  };
  const json::Document idle = pod("p-0", "");
  const json::Document done = pod("p-1", R"("drain.multigres.com/state":"finished","drain.multigres.com/message":"finished: REPLICA")");
  const json::Document busy = pod("p-2", R"("drain.multigres.com/state":"acknowledged","drain.multigres.com/message":"the pod is primary: waiting")");
  const json::Document late = pod("p-3", R"("drain.multigres.com/state":"acknowledged","drain.multigres.com/message":"timed out (not finished within 300s): the pod is primary")");
  const json::Document asked = pod("p-4", R"("drain.multigres.com/state":"requested")");

  auto draining = [](std::vector<const json::Value*> pods) {
    std::vector<api::Condition> conditions;
    status::set_draining(conditions, {}, pods, 4, "2026-11-23T10:00:00Z");
    const api::Condition* c = status::find_condition(conditions, status::kDraining);
    REQUIRE(c != nullptr);
    CHECK(c->observedGeneration == 4);
    return *c;
  };
  api::Condition none = draining({&idle, &done});
  CHECK(none.status == "False");
  CHECK(none.reason == "NoDrain");
  api::Condition going = draining({&idle, &busy, &asked});
  CHECK(going.status == "True");
  CHECK(going.reason == "InProgress");
  CHECK(going.message == "p-2 acknowledged: the pod is primary: waiting; p-4 requested");
  api::Condition stuck = draining({&busy, &late});
  CHECK(stuck.reason == "DrainTimeout");
  CHECK_THAT(stuck.message, Catch::Contains("p-3 acknowledged: timed out"));
}

TEST_CASE("conditions: a message longer than the schema allows is cut at a character boundary", "[status]") {
  const auto limit = static_cast<size_t>(api::kMaxConditionMessage);
  CHECK(status::bounded_message("short") == "short");
  CHECK(status::bounded_message(std::string(limit, 'x')) == std::string(limit, 'x'));
  const std::string cut = status::bounded_message(std::string(limit + 1, 'x'));
  CHECK(cut.size() <= limit);
  CHECK_THAT(cut, Catch::EndsWith("bytes more)"));
  std::string accents;
  while (accents.size() <= limit) accents += "\xC3\xA9";  // é, two bytes each
  const std::string cut_accents = status::bounded_message(accents);
  CHECK(cut_accents.size() <= limit);
  const size_t text = cut_accents.find(" ... (");
  REQUIRE(text != std::string::npos);
  CHECK(text % 2 == 0);  // whole characters only
}

TEST_CASE("cluster: at the CRD's maxima the status stays small (every shard refused, nothing ready)", "[status]") {
  api::MultigresCluster cluster;
  resolve::Resolution resolution;  // not resolved: a template every shard names is missing
  for (int e = 0; e < 10'240; ++e) {
    resolution.errors.push_back({"spec.databases[0].tablegroups[0].shards[" + std::to_string(e) + "].shardTemplate",
                                 "ShardTemplate \"missing\" not found in namespace \"prod\""});
  }
  status::ClusterObservation seen;
  seen.resolution = &resolution;
  seen.global_topo_expected = false;
  for (int c = 0; c < 50; ++c) seen.cells.emplace_back("cell-" + std::string(50, 'c') + std::to_string(c), nullptr);
  for (int d = 0; d < 16; ++d)
    seen.table_groups.emplace_back("db-" + std::string(50, 'd') + std::to_string(d), nullptr);
  for (int s = 0; s < 10'240; ++s) {
    seen.refused.push_back("Shard prod/" + std::string(60, 's') + std::to_string(s) +
                           ": 422 Invalid: spec.pools: Forbidden: the pool's cell cannot change");
  }
  const auto s = status::cluster_status(cluster, seen, "t");
  for (const auto& c : s.conditions) {
    INFO(c.type);
    CHECK(c.message.size() <= static_cast<size_t>(api::kMaxConditionMessage));
  }
  const std::string bytes = json::to_json(api::encode(s));
  INFO(bytes.size() << " bytes");
  CHECK(bytes.size() < 128 * 1024);  // the API server's limit is 1.5 MiB
}
