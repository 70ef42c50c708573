// tests/unit/controllers/cluster_controller_test.cpp: the MultigresCluster controller against the
// in-memory boundary and etcd (memory_boundary.hpp): children, pruning, Reconciled and refusals, the
// finalizer, and the topology's outcomes.
#include <algorithm>
#include <catch2/catch.hpp>

#include "operator/controllers/controllers.hpp"
#include "operator/runtime/boundary.hpp"
#include "tests/unit/controllers/memory_boundary.hpp"

using mg::controllers::kClusterFinalizer;
using mg::test::condition;
using mg::test::MemoryBoundary;
using mg::test::reconcile_ok;

namespace {

const std::string kTwoCells =
    mg::test::shop_cluster({"us-east-1a", "us-east-1b"}, {{"a", "us-east-1a"}, {"b", "us-east-1b"}});
const std::string kOneCell = mg::test::shop_cluster({"us-east-1a"}, {{"a", "us-east-1a"}});

const mg::json::Value& cluster(const MemoryBoundary& api) {
  return *api.get("MultigresCluster", "demo", "shop");
}

//! demo/shop (two cells) stored, and its controller.
struct Shop {
  MemoryBoundary api;
  mg::runtime::Reconciler reconcile = mg::controllers::multigres_cluster_reconciler(api.ctx);
  Shop() { api.create(kTwoCells); }
  //! One pass of the controller, which must succeed.
  mg::runtime::ReconcileResult pass() { return reconcile_ok(reconcile, "demo/shop"); }
};

bool has_event(const MemoryBoundary& api, const std::string& type, const std::string& reason) {
  return std::any_of(api.events.begin(), api.events.end(),
                     [&](const auto& e) { return e.type == type && e.reason == reason; });
}

bool wrote(const std::vector<std::string>& writes, const std::string& prefix) {
  return std::any_of(writes.begin(), writes.end(), [&](const std::string& w) { return w.starts_with(prefix); });
}

}  // namespace

TEST_CASE_METHOD(Shop, "cluster controller: a new cluster gets its finalizer, its children and Reconciled=True",
                 "[controllers]") {
  pass();

  CHECK(mg::runtime::has_finalizer(cluster(api), kClusterFinalizer));
  CHECK(api.all("TopoServer").size() == 1);
  CHECK(api.all("Cell").size() == 2);
  CHECK(api.all("TableGroup").size() == 1);
  CHECK(condition(cluster(api), "Reconciled") == "True Applied");
  CHECK(has_event(api, "Normal", "Created"));
  // Every child is controlled by the cluster, so the garbage collector takes it with the cluster.
  const std::string uid = mg::json::string_at(cluster(api), "metadata.uid");
  CHECK(api.store("Cell").owned_by(uid).size() == 2);
}

TEST_CASE_METHOD(Shop, "cluster controller: a second pass over an unchanged cluster writes nothing", "[controllers]") {
  pass();
  const size_t mark = api.writes.size();
  const auto etcd_revision = api.etcd.current_revision;
  pass();
  CHECK(api.writes_since(mark).empty());
  CHECK(api.etcd.current_revision == etcd_revision);
}

TEST_CASE_METHOD(Shop, "cluster controller: a cell removed from the spec is pruned with a Deleted event",
                 "[controllers]") {
  pass();
  REQUIRE(api.all("Cell").size() == 2);

  api.update_spec(kOneCell);
  const size_t mark = api.writes.size();
  pass();
  const auto writes = api.writes_since(mark);
  CHECK(wrote(writes, "delete Cell demo/shop-us-east-1b"));
  CHECK_FALSE(wrote(writes, "delete Cell demo/shop-us-east-1a"));
  REQUIRE(api.all("Cell").size() == 1);
  CHECK(mg::json::string_at(*api.only("Cell"), "spec.name") == "us-east-1a");
  CHECK(has_event(api, "Normal", "Deleted"));
}

TEST_CASE_METHOD(
    Shop, "cluster controller: a child the API server refuses sets Reconciled=False with its reason, then recovers",
    "[controllers]") {
  api.fail_next("Cell", mg::make_invalid("admission webhook \"cells.example.com\" denied the request: no zone b"));
  auto refused = reconcile("demo/shop");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().terminal);
  CHECK(condition(cluster(api), "Reconciled") == "False ApplyFailed");
  CHECK(mg::json::to_json(cluster(api)).find("denied the request: no zone b") != std::string::npos);
  CHECK(has_event(api, "Warning", "ApplyFailed"));
  // The other children were still applied: one bad child does not starve the rest.
  CHECK(api.all("Cell").size() == 1);
  CHECK(api.all("TopoServer").size() == 1);

  pass();
  CHECK(condition(cluster(api), "Reconciled") == "True Applied");
  CHECK(api.all("Cell").size() == 2);
}

TEST_CASE_METHOD(Shop, "cluster controller: a transient failure keeps the previous Reconciled condition",
                 "[controllers]") {
  pass();
  REQUIRE(condition(cluster(api), "Reconciled") == "True Applied");

  api.update_spec(kOneCell);
  api.fail_next("Cell", mg::make_error(mg::ErrorCode::Transient, "connection reset by peer"));
  auto failed = reconcile("demo/shop");
  REQUIRE_FALSE(failed.ok());
  CHECK_FALSE(failed.error().terminal);
  CHECK(condition(cluster(api), "Reconciled") == "True Applied");
}

