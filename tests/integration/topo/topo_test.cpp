// tests/integration/topo/topo_test.cpp: common/topo against a real etcd (run.sh starts it, and
// multiadmin on it): the keys and bytes of the records (compared with what `multigres
// createclustermetadata` wrote under /upstream/global), a second pass writes nothing, updates touch
// only what differs, removed cells and databases go, records of others stay, a cell stays while a
// database lists it, the real multiadmin reads what was registered, poolers are read and pruned.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "common/api/multigres_cluster.hpp"
#include "common/kube/http.hpp"
#include "common/topo/registry.hpp"
#include "common/util/json.hpp"
#include "tests/unit/topo/resolved_yaml.hpp"

using namespace mg;

namespace {

const char* kRoot = "/multigres/global";  // multiadmin's --topo-global-root (run.sh)
const char* kOwner = "topo-test/cluster";

std::string env(const char* name) {
  const char* v = std::getenv(name);
  INFO(name << " is set by tests/integration/topo/run.sh");
  REQUIRE(v != nullptr);
  return v;
}

topo::EtcdClient& etcd() {
  static topo::EtcdClient client(topo::EtcdOptions{.endpoints = {env("MG_ETCD_ENDPOINT")}});
  return client;
}

//! A cluster on the test etcd: `cells` zones, database postgres with `policy`.
resolve::ResolvedCluster cluster(const std::vector<std::string>& cells, const std::string& policy = "AT_LEAST_2",
                                 const std::string& root = kRoot) {
  std::string yaml =
      "apiVersion: multigres.com/v1alpha1\nkind: MultigresCluster\nmetadata: {name: cluster, namespace: topo-test}\n"
      "spec:\n  globalTopoServer:\n    rootPath: " +
      root + "\n    external:\n      endpoints: [\"" + "http://" + env("MG_ETCD_ENDPOINT") + "\"]\n  cells:\n";
  for (const auto& c : cells) yaml += "    - zone: " + c + "\n";
  // One pool per cell (the resolver wants a pool's cell named when there are several).
  std::string pools;
  for (size_t i = 0; i < cells.size(); ++i) {
    pools +=
        (i == 0 ? "default" : "pool-" + cells[i]) + ": {cell: " + cells[i] + "}" + (i + 1 < cells.size() ? ", " : "");
  }
  yaml += "  backup: {filesystem: {path: /backups}}\n  databases:\n    - name: postgres\n      durabilityPolicy: " +
          policy + "\n      tablegroups: [{name: default, shards: [{name: 0-inf, overrides: {pools: {" + pools +
          "}}}]}]\n";
  return testing::resolved_yaml(yaml);
}

topo::SyncReport sync(const resolve::ResolvedCluster& c, const std::string& owner = kOwner) {
  auto report = topo::sync_records(etcd(), owner, topo::desired_registration(c).records);
  INFO((report.ok() ? "" : report.error().message));
  REQUIRE(report.ok());
  return *report;
}

std::optional<topo::KeyValue> get(const std::string& key) {
  auto kv = etcd().get(key);
  REQUIRE(kv.ok());
  return *kv;
}

void put(const std::string& key, const std::string& value) {
  auto done = etcd().transact({}, {{key, value}});
  REQUIRE(done.ok());
  REQUIRE(*done);
}

//! Removes every key under `prefix` (test isolation).
void wipe(const std::string& prefix) {
  auto kvs = etcd().list(prefix);
  REQUIRE(kvs.ok());
  for (const auto& kv : *kvs) REQUIRE(etcd().transact({}, {{kv.key, std::nullopt}}).ok());
}

void fresh() {
  wipe(std::string(kRoot) + "/");
  wipe(std::string(topo::kOwnersPrefix) + "/");
}

template <class M>
M decode(const std::string& key) {
  auto kv = get(key);
  INFO(key);
  REQUIRE(kv);
  M m;
  REQUIRE(m.ParseFromString(kv->value));
  return m;
}

json::Document admin_get(const std::string& path) {
  kube::HttpTransport http(kube::TransportOptions{});
  kube::HttpRequest req;
  req.url = env("MG_MULTIADMIN_URL") + path;
  req.timeout = std::chrono::seconds(10);
  auto reply = http.perform(req);
  INFO(path << ": " << reply.failure_message << " " << reply.body);
  REQUIRE(reply.failure == kube::AttemptFailure::None);
  REQUIRE(reply.status == 200);
  auto doc = json::parse_json(reply.body, path);
  REQUIRE(doc.ok());
  return std::move(*doc);
}

}  // namespace

