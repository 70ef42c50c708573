// tests/unit/controllers/shard_controller_test.cpp: the TableGroup and Shard controllers against the
// in-memory boundary (memory_boundary.hpp): the chain cluster -> TableGroup -> Shard -> pool StatefulSets,
// and the growth of a pool's volumes.
#include <algorithm>
#include <catch2/catch.hpp>

#include "operator/controllers/controllers.hpp"
#include "tests/unit/controllers/memory_boundary.hpp"

using mg::test::condition;
using mg::test::MemoryBoundary;
using mg::test::reconcile_ok;

namespace {

std::string cluster_with_storage(const std::string& size) {
  return mg::test::shop_cluster({"us-east-1a"}, {{"main", "us-east-1a", size}});
}

//! Runs the controllers from the cluster down to the shard's children, once each, in order.
void roll_out(MemoryBoundary& api) {
  reconcile_ok(mg::controllers::multigres_cluster_reconciler(api.ctx), "demo/shop");
  for (const auto& tg : api.all("TableGroup")) {
    reconcile_ok(mg::controllers::table_group_reconciler(api.ctx), mg::runtime::object_key(*tg));
  }
  for (const auto& shard : api.all("Shard")) {
    reconcile_ok(mg::controllers::shard_reconciler(api.ctx), mg::runtime::object_key(*shard));
  }
}

std::string claim_size(const mg::json::Value& sts) {
  return mg::json::string_at((*mg::json::at_path(sts, "spec.volumeClaimTemplates"))[0],
                             "spec.resources.requests.storage");
}

//! The PVCs the StatefulSet controller would have made for `sts`'s pods 0..replicas-1.
void make_claims(MemoryBoundary& api, const mg::json::Value& sts, int replicas, const std::string& size) {
  const std::string claim =
      mg::json::string_at((*mg::json::at_path(sts, "spec.volumeClaimTemplates"))[0], "metadata.name");
  for (int i = 0; i < replicas; ++i) {
    api.create(R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"namespace":"demo","name":")" + claim +
               "-" + mg::json::string_at(sts, "metadata.name") + "-" + std::to_string(i) +
               R"("},"spec":{"resources":{"requests":{"storage":")" + size + R"("}}}})");
  }
}

}  // namespace

TEST_CASE("shard controller: the cluster's shard becomes a pool StatefulSet, its Service, PDB and multiorch",
          "[controllers]") {
  MemoryBoundary api;
  api.create(cluster_with_storage("1Gi"));
  roll_out(api);
  REQUIRE(api.all("Shard").size() == 1);
  const auto sts = api.only("StatefulSet");
  CHECK(mg::json::int_at(*sts, "spec.replicas") == 2);
  CHECK(claim_size(*sts) == "1Gi");
  CHECK(api.all("PodDisruptionBudget").size() == 1);
  CHECK(api.all("Deployment").size() >= 2);  // multiadmin (the cluster's) and the shard's multiorch
  // The pgBackRest TLS Secret is issued once, and its key never shows in the log.
  const auto secrets = api.all("Secret");
  CHECK(std::count_if(secrets.begin(), secrets.end(), [](const auto& s) {
          return mg::json::string_at(*s, "metadata.name").find("pgbackrest") != std::string::npos;
        }) == 1);
  for (const auto& line : api.log) CHECK(line.find("PRIVATE KEY") == std::string::npos);
  CHECK(condition(*api.only("Shard"), "Reconciled") == "True Applied");
}