TEST_CASE_METHOD(Shop, "cluster controller: a spec that does not resolve touches no child and says why",
                 "[controllers]") {
  pass();
  const size_t mark = api.writes.size();
  // A pool in a cell the cluster does not have.
  const std::string broken = mg::test::shop_cluster({"us-east-1a"}, {{"a", "us-west-9z"}});
  api.update_spec(broken);
  (void)reconcile("demo/shop");  // refused: the spec does not resolve
  for (const auto& w : api.writes_since(mark)) CHECK(w.starts_with("status MultigresCluster"));
  CHECK(api.all("Cell").size() == 2);
  CHECK(condition(cluster(api), "TemplatesResolved").starts_with("False"));
}

TEST_CASE_METHOD(Shop, "cluster controller: deletion removes the topology records, then releases the finalizer",
                 "[controllers]") {
  pass();
  REQUIRE_FALSE(api.etcd.keys.empty());

  REQUIRE(api.remove(cluster(api)).ok());
  REQUIRE(api.get("MultigresCluster", "demo", "shop"));  // held by the finalizer
  pass();
  CHECK(api.etcd.keys.empty());
  CHECK_FALSE(api.get("MultigresCluster", "demo", "shop"));
}

TEST_CASE_METHOD(Shop, "cluster controller: deletion waits while the topology cannot be read", "[controllers]") {
  pass();
  REQUIRE(api.remove(cluster(api)).ok());
  api.etcd.reachable = false;
  auto again = pass();
  CHECK(again.requeue_after.has_value());
  REQUIRE(api.get("MultigresCluster", "demo", "shop"));
  CHECK(mg::runtime::has_finalizer(cluster(api), kClusterFinalizer));
}

TEST_CASE_METHOD(Shop, "cluster controller: topology outcomes in TopologyRegistered", "[controllers]") {
  SECTION("registered: the records are written once, owned by the cluster") {
    pass();
    CHECK(condition(cluster(api), "TopologyRegistered") == "True Registered");
    CHECK(api.etcd.keys.count("/multigres-operator/owners/multigres/global/cells/us-east-1a/Cell") == 1);
    CHECK(api.etcd.keys.at("/multigres-operator/owners/multigres/global/cells/us-east-1a/Cell").value == "demo/shop");
  }
  SECTION("an etcd not reached yet is still starting: WaitingForEtcd, no event, back in 2 s") {
    api.etcd.reachable = false;
    auto again = pass();
    CHECK(condition(cluster(api), "TopologyRegistered") == "False WaitingForEtcd");
    CHECK_FALSE(has_event(api, "Warning", "WaitingForEtcd"));
    REQUIRE(again.requeue_after.has_value());
    CHECK(*again.requeue_after == std::chrono::seconds(2));
    // Reached later: registered, and a Normal event says so.
    api.etcd.reachable = true;
    api.now += std::chrono::seconds(30);
    pass();
    CHECK(condition(cluster(api), "TopologyRegistered") == "True Registered");
  }
  SECTION("a record someone else wrote is left alone: RecordNotOwned names it, with a Warning") {
    api.etcd.keys["/multigres/global/cells/us-east-1a/Cell"] = {
        .key = "/multigres/global/cells/us-east-1a/Cell", .value = "theirs", .mod_revision = 1, .version = 1};
    pass();
    CHECK(condition(cluster(api), "TopologyRegistered") == "False RecordNotOwned");
    CHECK(api.etcd.keys.at("/multigres/global/cells/us-east-1a/Cell").value == "theirs");
    CHECK(has_event(api, "Warning", "RecordNotOwned"));
  }
  SECTION("etcd lost after it was reached: EtcdUnreachable with a Warning, the backoff grows with time") {
    pass();
    api.etcd.reachable = false;
    api.update_spec(kOneCell);
    pass();
    CHECK(condition(cluster(api), "TopologyRegistered") == "False EtcdUnreachable");
    CHECK(has_event(api, "Warning", "EtcdUnreachable"));
    api.now += std::chrono::seconds(40);
    auto again = pass();
    REQUIRE(again.requeue_after.has_value());
    CHECK(*again.requeue_after == std::chrono::seconds(40));
  }
}

TEST_CASE_METHOD(Shop, "cluster controller: a refusal below a TableGroup is found through its owner, not its labels",
                 "[controllers]") {
  pass();
  const std::string table_group_uid = mg::json::string_at(*api.only("TableGroup"), "metadata.uid");
  auto shard = [&](const std::string& name, const std::string& owner_uid) {
    return "apiVersion: multigres.com/v1alpha1\nkind: Shard\nmetadata:\n  name: " + name +
           "\n  namespace: demo\n  labels: {multigres.com/cluster: shop}\n"
           "  ownerReferences: [{apiVersion: multigres.com/v1alpha1, kind: TableGroup, name: tg, uid: " +
           owner_uid +
           ", controller: true}]\n"
           "status:\n  conditions: [{type: Reconciled, status: 'False', reason: ApplyFailed, message: " +
           name + " refused}]\n";
  };
  api.create(shard("ours", table_group_uid));
  api.create(shard("another-clusters", "uid-of-another-table-group"));
  pass();
  CHECK(condition(cluster(api), "Degraded") == "True ApplyFailed");
  const mg::json::Value* degraded = mg::json::status_condition(cluster(api), "Degraded");
  REQUIRE(degraded != nullptr);
  const std::string message = mg::json::get_string(*degraded, "message");
  CHECK(message.find("Shard demo/ours: ours refused") != std::string::npos);
  CHECK(message.find("another-clusters") == std::string::npos);
}
