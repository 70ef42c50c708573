// tests/unit/naming/names_test.cpp: names are readable, hashed, within their kind's limit, and never
// collide between clusters of one namespace.
#include <catch2/catch.hpp>
#include <set>

#include "common/api/component_types.hpp"
#include "common/naming/labels.hpp"
#include "common/naming/names.hpp"

using namespace mg::naming;

TEST_CASE("the hash is FNV-1a 32 over each part and a NUL", "[naming]") {
  CHECK(hash_parts({"hello", "world"}) == "344ce285");
  CHECK(join_hashed({"hello", "world"}, kMaxObjectName) == "hello-world-344ce285");
}

TEST_CASE("names are sanitised, start with a letter and keep the hash when cut", "[naming]") {
  struct Row {
    std::vector<std::string> parts;
    size_t limit;
  };
  std::string long_part(80, 'a');
  const Row rows[] = {
      {{"My_Cluster", "Zone.A"}, kMaxDnsLabel},
      {{"0cluster", "x"}, kMaxDnsLabel},
      {{long_part, "production_db", "orders_tg", "0-inf", "pool", "primary"}, kMaxStatefulSet},
      {{long_part, long_part, long_part, long_part}, kMaxObjectName},
      {{"a--b", "--c"}, kMaxDnsLabel},
  };
  for (const auto& row : rows) {
    std::string name = join_hashed(row.parts, row.limit);
    INFO(name);
    CHECK(name.size() <= row.limit);
    CHECK(name.front() >= 'a');
    CHECK(name.front() <= 'z');
    CHECK(name.find("--") == (name.size() > row.limit - 1 ? name.find("---") : name.find("---")));
    CHECK(name.substr(name.size() - 8) == hash_parts(row.parts));
    for (char c : name) CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'));
  }
}

TEST_CASE("two clusters in one namespace never share a name", "[naming]") {
  // "a-b" + cell "c" and "a" + cell "b-c" read the same but hash differently.
  CHECK(cell("a-b", "c") != cell("a", "b-c"));
  std::set<std::string> seen;
  for (const std::string cluster : {"one", "two", "one-two"}) {
    for (const auto& n : {global_topo_server(cluster), multiadmin(cluster), password_secret(cluster),
                          multigateway(cluster, "zone-a"), shard(cluster, "postgres", "default", "0-inf"),
                          pool_stateful_set({cluster, "postgres", "default", "0-inf"}, "main")}) {
      CHECK(seen.insert(n).second);
    }
  }
}

TEST_CASE("long names stay within each kind's limit", "[naming]") {
  std::string c(70, 'c');
  ShardKey key{c, std::string(63, 'd'), std::string(63, 't'), std::string(63, 's')};
  CHECK(global_topo_server(c).size() <= kMaxStatefulSet);
  CHECK(etcd_client_service(global_topo_server(c)).size() <= kMaxDnsLabel);
  CHECK(etcd_peer_service(local_topo_server(c, std::string(63, 'z'))).size() <= kMaxDnsLabel);
  CHECK(pool_stateful_set(key, "primary").size() <= kMaxStatefulSet);
  CHECK(pool_headless_service(key, "primary").size() <= kMaxDnsLabel);
  CHECK(multiorch(key, "zone").size() <= kMaxDnsLabel);
  CHECK(backup_pvc(key).size() <= kMaxDnsLabel);
  CHECK(shard(c, key.database, key.tablegroup, key.shard).size() <= kMaxObjectName);
}

TEST_CASE("label values are kept when valid and hashed when not", "[naming]") {
  CHECK(label_value("production_db") == "production_db");
  CHECK(label_value("0-inf") == "0-inf");
  std::string bad = label_value("has space/and-slash");
  CHECK(bad.size() <= kMaxDnsLabel);
  CHECK(bad.find(' ') == std::string::npos);
  CHECK(label_value(std::string(70, 'x')).size() <= kMaxDnsLabel);
}

TEST_CASE("selectors use only identity labels", "[naming]") {
  auto sel = selector({.cluster = "c", .component = kComponentPool, .database = "d", .pool = "p"});
  CHECK(sel.count(kLabelManagedBy) == 0);
  CHECK(sel.count(kLabelPartOf) == 0);
  CHECK(sel.at(kLabelPool) == "p");
  auto all = labels({.cluster = "c", .component = kComponentPool});
  CHECK(all.at(kLabelManagedBy) == kManagerName);
}

// Upstream's rule (multigres v0.1.0, go/services/multipooler/manager/pg_replication.go): multipooler
// refuses to start when `<cell>_<service-id>` is longer than 63 bytes or either part holds '_'.
TEST_CASE("pooler service ids fit upstream's application_name for every cell name the API allows", "[naming]") {
  const std::string longest_cell(mg::api::kMaxCellName, 'c');
  const std::string sts = pool_stateful_set({"cluster", "db", "tg", "0-inf"}, "default");
  for (int ordinal : {0, 9, 31}) {
    const std::string id = pooler_service_id("ns", sts, std::to_string(ordinal));
    INFO(id);
    CHECK(id.size() <= mg::api::kMaxPoolerServiceId);
    CHECK((longest_cell + "_" + id).size() <= 63);
    CHECK(id.find('_') == std::string::npos);
  }
  CHECK(mg::api::kMaxCellName == 51);
}

TEST_CASE("pooler service ids are stable per ordinal, distinct per pool, and map back to their pod", "[naming]") {
  const std::string a = pool_stateful_set({"c", "db", "tg", "0-inf"}, "primary");
  const std::string b = pool_stateful_set({"c", "db", "tg", "0-inf"}, "replica");
  CHECK(pooler_service_id("ns", a, "0") == pooler_service_id("ns", a, "0"));
  CHECK(pooler_service_id("ns", a, "0") != pooler_service_id("ns", b, "0"));
  CHECK(pooler_service_id("ns", a, "0") != pooler_service_id("other", a, "0"));
  CHECK(pool_pod_of_service_id("ns", {a, b}, pooler_service_id("ns", b, "3")) == b + "-3");
  CHECK(pool_pod_of_service_id("ns", {a, b}, pooler_service_id("other", b, "3")).empty());
  for (const char* foreign : {"", "zone1-pod-0", "0123abcd-", "0123abcd-x", "0123abcd-123"}) {
    CHECK(pool_pod_of_service_id("ns", {a, b}, foreign).empty());
  }
}