TEST_CASE("the records have Multigres' keys and the bytes multigres createclustermetadata writes") {
  fresh();
  const std::string endpoint = "http://" + env("MG_ETCD_ENDPOINT");
  auto report = sync(cluster({"zone1", "zone2"}));
  CHECK(report.created == 3);
  CHECK(report.foreign.empty());

  auto zone1 = decode<clustermetadata::Cell>(std::string(kRoot) + "/cells/zone1/Cell");
  CHECK(zone1.name() == "zone1");
  REQUIRE(zone1.server_addresses_size() == 1);
  CHECK(zone1.server_addresses(0) == endpoint);
  CHECK(zone1.root() == std::string(kRoot) + "/zone1");
  auto db = decode<clustermetadata::Database>(std::string(kRoot) + "/databases/postgres/Database");
  CHECK(db.name() == "postgres");
  CHECK(std::vector<std::string>(db.cells().begin(), db.cells().end()) == std::vector<std::string>{"zone1", "zone2"});
  CHECK(db.bootstrap_durability_policy().policy_name() == "AT_LEAST_2");
  CHECK(db.bootstrap_durability_policy().quorum_type() == clustermetadata::QUORUM_TYPE_AT_LEAST_N);
  CHECK(db.bootstrap_durability_policy().required_count() == 2);
  CHECK(db.backup_location().filesystem().path() == "/backups");
  // Ownership markers were written with the records.
  CHECK(get(topo::owner_key(std::string(kRoot) + "/cells/zone1/Cell"))->value == kOwner);

  // The same input as run.sh gave createclustermetadata: byte for byte what Multigres writes.
  // createclustermetadata takes host:port (as the operator's own etcd is addressed), not a URL.
  auto same = cluster({"zone1"}, "AT_LEAST_2", "/upstream/global");
  same.cells[0].spec.globalTopoServer.addresses = {env("MG_ETCD_ENDPOINT")};
  auto upstream = topo::desired_registration(same);
  REQUIRE(upstream.records.size() == 2);
  for (const auto& r : upstream.records) {
    auto written = get(r.key);
    INFO(r.key);
    REQUIRE(written);
    CHECK(written->value == r.bytes);
  }
}

TEST_CASE("a second pass writes nothing; a change rewrites only the record that differs") {
  fresh();
  sync(cluster({"zone1", "zone2"}));
  auto before = etcd().revision();
  REQUIRE(before.ok());
  auto again = sync(cluster({"zone1", "zone2"}));
  CHECK(again.writes() == 0);
  auto after = etcd().revision();
  REQUIRE(after.ok());
  CHECK(*after == *before);

  const auto cell_revision = get(std::string(kRoot) + "/cells/zone1/Cell")->mod_revision;
  auto changed = sync(cluster({"zone1", "zone2"}, "MULTI_CELL_AT_LEAST_2"));
  CHECK(changed.updated == 1);
  CHECK(changed.created == 0);
  CHECK(get(std::string(kRoot) + "/cells/zone1/Cell")->mod_revision == cell_revision);
  auto db = decode<clustermetadata::Database>(std::string(kRoot) + "/databases/postgres/Database");
  CHECK(db.bootstrap_durability_policy().policy_name() == "MULTI_CELL_AT_LEAST_2");
  CHECK(db.bootstrap_durability_policy().quorum_type() == clustermetadata::QUORUM_TYPE_MULTI_CELL_AT_LEAST_N);

  // registerCell off: the cell's record goes, the database still lists the cell.
  auto c = cluster({"zone1", "zone2"}, "MULTI_CELL_AT_LEAST_2");
  c.cells[1].spec.topologyReconciliation.registerCell = false;
  auto off = sync(c);
  CHECK(off.deleted == 0);  // the database lists zone2: the cell record is kept and reported
  REQUIRE(off.blocked.size() == 1);
  CHECK(off.blocked[0].find("zone2") != std::string::npos);
}

