// tests/unit/topo/records_test.cpp: the records a cluster wants (pure): keys, Cell records for the
// three kinds of cell topology, the Database record (cells, durability policy, backup), registerCell.
#include "common/topo/records.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/topo/resolved_yaml.hpp"

using namespace mg;

namespace {

resolve::ResolvedCluster resolved(const std::string& spec) {
  return testing::resolved_yaml(
      "apiVersion: multigres.com/v1alpha1\nkind: MultigresCluster\nmetadata: {name: c, namespace: ns}\nspec:\n" + spec);
}

template <class M>
M parsed(const topo::DesiredRecord& r) {
  M m;
  REQUIRE(m.ParseFromString(r.bytes));
  return m;
}

}  // namespace

TEST_CASE("keys follow Multigres' layout under the root, whatever its slashes") {
  CHECK(topo::cell_key("/multigres/global", "z1") == "/multigres/global/cells/z1/Cell");
  CHECK(topo::cell_key("/multigres/global/", "z1") == "/multigres/global/cells/z1/Cell");
  CHECK(topo::database_key("/r", "postgres") == "/r/databases/postgres/Database");
  CHECK(topo::poolers_prefix("/multigres/z1") == "/multigres/z1/poolers/");
  CHECK(topo::join_key("/", "cells") == "/cells");
}

TEST_CASE("a managed global etcd: cells on the global etcd under <root>/<cell>, one database record") {
  auto rc = resolved(R"(  cells: [{zone: z1}, {zone: z2}]
  databases:
    - name: postgres
      durabilityPolicy: MULTI_CELL_AT_LEAST_2
      tablegroups: [{name: default, shards: [{name: 0-inf, overrides: {pools: {default: {cell: z1}, other: {cell: z2}}}}]}]
)");
  auto reg = topo::desired_registration(rc);
  REQUIRE(reg.records.size() == 3);
  CHECK(reg.global.rootPath == "/multigres/global");
  CHECK(reg.records[0].key == "/multigres/global/cells/z1/Cell");
  auto z1 = parsed<clustermetadata::Cell>(reg.records[0]);
  CHECK(z1.name() == "z1");
  CHECK(z1.root() == "/multigres/global/z1");
  REQUIRE(z1.server_addresses_size() == 1);
  CHECK(z1.server_addresses(0) == reg.global.addresses.at(0));
  CHECK(z1.server_addresses(0).find(".ns.svc:2379") != std::string::npos);

  const auto& db = reg.records[2];
  CHECK(db.kind == topo::RecordKind::Database);
  CHECK(db.key == "/multigres/global/databases/postgres/Database");
  auto d = parsed<clustermetadata::Database>(db);
  CHECK(d.cells_size() == 2);
  CHECK(d.bootstrap_durability_policy().policy_name() == "MULTI_CELL_AT_LEAST_2");
  CHECK(d.bootstrap_durability_policy().required_count() == 2);
  CHECK(d.backup_location().has_filesystem());
  CHECK(d.backup_location().filesystem().path() == "/backups");
}

TEST_CASE("a cell with its own topology names it; s3 backups; registerCell off leaves the cell out") {
  auto rc = resolved(R"(  globalTopoServer:
    rootPath: /g
    external: {endpoints: ["https://etcd-0:2379", "https://etcd-1:2379"]}
  cells:
    - zone: z1
      spec: {localTopoServer: {rootPath: /local/z1, external: {endpoints: ["http://cell-etcd:2379"]}}}
    - zone: z2
      spec: {localTopoServer: {managedSpec: {replicas: 1}}}
    - zone: z3
  backup: {s3: {bucket: bkt, region: eu-west-1, endpoint: "https://s3.local", keyPrefix: p/, credentialsSecret: aws}}
  databases:
    - name: postgres
      tablegroups: [{name: default, shards: [{name: 0-inf, overrides: {pools: {default: {cell: z1}}}}]}]
)");
  rc.cells[2].spec.topologyReconciliation.registerCell = false;
  auto reg = topo::desired_registration(rc);
  REQUIRE(reg.records.size() == 3);
  auto z1 = parsed<clustermetadata::Cell>(reg.records[0]);
  CHECK(z1.root() == "/local/z1");
  CHECK(std::vector<std::string>(z1.server_addresses().begin(), z1.server_addresses().end()) ==
        std::vector<std::string>{"http://cell-etcd:2379"});
  auto z2 = parsed<clustermetadata::Cell>(reg.records[1]);
  CHECK(z2.root() == "/multigres/z2");
  REQUIRE(z2.server_addresses_size() == 1);
  CHECK(z2.server_addresses(0).ends_with(".ns.svc:2379"));
  CHECK(reg.records[2].kind == topo::RecordKind::Database);

  auto d = parsed<clustermetadata::Database>(reg.records[2]);
  CHECK(d.cells_size() == 3);  // the database still spans every cell of the cluster
  CHECK(d.bootstrap_durability_policy().policy_name() == "AT_LEAST_2");
  REQUIRE(d.backup_location().has_s3());
  CHECK(d.backup_location().s3().bucket() == "bkt");
  CHECK(d.backup_location().s3().region() == "eu-west-1");
  CHECK(d.backup_location().s3().endpoint() == "https://s3.local");
  CHECK(d.backup_location().s3().key_prefix() == "p/");
  CHECK(d.backup_location().s3().use_env_credentials());
}

TEST_CASE("roles and serving states carry the upstream enum names") {
  CHECK(topo::role_name(clustermetadata::PRIMARY) == "PRIMARY");
  CHECK(topo::role_name(clustermetadata::REPLICA) == "REPLICA");
  CHECK(topo::serving_name(clustermetadata::NOT_SERVING) == "NOT_SERVING");
}