TEST_CASE("shard controller: larger volumes expand each data PVC, then re-create the StatefulSet without its pods",
          "[controllers]") {
  MemoryBoundary api;
  api.create(cluster_with_storage("1Gi"));
  roll_out(api);
  const auto before = api.only("StatefulSet");
  make_claims(api, *before, 2, "1Gi");

  api.update_spec(cluster_with_storage("5Gi"));
  const size_t mark = api.writes.size();
  roll_out(api);
  const auto writes = api.writes_since(mark);
  const auto patched = std::count_if(writes.begin(), writes.end(),
                                     [](const auto& w) { return w.starts_with("patch PersistentVolumeClaim demo/"); });
  CHECK(patched == 2);
  CHECK(std::count(api.field_managers.begin(), api.field_managers.end(), "multigres-volume-expansion") == 2);
  for (const auto& pvc : api.all("PersistentVolumeClaim")) {
    // The data claims (the backup claim, the shard's own, is not the pool's).
    if (mg::json::string_at(*pvc, "metadata.name").find(mg::json::string_at(*before, "metadata.name")) ==
        std::string::npos)
      continue;
    CHECK(mg::json::string_at(*pvc, "spec.resources.requests.storage") == "5Gi");
  }
  CHECK(std::find(writes.begin(), writes.end(),
                  "delete StatefulSet " + mg::runtime::object_key(*before) + " (orphan)") != writes.end());
  CHECK(std::any_of(api.events.begin(), api.events.end(), [](const auto& e) { return e.reason == "VolumesExpanded"; }));

  // The next pass re-creates it with the larger claim template.
  reconcile_ok(mg::controllers::shard_reconciler(api.ctx), mg::runtime::object_key(*api.only("Shard")));
  CHECK(claim_size(*api.only("StatefulSet")) == "5Gi");
}

TEST_CASE("shard controller: a smaller volume is not shrunk: the StatefulSet keeps its claims, the rest still applies",
          "[controllers]") {
  MemoryBoundary api;
  api.create(cluster_with_storage("5Gi"));
  roll_out(api);
  make_claims(api, *api.only("StatefulSet"), 2, "5Gi");
  api.update_spec(cluster_with_storage("1Gi"));
  const size_t mark = api.writes.size();
  roll_out(api);
  for (const auto& w : api.writes_since(mark)) {
    CHECK_FALSE(w.starts_with("patch PersistentVolumeClaim"));
    CHECK_FALSE(w.starts_with("delete StatefulSet"));
  }
  CHECK(claim_size(*api.only("StatefulSet")) == "5Gi");
  CHECK(std::any_of(api.events.begin(), api.events.end(), [](const auto& e) { return e.reason == "VolumesKept"; }));
}