TEST_CASE("a removed cell disappears, after the database stops listing it; deletion removes everything") {
  fresh();
  sync(cluster({"zone1", "zone2"}));
  auto removed = sync(cluster({"zone1"}));
  CHECK(removed.updated == 1);  // the database, first
  CHECK(removed.deleted == 1);  // then the cell
  CHECK_FALSE(get(std::string(kRoot) + "/cells/zone2/Cell"));
  CHECK_FALSE(get(topo::owner_key(std::string(kRoot) + "/cells/zone2/Cell")));
  auto db = decode<clustermetadata::Database>(std::string(kRoot) + "/databases/postgres/Database");
  CHECK(std::vector<std::string>(db.cells().begin(), db.cells().end()) == std::vector<std::string>{"zone1"});

  // A database someone else registered lists zone1: the cell stays until it does not.
  clustermetadata::Database other;
  other.set_name("other");
  other.add_cells("zone1");
  put(std::string(kRoot) + "/databases/other/Database", other.SerializeAsString());
  auto gone = topo::sync_records(etcd(), kOwner, {});
  REQUIRE(gone.ok());
  CHECK(gone->deleted == 1);  // database postgres
  REQUIRE(gone->blocked.size() == 1);
  CHECK(gone->blocked[0].find("other") != std::string::npos);
  CHECK(get(std::string(kRoot) + "/cells/zone1/Cell"));
  CHECK(get(std::string(kRoot) + "/databases/other/Database"));  // never ours to remove

  REQUIRE(etcd().transact({}, {{std::string(kRoot) + "/databases/other/Database", std::nullopt}}).ok());
  auto last = topo::sync_records(etcd(), kOwner, {});
  REQUIRE(last.ok());
  CHECK(last->deleted == 1);
  auto left = etcd().list(std::string(kRoot) + "/");
  REQUIRE(left.ok());
  CHECK(left->empty());
  auto markers = etcd().list(std::string(topo::kOwnersPrefix) + "/");
  REQUIRE(markers.ok());
  CHECK(markers->empty());
}

TEST_CASE("records written by someone else stay as they are") {
  fresh();
  clustermetadata::Cell theirs;
  theirs.set_name("zone3");
  theirs.add_server_addresses("elsewhere:2379");
  theirs.set_root("/theirs");
  const std::string key = std::string(kRoot) + "/cells/zone3/Cell";
  put(key, theirs.SerializeAsString());
  const auto revision = get(key)->mod_revision;

  auto report = sync(cluster({"zone1", "zone3"}));
  REQUIRE(report.foreign == std::vector<std::string>{key});
  CHECK(get(key)->mod_revision == revision);
  auto dropped = sync(cluster({"zone1"}));
  CHECK(dropped.foreign.empty());
  CHECK(get(key)->mod_revision == revision);  // not ours: not deleted with the cell

  // Another cluster sharing the etcd and root does not take over this cluster's records either.
  auto other = sync(cluster({"zone1"}), "topo-test/other");
  CHECK(other.writes() == 0);
  CHECK(other.foreign.size() == 2);
  auto cleanup = topo::sync_records(etcd(), "topo-test/other", {});
  REQUIRE(cleanup.ok());
  CHECK(cleanup->deleted == 0);
  CHECK(get(std::string(kRoot) + "/cells/zone1/Cell"));
}

TEST_CASE("the real multiadmin lists the cells and the database that were registered") {
  fresh();
  sync(cluster({"zone1", "zone2"}, "MULTI_CELL_AT_LEAST_2"));
  auto cells = admin_get("/api/v1/cells");
  INFO(json::to_json(cells));
  const json::Value* names = json::find(cells, "names");
  REQUIRE(names != nullptr);
  REQUIRE(names->IsArray());
  std::vector<std::string> listed;
  for (const auto& n : names->GetArray()) listed.emplace_back(n.GetString());
  std::sort(listed.begin(), listed.end());
  CHECK(listed == std::vector<std::string>{"zone1", "zone2"});

  auto cell = admin_get("/api/v1/cells/zone1");
  INFO(json::to_json(cell));
  CHECK(json::get_string(*json::find(cell, "cell"), "root") == std::string(kRoot) + "/zone1");

  auto db = admin_get("/api/v1/databases/postgres");
  INFO(json::to_json(db));
  const json::Value* database = json::find(db, "database");
  REQUIRE(database != nullptr);
  CHECK(json::get_string(*database, "name") == "postgres");
  const json::Value* policy = json::find(*database, "bootstrap_durability_policy");
  REQUIRE(policy != nullptr);
  CHECK(json::get_string(*policy, "policy_name") == "MULTI_CELL_AT_LEAST_2");
  CHECK(json::get_string(*policy, "quorum_type") == "QUORUM_TYPE_MULTI_CELL_AT_LEAST_N");
  CHECK(json::get_string(*json::at_path(*database, "backup_location.filesystem"), "path") == "/backups");
}

