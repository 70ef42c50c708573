// tests/unit/controllers/restore_controller_test.cpp: the MultigresRestore and Shard controllers against
// the in-memory boundary: hold, the prune Job, the data claims, release, done.
#include <catch2/catch.hpp>

#include "common/naming/labels.hpp"
#include "operator/controllers/controllers.hpp"
#include "tests/unit/controllers/memory_boundary.hpp"

using namespace mg;
using test::MemoryBoundary;
using test::reconcile_ok;

namespace {

void roll_out(MemoryBoundary& api) {
  reconcile_ok(controllers::multigres_cluster_reconciler(api.ctx), "demo/shop");
  for (const auto& tg : api.all("TableGroup"))
    reconcile_ok(controllers::table_group_reconciler(api.ctx), runtime::object_key(*tg));
  for (const auto& shard : api.all("Shard"))
    reconcile_ok(controllers::shard_reconciler(api.ctx), runtime::object_key(*shard));
}

std::string shard_key(MemoryBoundary& api) {
  return runtime::object_key(*api.only("Shard"));
}

int64_t pool_replicas(MemoryBoundary& api) {
  return json::int_at(*api.only("StatefulSet"), "spec.replicas");
}

std::string phase(MemoryBoundary& api) {
  return json::string_at((*json::at_path(*api.only("MultigresRestore"), "status.shards"))[0], "phase");
}

}  // namespace

TEST_CASE("restore controller: hold, cut the repository, drop the claims, release, done", "[controllers][restore]") {
  MemoryBoundary api;
  api.create(test::shop_cluster({"us-east-1a"}, {{"main", "us-east-1a"}}));
  roll_out(api);
  REQUIRE(pool_replicas(api) == 2);
  const std::string shard_name = json::string_at(*api.only("Shard"), "metadata.name");
  api.create(R"(apiVersion: multigres.com/v1alpha1
kind: MultigresBackup
metadata: {namespace: demo, name: monday}
spec: {clusterName: shop}
)");
  api.set_status("MultigresBackup", "demo", "monday",
                 R"({"phase":"Completed","shards":[{"shard":"postgres/default/0-inf","phase":"Completed",
                     "backupId":"20261207-020000F"}]})");
  api.create(R"(apiVersion: multigres.com/v1alpha1
kind: MultigresRestore
metadata: {namespace: demo, name: back}
spec: {backupName: monday}
)");
  const auto restore = controllers::multigres_restore_reconciler(api.ctx);
  const auto shard = controllers::shard_reconciler(api.ctx);

  reconcile_ok(restore, "demo/back");
  CHECK(phase(api) == "Stopping");
  CHECK(json::annotation(*api.only("Shard"), naming::kRestoreHoldAnnotation) == "back");
  reconcile_ok(shard, shard_key(api));
  CHECK(pool_replicas(api) == 0);  // held

  // No pool pod in memory: the Job is made.
  reconcile_ok(restore, "demo/back");
  CHECK(phase(api) == "Pruning");
  const auto job = api.only("Job");
  CHECK(json::string_at(*job, "spec.template.spec.restartPolicy") == "Never");
  api.create(R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"namespace":"demo","name":"data-0",
    "labels":)" +
             json::to_json(*json::at_path(*api.only("StatefulSet"), "spec.template.metadata.labels")) + R"(}})");
  api.set_status("Job", "demo", json::string_at(*job, "metadata.name"),
                 R"({"conditions":[{"type":"Complete","status":"True"}]})");
  reconcile_ok(restore, "demo/back");
  CHECK(api.get("PersistentVolumeClaim", "demo", "data-0") == nullptr);  // the backup claim has other labels
  CHECK(api.all("PersistentVolumeClaim").size() == 1);
  reconcile_ok(restore, "demo/back");
  CHECK(phase(api) == "Starting");
  CHECK(json::annotation(*api.only("Shard"), naming::kRestoreHoldAnnotation).empty());
  CHECK(api.all("Job").empty());  // done with
  reconcile_ok(shard, shard_key(api));
  CHECK(pool_replicas(api) == 2);

  api.set_status("Shard", "demo", shard_name,
                 R"({"replicas":2,"readyReplicas":2,"podRoles":{"p-0":{"role":"PRIMARY"},"p-1":{"role":"REPLICA"}}})");
  reconcile_ok(restore, "demo/back");
  CHECK(json::string_at(*api.only("MultigresRestore"), "status.phase") == "Completed");
  CHECK(api.events.back().reason == "RestoreCompleted");
}