TEST_CASE("shard controller: postgresConfig is reloaded on each pool pod whose PostgreSQL reads the new file",
          "[controllers][postgres-config]") {
  MemoryBoundary api;
  api.create(cluster_with_storage("1Gi"));
  roll_out(api);
  const auto sts = api.only("StatefulSet");
  const std::string labels = mg::json::to_json(*mg::json::at_path(*sts, "spec.template.metadata.labels"));
  for (int i = 0; i < 2; ++i) {
    api.create(R"({"apiVersion":"v1","kind":"Pod","metadata":{"namespace":"demo","uid":"u)" + std::to_string(i) +
               R"(","name":")" + mg::json::string_at(*sts, "metadata.name") + "-" + std::to_string(i) +
               R"(","labels":)" + labels + R"(},"status":{"podIP":"10.9.0.)" + std::to_string(i + 1) + R"("}})");
  }
  const std::string shard_key = mg::runtime::object_key(*api.only("Shard"));
  auto shard = mg::controllers::decode_cached<mg::api::Shard>(*api.only("Shard"));
  REQUIRE(shard.ok());

  SECTION("outside the cluster network nothing is dialled and the status says so") {
    reconcile_ok(mg::controllers::shard_reconciler(api.ctx), shard_key);
    const auto status = mg::json::at_path(*api.only("Shard"), "status.postgresConfig");
    REQUIRE(status != nullptr);
    CHECK(mg::json::string_at(*status, "message").find("outside the cluster network") != std::string::npos);
    CHECK(mg::json::int_at(*status, "podsApplied") == 0);
  }
  SECTION("a pod reading the wanted file is marked with its hash; one with an older file is retried") {
    std::vector<std::string> dialled;
    api.ctx.reload_settings = [&](const mg::pg::ConnectionSettings& settings, const std::string& path) {
      CHECK(path == "/etc/postgres-config/postgresql.conf");
      const bool first = settings.dsn.find("host='10.9.0.1'") != std::string::npos;
      dialled.push_back(first ? "pod-0" : "pod-1");
      std::vector<mg::pg::FileSetting> rows;
      for (const auto& [name, value] : shard->spec.postgresConfig) rows.push_back({name, first ? value : "old", ""});
      return mg::Result<std::vector<mg::pg::FileSetting>>(rows);
    };
    const auto result = mg::controllers::shard_reconciler(api.ctx)(shard_key);
    REQUIRE(result.ok());
    CHECK(result->requeue_after == std::chrono::seconds(5));  // the second pod is looked at again soon
    CHECK(dialled == std::vector<std::string>{"pod-0", "pod-1"});
    const auto status = mg::json::at_path(*api.only("Shard"), "status.postgresConfig");
    REQUIRE(status != nullptr);
    CHECK(mg::json::int_at(*status, "pods") == 2);
    CHECK(mg::json::int_at(*status, "podsApplied") == 1);
    CHECK(mg::json::string_at(*status, "message").find("has not refreshed") != std::string::npos);
    int marked = 0;
    for (const auto& pod : api.all("Pod")) {
      marked +=
          mg::json::annotation(*pod, "multigres.com/postgres-config-applied") == mg::json::string_at(*status, "hash");
    }
    CHECK(marked == 1);
    CHECK(std::any_of(api.events.begin(), api.events.end(),
                      [](const auto& e) { return e.reason == "PostgresConfigReloaded"; }));
  }
}

TEST_CASE("kubectl scale on a Shard is copied into the cluster, and the pool follows", "[controllers][scale]") {
  MemoryBoundary api;
  api.create(cluster_with_storage("1Gi"));
  roll_out(api);
  const auto before = api.only("Shard");
  CHECK(mg::json::int_at(*before, "spec.replicas") == 2);
  CHECK(mg::json::annotation(*before, "multigres.com/applied-replicas") == "2");
  CHECK(mg::json::string_at(*before, "status.selector").find("app.kubernetes.io/component=shard-pool") !=
        std::string::npos);

  // What /scale does: spec.replicas changes, the annotation does not.
  auto body = mg::json::parse_json(R"({"spec":{"replicas":3}})", "scale");
  REQUIRE(body.ok());
  REQUIRE(api.ctx.writer.merge_patch(*before, *body, "kubectl").ok());
  const auto tg_key = mg::runtime::object_key(*api.only("TableGroup"));
  reconcile_ok(mg::controllers::table_group_reconciler(api.ctx), tg_key);
  CHECK(mg::json::int_at(*api.only("Shard"), "spec.replicas") == 3);  // kept, not reverted
  const auto cluster = api.only("MultigresCluster");
  const auto* shards = mg::json::at_path(*cluster, "spec.databases");
  REQUIRE(shards != nullptr);
  CHECK(mg::json::to_json(*shards).find(R"("main":{"cell":"us-east-1a","replicas":3)") != std::string::npos);
  CHECK(std::count(api.field_managers.begin(), api.field_managers.end(), "multigres-operator-scale") == 1);
  CHECK(std::any_of(api.events.begin(), api.events.end(), [](const auto& e) { return e.reason == "ScaleRequested"; }));

  // The cluster flows down: the pool's StatefulSet and the Shard agree, and nothing is copied again.
  roll_out(api);
  CHECK(mg::json::int_at(*api.only("StatefulSet"), "spec.replicas") == 3);
  CHECK(mg::json::annotation(*api.only("Shard"), "multigres.com/applied-replicas") == "3");
  roll_out(api);
  CHECK(std::count(api.field_managers.begin(), api.field_managers.end(), "multigres-operator-scale") == 1);
}