TEST_CASE("pooler records are read for their shard and removed only at the revision read") {
  fresh();
  sync(cluster({"zone1"}));
  auto cell = topo::read_cell(etcd(), kRoot, "zone1");
  REQUIRE(cell.ok());
  REQUIRE(*cell);
  auto pooler = [&](const std::string& name, clustermetadata::PoolerType type, const std::string& shard) {
    clustermetadata::MultiPooler p;
    p.mutable_id()->set_component(clustermetadata::ID::MULTIPOOLER);
    p.mutable_id()->set_cell("zone1");
    p.mutable_id()->set_name(name);
    p.mutable_shard_key()->set_database("postgres");
    p.mutable_shard_key()->set_table_group("default");
    p.mutable_shard_key()->set_shard(shard);
    p.set_type(type);
    p.set_hostname(name + ".pool");
    (*p.mutable_port_map())["grpc"] = 15270;
    put(topo::poolers_prefix((*cell)->root()) + "multipooler-zone1-" + name + "/Pooler", p.SerializeAsString());
  };
  pooler("pod-0", clustermetadata::PRIMARY, "0-inf");
  pooler("pod-1", clustermetadata::REPLICA, "0-inf");
  pooler("pod-x", clustermetadata::REPLICA, "other");

  auto found = topo::read_poolers(etcd(), (*cell)->root(), "postgres", "default", "0-inf");
  REQUIRE(found.ok());
  REQUIRE(found->size() == 2);
  CHECK((*found)[0].pooler.id().name() == "pod-0");
  CHECK(topo::role_name((*found)[0].pooler.type()) == "PRIMARY");
  CHECK(topo::role_name((*found)[1].pooler.type()) == "REPLICA");
  CHECK(topo::serving_name((*found)[1].pooler.serving_status()) == "SERVING");

  // multiadmin decodes the pooler records too (same wire format as the multipoolers write).
  auto poolers = admin_get("/api/v1/poolers?cells=zone1");
  INFO(json::to_json(poolers));
  CHECK(json::to_json(poolers).find("pod-0.pool") != std::string::npos);

  // Changed since read: not removed. At the revision read: removed.
  auto stale = (*found)[1];
  pooler("pod-1", clustermetadata::PRIMARY, "0-inf");
  auto refused = topo::remove_pooler(etcd(), stale);
  REQUIRE(refused.ok());
  CHECK_FALSE(*refused);
  auto fresh_read = topo::read_poolers(etcd(), (*cell)->root(), "postgres", "default", "0-inf");
  REQUIRE(fresh_read.ok());
  auto removed = topo::remove_pooler(etcd(), (*fresh_read)[1]);
  REQUIRE(removed.ok());
  CHECK(*removed);
  CHECK_FALSE(get((*fresh_read)[1].key));
}

TEST_CASE("an unreachable etcd is a transient error within the request timeout") {
  topo::EtcdClient dead(topo::EtcdOptions{.endpoints = {"127.0.0.1:1"}, .timeout = std::chrono::milliseconds(1500)});
  const auto t0 = std::chrono::steady_clock::now();
  auto kv = dead.get("/x");
  const auto took = std::chrono::steady_clock::now() - t0;
  REQUIRE_FALSE(kv.ok());
  CHECK(kv.error().code == ErrorCode::Transient);
  CHECK(kv.error().message.find("unreachable") != std::string::npos);
  CHECK(took < std::chrono::seconds(3));
  // The same failure reads the same (it lands in a status condition: no rewrite on every retry).
  auto again = dead.get("/x");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().message == kv.error().message);
}

TEST_CASE("TLS: the CA verifies etcd, the client certificate authenticates the operator") {
  const std::string dir = env("MG_TLS_DIR");
  auto read = [&](const std::string& name) {
    std::ifstream in(dir + "/" + name);
    REQUIRE(in);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  const std::string endpoint = env("MG_TLS_ETCD_ENDPOINT");
  topo::EtcdClient tls(topo::EtcdOptions{.endpoints = {endpoint},
                                         .ca_pem = read("ca.crt"),
                                         .cert_pem = read("client.crt"),
                                         .key_pem = read("client.key")});
  auto report = topo::sync_records(tls, kOwner, topo::desired_registration(cluster({"zone1"})).records);
  INFO((report.ok() ? "" : report.error().message));
  REQUIRE(report.ok());
  CHECK(report->created == 2);
  auto kv = tls.get(std::string(kRoot) + "/cells/zone1/Cell");
  REQUIRE(kv.ok());
  CHECK(kv->has_value());

  // host:port with a CA means https too.
  topo::EtcdClient bare(topo::EtcdOptions{.endpoints = {endpoint.substr(std::string("https://").size())},
                                          .ca_pem = read("ca.crt"),
                                          .cert_pem = read("client.crt"),
                                          .key_pem = read("client.key")});
  CHECK(bare.get(std::string(kRoot) + "/cells/zone1/Cell").ok());
  // Without the client certificate etcd refuses the handshake; without the CA the server is not trusted.
  topo::EtcdClient anonymous(topo::EtcdOptions{.endpoints = {endpoint}, .ca_pem = read("ca.crt")});
  CHECK_FALSE(anonymous.get("/x").ok());
  topo::EtcdClient untrusted(
      topo::EtcdOptions{.endpoints = {endpoint}, .cert_pem = read("client.crt"), .key_pem = read("client.key")});
  CHECK_FALSE(untrusted.get("/x").ok());
}
