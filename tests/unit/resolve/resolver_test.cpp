// tests/unit/resolve/resolver_test.cpp: the resolver's layering (defaults -> `default` template or named
// template -> overrides, or defaults -> inline spec), atomic blocks, pools by key, topology servers,
// names, reported problems and determinism.
#include "common/resolve/resolver.hpp"

#include <catch2/catch.hpp>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "common/api/multigres_cluster.hpp"
#include "common/api/postgres_gucs.hpp"
#include "common/naming/names.hpp"
#include "common/resolve/defaults.hpp"

using namespace mg;

namespace {

struct Manifests {
  std::vector<api::MultigresCluster> clusters;
  resolve::Templates templates;
};

//! Decodes a YAML stream of clusters and templates (strictly; the input must be valid).
Manifests parse(const std::string& yaml) {
  auto docs = json::parse_documents(yaml, "test.yaml");
  INFO(yaml);
  REQUIRE(docs.ok());
  Manifests m;
  for (const auto& doc : *docs) {
    api::DecodeContext ctx;
    std::string kind = json::get_string(doc, "kind");
    if (kind == "MultigresCluster") {
      m.clusters.push_back(api::decode<api::MultigresCluster>(doc, ctx));
    } else if (kind == "CellTemplate") {
      auto t = api::decode<api::CellTemplate>(doc, ctx);
      m.templates.cell[t.metadata.name] = t;
    } else if (kind == "ShardTemplate") {
      auto t = api::decode<api::ShardTemplate>(doc, ctx);
      m.templates.shard[t.metadata.name] = t;
    } else {
      FAIL("unexpected kind " << kind);
    }
    INFO(api::format_errors(ctx.errors));
    REQUIRE(ctx.errors.empty());
  }
  REQUIRE_FALSE(m.clusters.empty());
  return m;
}

resolve::Resolution resolve_yaml(const std::string& yaml) {
  Manifests m = parse(yaml);
  return resolve::resolve(m.clusters.front(), m.templates);
}

//! Resolves and requires success.
resolve::ResolvedCluster resolved(const std::string& yaml) {
  auto r = resolve_yaml(yaml);
  INFO(api::format_errors(r.errors));
  REQUIRE(r.errors.empty());
  REQUIRE(r.cluster.has_value());
  return *r.cluster;
}

std::string cluster_yaml(const std::string& name, const std::string& spec) {
  return "apiVersion: multigres.com/v1alpha1\nkind: MultigresCluster\nmetadata:\n  name: " + name + "\nspec:\n" + spec;
}

std::string q(const api::Resources& r, const char* side, const char* resource) {
  const auto& m = std::string(side) == "requests" ? r.requests : r.limits;
  auto it = m.find(resource);
  return it == m.end() ? std::string("<unset>") : it->second.value;
}

const std::string kMinimal = cluster_yaml("minimal-cluster", "  cells:\n    - zone: us-east-1a\n");

// Templates shared by the layering tests.
const std::string kCellTemplates = R"(
apiVersion: multigres.com/v1alpha1
kind: CellTemplate
metadata: {name: default}
spec:
  multiGateway:
    replicas: 5
    affinity:
      podAntiAffinity:
        preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm: {topologyKey: kubernetes.io/hostname}
---
apiVersion: multigres.com/v1alpha1
kind: CellTemplate
metadata: {name: big}
spec:
  multiGateway:
    replicas: 7
    resources:
      requests: {cpu: 500m, memory: 512Mi}
      limits: {cpu: "1", memory: 1Gi}
    affinity:
      podAntiAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          - topologyKey: kubernetes.io/hostname
---
)";

const std::string kShardTemplates = R"(
apiVersion: multigres.com/v1alpha1
kind: ShardTemplate
metadata: {name: default}
spec:
  pools:
    main:
      type: readWrite
      replicas: 3
      storage: {size: 20Gi, class: standard}
---
apiVersion: multigres.com/v1alpha1
kind: ShardTemplate
metadata: {name: standard-shard-ha}
spec:
  multiOrch:
    replicas: 1
    resources:
      requests: {cpu: 100m, memory: 128Mi}
      limits: {cpu: 200m, memory: 256Mi}
  pools:
    primary:
      type: readWrite
      cell: ""
      replicas: 2
      storage: {size: 100Gi, class: standard-gp3}
      postgres:
        requests: {cpu: "2", memory: 4Gi}
        limits: {cpu: "4", memory: 8Gi}
    dr-replica:
      type: readOnly
      cell: us-west-2a
      replicas: 1
      storage: {size: 100Gi, class: standard-gp3}
---
)";

const std::string kTwoCells = "  cells:\n    - zone: us-east-1a\n    - zone: us-west-2a\n";

//! A cluster with two cells whose only shard uses standard-shard-ha with `overrides` (indented YAML).
std::string ha_shard_cluster(const std::string& overrides) {
  return kShardTemplates + cluster_yaml("ha", kTwoCells + R"(  databases:
    - name: app
      tablegroups:
        - name: default
          shards:
            - name: 0-inf
              shardTemplate: standard-shard-ha
              overrides:
)" + overrides);
}

std::vector<std::string> child_names(const resolve::ResolvedCluster& rc) {
  std::vector<std::string> names = {rc.passwordSecretName};
  if (rc.globalTopoServer) names.push_back(rc.globalTopoServer->metadata.name);
  for (const auto& c : rc.cells) {
    names.push_back(c.metadata.name);
    if (auto local = resolve::local_topo_server_for(c)) names.push_back(local->metadata.name);
  }
  for (const auto& tg : rc.tableGroups) names.push_back(tg.metadata.name);
  for (const auto& s : rc.shards) names.push_back(s.metadata.name);
  return names;
}

//! Every child, encoded: what the operator would apply.
std::string encoded(const resolve::ResolvedCluster& rc) {
  std::string out;
  if (rc.globalTopoServer) out += json::to_json(api::encode(*rc.globalTopoServer)) + "\n";
  for (const auto& c : rc.cells) out += json::to_json(api::encode(c)) + "\n";
  for (const auto& tg : rc.tableGroups) out += json::to_json(api::encode(tg)) + "\n";
  for (const auto& s : rc.shards) out += json::to_json(api::encode(s)) + "\n";
  out += json::to_json(api::encode(rc.templates)) + "\n" + rc.passwordSecretName;
  return out;
}

}  // namespace

TEST_CASE("the minimal cluster resolves from defaults alone", "[resolve]") {
  auto rc = resolved(kMinimal);
  CHECK(rc.name == "minimal-cluster");
  CHECK(rc.namespace_ == "default");

  SECTION("one cell named after its zone") {
    REQUIRE(rc.cells.size() == 1);
    const auto& cell = rc.cells[0].spec;
    CHECK(cell.name == "us-east-1a");
    CHECK(cell.zone == "us-east-1a");
    CHECK(cell.region.empty());
    CHECK(cell.allCells == std::vector<std::string>{"us-east-1a"});
    CHECK(cell.multiGateway.replicas == 2);
    CHECK_FALSE(cell.topoServer.managedSpec);
    CHECK_FALSE(cell.topoServer.external);
    CHECK(rc.cells[0].metadata.name == naming::cell("minimal-cluster", "us-east-1a"));
  }
  SECTION("database postgres, tablegroup default, shard 0-inf") {
    REQUIRE(rc.tableGroups.size() == 1);
    const auto& tg = rc.tableGroups[0].spec;
    CHECK(tg.databaseName == "postgres");
    CHECK(tg.tableGroupName == "default");
    CHECK(tg.environment.durabilityPolicy == api::DurabilityPolicy::AtLeast2);
    REQUIRE(tg.shards.size() == 1);
    CHECK(tg.shards[0].name == "0-inf");
    REQUIRE(tg.shards[0].pools.count("default") == 1);
    const auto& pool = tg.shards[0].pools.at("default");
    CHECK(pool.cell == "us-east-1a");
    CHECK(pool.type == api::PoolType::ReadWrite);
    CHECK(pool.replicas == 2);
    REQUIRE(rc.shards.size() == 1);
    CHECK(rc.shards[0].spec.shardName == "0-inf");
    CHECK(rc.unservedShards.empty());
  }
  SECTION("a managed global TopoServer: 3 replicas, 10Gi, seed 000 resources") {
    REQUIRE(rc.globalTopoServer.has_value());
    const auto& topo = *rc.globalTopoServer;
    CHECK(topo.metadata.name == naming::global_topo_server("minimal-cluster"));
    CHECK(topo.spec.replicas == 3);
    CHECK(topo.spec.storage.size.value == "10Gi");
    CHECK(topo.spec.rootPath == "/multigres/global");
    CHECK(topo.spec.cell.empty());
    CHECK(q(topo.spec.resources, "requests", "cpu") == "500m");
    CHECK(q(topo.spec.resources, "requests", "memory") == "1Gi");
    CHECK(q(topo.spec.resources, "limits", "cpu") == "1");
    CHECK(q(topo.spec.resources, "limits", "memory") == "2Gi");
    REQUIRE(topo.metadata.ownerReferences.size() == 1);
    CHECK(topo.metadata.ownerReferences[0].kind == "MultigresCluster");
    CHECK(topo.metadata.ownerReferences[0].name == "minimal-cluster");
  }
  SECTION("multiadmin: 2 replicas, seed 000 resources") {
    const auto& admin = rc.multiadmin.component;
    CHECK(admin.replicas == 2);
    CHECK(q(admin.resources, "requests", "cpu") == "200m");
    CHECK(q(admin.resources, "requests", "memory") == "256Mi");
    CHECK(q(admin.resources, "limits", "cpu") == "500m");
    CHECK(q(admin.resources, "limits", "memory") == "512Mi");
  }
  SECTION("no templates used, a generated password") {
    CHECK(rc.templates.cellTemplates.empty());
    CHECK(rc.templates.shardTemplates.empty());
    CHECK(rc.generatePassword);
    CHECK(rc.passwordSecretName == naming::password_secret("minimal-cluster"));
    CHECK(rc.tableGroups[0].spec.environment.passwordSecret.name == rc.passwordSecretName);
    CHECK(rc.tableGroups[0].spec.environment.passwordSecret.key == resolve::kPasswordKey);
  }
}

TEST_CASE("which layer sets a cell's gateway replicas", "[resolve]") {
  struct Row {
    const char* name;
    std::string templates;
    std::string cell;  // one cell entry, indented as a list item under `cells:`
    int32_t replicas;
    std::vector<std::string> used;
  };
  const std::string kDefaultOnly =
      "apiVersion: multigres.com/v1alpha1\nkind: CellTemplate\nmetadata: {name: default}\n"
      "spec: {multiGateway: {replicas: 5}}\n---\n";
  const std::vector<Row> rows = {
      {"built-in defaults when there is no template", "", "    - zone: a\n", 2, {}},
      {"the default template when none is named", kDefaultOnly, "    - zone: a\n", 5, {"default"}},
      {"the named template, not default", kCellTemplates, "    - zone: a\n      cellTemplate: big\n", 7, {"big"}},
      {"overrides on the named template",
       kCellTemplates,
       "    - zone: a\n      cellTemplate: big\n      overrides: {multiGateway: {replicas: 3}}\n",
       3,
       {"big"}},
      {"overrides on the default template",
       kDefaultOnly,
       "    - zone: a\n      overrides: {multiGateway: {replicas: 4}}\n",
       4,
       {"default"}},
      {"overrides with no template at all",
       "",
       "    - zone: a\n      overrides: {multiGateway: {replicas: 6}}\n",
       6,
       {}},
      {"the inline spec, ignoring the default template",
       kDefaultOnly,
       "    - zone: a\n      spec: {multiGateway: {replicas: 1}}\n",
       1,
       {}},
      {"an inline spec without replicas keeps the built-in value",
       kDefaultOnly,
       "    - zone: a\n      spec: {multiGateway: {resources: {requests: {cpu: 50m}}}}\n",
       2,
       {}},
  };
  for (const auto& row : rows) {
    DYNAMIC_SECTION(row.name) {
      auto rc = resolved(row.templates + cluster_yaml("layers", "  cells:\n" + row.cell));
      REQUIRE(rc.cells.size() == 1);
      CHECK(rc.cells[0].spec.multiGateway.replicas == row.replicas);
      CHECK(rc.templates.cellTemplates == row.used);
    }
  }
}

TEST_CASE("the default templates apply only when no template is named", "[resolve]") {
  SECTION("default CellTemplate and ShardTemplate fill a cluster that names none") {
    auto rc = resolved(kCellTemplates + kShardTemplates + kMinimal);
    REQUIRE(rc.cells.size() == 1);
    CHECK(rc.cells[0].spec.multiGateway.replicas == 5);
    CHECK(rc.cells[0].spec.multiGateway.affinity.json.find("preferredDuringScheduling") != std::string::npos);
    REQUIRE(rc.shards.size() == 1);
    const auto& pools = rc.shards[0].spec.pools;
    REQUIRE(pools.size() == 1);  // the template's pool replaces the built-in `default` pool
    REQUIRE(pools.count("main") == 1);
    CHECK(pools.at("main").replicas == 3);
    CHECK(pools.at("main").storage.size.value == "20Gi");
    CHECK(pools.at("main").storage.class_ == "standard");
    CHECK(pools.at("main").cell == "us-east-1a");  // the only cell
    CHECK(rc.templates.cellTemplates == std::vector<std::string>{"default"});
    CHECK(rc.templates.shardTemplates == std::vector<std::string>{"default"});
  }
  SECTION("a named template replaces the default one entirely") {
    // `default` has affinity and 5 replicas; `big` is used alone, so nothing of `default` shows.
    auto rc = resolved(kCellTemplates + R"(
apiVersion: multigres.com/v1alpha1
kind: CellTemplate
metadata: {name: plain}
spec:
  multiGateway: {replicas: 1}
---
)" + cluster_yaml("named", "  cells:\n    - zone: a\n      cellTemplate: plain\n"));
    const auto& gw = rc.cells[0].spec.multiGateway;
    CHECK(gw.replicas == 1);
    CHECK(gw.affinity.json.empty());
    CHECK(q(gw.resources, "requests", "cpu") == "100m");  // built-in, not from `default`
    CHECK(rc.templates.cellTemplates == std::vector<std::string>{"plain"});
  }
}

TEST_CASE("overrides on a named template", "[resolve]") {
  SECTION("a scalar override changes only that field") {
    auto rc = resolved(kCellTemplates + cluster_yaml("o",
                                                     "  cells:\n    - zone: a\n      cellTemplate: big\n"
                                                     "      overrides: {multiGateway: {replicas: 3}}\n"));
    const auto& gw = rc.cells[0].spec.multiGateway;
    CHECK(gw.replicas == 3);
    CHECK(q(gw.resources, "requests", "cpu") == "500m");
    CHECK(q(gw.resources, "limits", "memory") == "1Gi");
    CHECK(gw.affinity.json.find("requiredDuringScheduling") != std::string::npos);
  }
  SECTION("resources is atomic: overriding only requests drops the template's limits") {
    auto rc = resolved(kCellTemplates +
                       cluster_yaml("o",
                                    "  cells:\n    - zone: a\n      cellTemplate: big\n"
                                    "      overrides: {multiGateway: {resources: {requests: {cpu: \"2\"}}}}\n"));
    const auto& gw = rc.cells[0].spec.multiGateway;
    CHECK(gw.replicas == 7);
    CHECK(gw.resources.requests.size() == 1);
    CHECK(q(gw.resources, "requests", "cpu") == "2");
    CHECK(q(gw.resources, "requests", "memory") == "<unset>");
    CHECK(gw.resources.limits.empty());
  }
  SECTION("affinity is atomic: the override replaces the template's whole affinity") {
    auto rc = resolved(kCellTemplates + cluster_yaml("o", R"(  cells:
    - zone: a
      cellTemplate: big
      overrides:
        multiGateway:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions:
                      - {key: disk, operator: In, values: [ssd]}
)"));
    const auto& aff = rc.cells[0].spec.multiGateway.affinity.json;
    CHECK(aff.find("nodeAffinity") != std::string::npos);
    CHECK(aff.find("podAntiAffinity") == std::string::npos);
  }
  SECTION("pools merge by key: an override targets one pool and keeps the rest") {
    auto rc = resolved(ha_shard_cluster("                pools:\n                  primary: {cell: us-east-1a}\n"));
    REQUIRE(rc.shards.size() == 1);
    const auto& pools = rc.shards[0].spec.pools;
    REQUIRE(pools.size() == 2);
    const auto& primary = pools.at("primary");
    CHECK(primary.cell == "us-east-1a");
    CHECK(primary.type == api::PoolType::ReadWrite);
    CHECK(primary.replicas == 2);
    CHECK(primary.storage.size.value == "100Gi");
    CHECK(primary.storage.class_ == "standard-gp3");
    CHECK(q(primary.postgres, "requests", "cpu") == "2");
    CHECK(q(primary.postgres, "limits", "memory") == "8Gi");
    CHECK(q(primary.multipooler, "requests", "cpu") == "100m");  // built-in: no layer set it
    const auto& dr = pools.at("dr-replica");
    CHECK(dr.cell == "us-west-2a");
    CHECK(dr.type == api::PoolType::ReadOnly);
    CHECK(dr.replicas == 1);
    CHECK(rc.shards[0].spec.multiOrch.replicas == 1);
    CHECK(q(rc.shards[0].spec.multiOrch.resources, "limits", "cpu") == "200m");
    CHECK(rc.templates.shardTemplates == std::vector<std::string>{"standard-shard-ha"});
  }
  SECTION("storage is atomic: a new size without a class drops the template's class") {
    auto rc =
        resolved(ha_shard_cluster("                pools:\n                  primary:\n"
                                  "                    cell: us-east-1a\n"
                                  "                    storage: {size: 200Gi}\n"));
    const auto& primary = rc.shards[0].spec.pools.at("primary");
    CHECK(primary.storage.size.value == "200Gi");
    CHECK(primary.storage.class_.empty());
  }
  SECTION("an override for a pool the template lacks adds that pool") {
    auto rc =
        resolved(ha_shard_cluster("                pools:\n                  primary: {cell: us-east-1a}\n"
                                  "                  analytics: {type: readOnly, cell: us-west-2a, replicas: 1}\n"));
    const auto& pools = rc.shards[0].spec.pools;
    REQUIRE(pools.size() == 3);
    REQUIRE(pools.count("analytics") == 1);
    const auto& added = pools.at("analytics");
    CHECK(added.type == api::PoolType::ReadOnly);
    CHECK(added.cell == "us-west-2a");
    CHECK(added.replicas == 1);
    CHECK(added.storage.size.value == "10Gi");  // built-in pool defaults fill the rest
  }
}

TEST_CASE("inline specs layer on the built-in defaults only", "[resolve]") {
  auto rc = resolved(kCellTemplates + kShardTemplates + cluster_yaml("inline", R"(  cells:
    - name: zone-a
      zone: us-east-1a
      spec:
        multiGateway: {replicas: 1}
    - name: zone-b
      region: us-east-1
      spec:
        multiGateway:
          resources:
            requests: {cpu: 250m}
  databases:
    - name: app
      tablegroups:
        - name: default
          shards:
            - name: 0-inf
              spec:
                multiOrch: {replicas: 2}
                pools:
                  a: {cell: zone-a, replicas: 2, storage: {size: 50Gi}}
                  b: {cell: zone-b, type: readOnly, replicas: 1}
)"));
  REQUIRE(rc.cells.size() == 2);
  CHECK(rc.cells[0].spec.name == "zone-a");
  CHECK(rc.cells[0].spec.multiGateway.replicas == 1);
  CHECK(q(rc.cells[0].spec.multiGateway.resources, "requests", "cpu") == "100m");
  CHECK(rc.cells[0].spec.multiGateway.affinity.json.empty());  // not from the default template
  CHECK(rc.cells[1].spec.region == "us-east-1");
  CHECK(rc.cells[1].spec.zone.empty());
  CHECK(rc.cells[1].spec.multiGateway.replicas == 2);
  CHECK(rc.cells[1].spec.multiGateway.resources.limits.empty());  // atomic: only what the spec says
  CHECK(rc.cells[0].spec.allCells == std::vector<std::string>{"zone-a", "zone-b"});
  REQUIRE(rc.shards.size() == 1);
  const auto& shard = rc.shards[0].spec;
  CHECK(shard.multiOrch.replicas == 2);
  REQUIRE(shard.pools.size() == 2);  // not the default template's `main`
  CHECK(shard.pools.at("a").storage.size.value == "50Gi");
  CHECK(shard.pools.at("b").cell == "zone-b");
  CHECK(shard.pools.at("b").storage.size.value == "10Gi");
  CHECK(rc.templates.cellTemplates.empty());
  CHECK(rc.templates.shardTemplates.empty());
  CHECK(shard.environment.cells.at("zone-b").region == "us-east-1");
  CHECK(rc.unservedShards.empty());  // tablegroup default, shard 0-inf: what the data plane serves
}

TEST_CASE("an external global topology server makes no TopoServer", "[resolve]") {
  auto rc = resolved(cluster_yaml("ext", R"(  globalTopoServer:
    external:
      endpoints: ["https://etcd-1.infra:2379", "https://etcd-2.infra:2379"]
      caSecret: etcd-ca
      clientCertSecret: etcd-client
  cells:
    - zone: us-east-1a
)"));
  CHECK_FALSE(rc.globalTopoServer.has_value());
  const std::vector<std::string> endpoints = {"https://etcd-1.infra:2379", "https://etcd-2.infra:2379"};
  for (const auto* ref : {&rc.multiadmin.globalTopoServer, &rc.cells.at(0).spec.globalTopoServer,
                          &rc.tableGroups.at(0).spec.environment.globalTopoServer}) {
    CHECK(ref->addresses == endpoints);
    CHECK(ref->rootPath == "/multigres/global");
    CHECK(ref->clientServiceName.empty());
    CHECK(ref->caSecret == "etcd-ca");
    CHECK(ref->clientCertSecret == "etcd-client");
  }
}

TEST_CASE("a managed global topology server is reached through its client Service", "[resolve]") {
  auto rc = resolved(cluster_yaml("managed",
                                  "  globalTopoServer: {rootPath: /mg/root}\n"
                                  "  cells:\n    - zone: us-east-1a\n"));
  REQUIRE(rc.globalTopoServer.has_value());
  std::string service = naming::etcd_client_service(rc.globalTopoServer->metadata.name);
  const auto& ref = rc.cells.at(0).spec.globalTopoServer;
  CHECK(ref.clientServiceName == service);
  // http:// keeps it plaintext when the process has etcd TLS for another topology server.
  CHECK(ref.addresses == std::vector<std::string>{"http://" + service + ".default.svc:2379"});
  CHECK(ref.rootPath == "/mg/root");
  CHECK(rc.globalTopoServer->spec.rootPath == "/mg/root");
  CHECK(rc.multiadmin.globalTopoServer == ref);
}

TEST_CASE("cell-local topology servers", "[resolve]") {
  SECTION("managed: Cell.spec.topoServer.managedSpec rooted at /multigres/<cell>, owned by the Cell") {
    auto rc = resolved(R"(
apiVersion: multigres.com/v1alpha1
kind: CellTemplate
metadata: {name: with-etcd}
spec:
  localTopoServer:
    managedSpec:
      replicas: 5
      storage: {size: 5Gi, class: fast}
---
)" + cluster_yaml("local",
                  "  cells:\n    - name: east\n      zone: us-east-1a\n      cellTemplate: with-etcd\n"
                  "    - zone: us-west-2a\n"
                  "  databases:\n    - name: app\n      tablegroups:\n        - name: default\n"
                  "          shards:\n            - name: 0-inf\n"
                  "              spec: {pools: {main: {cell: east, replicas: 2}}}\n"));
    REQUIRE(rc.cells.size() == 2);
    const auto& topo = rc.cells[0].spec.topoServer;
    REQUIRE(topo.managedSpec.has_value());
    CHECK_FALSE(topo.external.has_value());
    CHECK(topo.managedSpec->rootPath == "/multigres/east");
    CHECK(topo.managedSpec->cell == "east");
    CHECK(topo.managedSpec->replicas == 5);
    CHECK(topo.managedSpec->storage.size.value == "5Gi");
    CHECK(topo.managedSpec->storage.class_ == "fast");
    CHECK(rc.cells[0].spec.globalTopoServer.rootPath == "/multigres/global");  // still knows the global one
    auto local = resolve::local_topo_server_for(rc.cells[0]);
    REQUIRE(local.has_value());
    CHECK(local->metadata.name == naming::local_topo_server("local", "east"));
    REQUIRE(local->metadata.ownerReferences.size() == 1);
    CHECK(local->metadata.ownerReferences[0].kind == "Cell");
    CHECK(local->spec == *topo.managedSpec);
    // The other cell uses the global topology server only.
    CHECK_FALSE(rc.cells[1].spec.topoServer.managedSpec.has_value());
    CHECK_FALSE(resolve::local_topo_server_for(rc.cells[1]).has_value());
  }
  SECTION("managed with nothing set gets the etcd defaults") {
    auto rc = resolved(cluster_yaml("local",
                                    "  cells:\n    - zone: us-east-1a\n"
                                    "      spec: {localTopoServer: {managedSpec: {}}}\n"));
    const auto& managed = rc.cells[0].spec.topoServer.managedSpec;
    REQUIRE(managed.has_value());
    CHECK(managed->replicas == 3);
    CHECK(managed->rootPath == "/multigres/us-east-1a");
  }
  SECTION("external: addresses from the endpoints, rootPath as given") {
    auto rc = resolved(cluster_yaml("local", R"(  cells:
    - zone: us-east-1a
      spec:
        localTopoServer:
          rootPath: /cells/east
          external:
            endpoints: ["https://etcd.east:2379"]
)"));
    const auto& topo = rc.cells[0].spec.topoServer;
    CHECK_FALSE(topo.managedSpec.has_value());
    REQUIRE(topo.external.has_value());
    CHECK(topo.external->addresses == std::vector<std::string>{"https://etcd.east:2379"});
    CHECK(topo.external->rootPath == "/cells/east");
    CHECK_FALSE(resolve::local_topo_server_for(rc.cells[0]).has_value());
  }
}

// spec.databases with postgres/default/0-inf only, the shard given `body` (one YAML flow line).
std::string postgres_default_shard(const std::string& body) {
  return "  databases:\n    - name: postgres\n      tablegroups:\n        - name: default\n          shards:\n"
         "            - name: 0-inf\n              " + body + "\n";
}

// Multigres v0.1.0 has one etcd TLS setting per process (go/common/topoclient/etcdtopo/store.go): TLS only
// with a client certificate, a CA alone ignored; the etcd client v3.6.10 dials http:// in plaintext.
TEST_CASE("etcd TLS as Multigres v0.1.0 can use it", "[resolve]") {
  const std::string tls_global = R"(  globalTopoServer:
    external:
      endpoints: ["https://etcd.infra:2379"]
      caSecret: etcd-ca
      clientCertSecret: etcd-client
)";
  // One cell whose own etcd is at https://etcd.east:2379 with these TLS Secrets.
  auto cell_with_tls_etcd = [](const std::string& ca, const std::string& cert) {
    return "  cells:\n    - zone: us-east-1a\n      spec:\n        localTopoServer:\n          external: "
           "{endpoints: [\"https://etcd.east:2379\"], caSecret: " +
           ca + ", clientCertSecret: " + cert + "}\n";
  };
  auto errors_of = [](const std::string& yaml) {
    std::vector<std::string> out;
    for (const auto& e : resolve_yaml(yaml).errors) out.push_back(e.str());
    return out;
  };
  SECTION("a CA without a client certificate is refused with what to do") {
    auto errors = errors_of(cluster_yaml("tls", R"(  globalTopoServer:
    external: {endpoints: ["https://etcd.infra:2379"], caSecret: etcd-ca}
  cells: [{zone: us-east-1a}]
)"));
    REQUIRE(errors.size() == 1);
    CHECK(
        errors[0].starts_with("spec.globalTopoServer.external.caSecret: Multigres v0.1.0 uses etcd TLS only with "
                              "a client certificate and ignores a CA given alone: set clientCertSecret too"));
  }
  SECTION("a client certificate for an http:// endpoint is refused: it would not be used") {
    auto errors = errors_of(cluster_yaml("tls", R"(  globalTopoServer:
    external: {endpoints: ["http://etcd.infra:2379"], caSecret: etcd-ca, clientCertSecret: etcd-client}
  cells: [{zone: us-east-1a}]
)"));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] ==
          "spec.globalTopoServer.external.endpoints: \"http://etcd.infra:2379\" is dialled in "
          "plaintext, so clientCertSecret would not be used: use https:// endpoints");
  }
  SECTION("a TLS global topology with a cell's managed etcd: the managed one is dialled over http://") {
    auto rc = resolved(cluster_yaml("tls", tls_global + R"(  cells:
    - zone: us-east-1a
      spec: {localTopoServer: {managedSpec: {replicas: 1}}}
)"));
    const auto& global = rc.cells[0].spec.globalTopoServer;
    CHECK(global.clientCertSecret == "etcd-client");
    auto local = resolve::local_topo_server_for(rc.cells[0]);
    REQUIRE(local.has_value());
    CHECK(local->spec.replicas == 1);
  }
  SECTION("a cell's https:// etcd with the global topology's Secrets: accepted, the pods get them") {
    auto rc = resolved(cluster_yaml("tls", tls_global + cell_with_tls_etcd("etcd-ca", "etcd-client")));
    CHECK(rc.cells[0].spec.topoServer.external->clientCertSecret == "etcd-client");
    CHECK(rc.cells[0].spec.globalTopoServer.clientCertSecret == "etcd-client");  // what the pods mount
  }
  SECTION("a cell's https:// etcd with other Secrets, or under a plaintext global, is refused") {
    auto other = errors_of(cluster_yaml("tls", tls_global + cell_with_tls_etcd("east-ca", "east-client")));
    REQUIRE(other.size() == 1);
    CHECK(
        other[0].starts_with("spec.cells[0].localTopoServer.external: Multigres v0.1.0 dials every topology "
                             "server of a process with one TLS setting, the global topology's (caSecret "
                             "\"etcd-ca\", clientCertSecret \"etcd-client\"): give this cell's https:// etcd "
                             "the same caSecret and clientCertSecret"));
    auto plaintext_global = errors_of(cluster_yaml("tls", cell_with_tls_etcd("east-ca", "east-client")));
    REQUIRE(plaintext_global.size() == 1);
    CHECK(plaintext_global[0].find("the global topology's (none)") != std::string::npos);
  }
  SECTION("a cell's http:// or public-CA https:// etcd under a plaintext global is accepted") {
    resolved(cluster_yaml("tls", R"(  cells:
    - zone: us-east-1a
      spec: {localTopoServer: {external: {endpoints: ["https://etcd.east:2379"]}}}
    - zone: us-east-1b
      spec: {localTopoServer: {external: {endpoints: ["http://etcd.west:2379"]}}}
)" + postgres_default_shard("overrides: {pools: {default: {cell: us-east-1a}}}")));
  }
}

TEST_CASE("a readOnly pool is valid and warned about: v0.1.0 has no read-only pooler", "[resolve]") {
  auto rc = resolved(cluster_yaml("ro", R"(  cells: [{zone: us-east-1a}]
)" + postgres_default_shard("spec: {pools: {main: {replicas: 2}, reports: {type: readOnly, replicas: 1}}}")));
  REQUIRE(rc.dataPlaneWarnings.size() == 1);
  CHECK(rc.dataPlaneWarnings[0].path == "spec.databases[0].tablegroups[0].shards[0].pools[reports].type");
  CHECK(rc.dataPlaneWarnings[0].message.starts_with(
      "readOnly: Multigres v0.1.0 cannot keep a pooler out of primary elections"));
  CHECK(rc.dataPlaneWarnings[0].message.ends_with(
      "through the gateway Service's pg-replica port (every replica serves it)"));
  CHECK(resolved(kMinimal).dataPlaneWarnings.empty());
}

TEST_CASE("resolvedTemplates lists each used template once, sorted", "[resolve]") {
  auto rc = resolved(kCellTemplates + kShardTemplates + cluster_yaml("used", R"(  cells:
    - zone: us-east-1a
      cellTemplate: big
    - zone: us-west-2a
    - zone: eu-west-1a
      cellTemplate: big
  databases:
    - name: app
      tablegroups:
        - name: default
          shards:
            - name: "0"
              shardTemplate: standard-shard-ha
              overrides: {pools: {primary: {cell: us-east-1a}}}
            - name: "1"
              shardTemplate: standard-shard-ha
              overrides: {pools: {primary: {cell: eu-west-1a}}}
            - name: "2"
              spec:
                pools: {main: {cell: us-west-2a, replicas: 2}}
            - name: "3"
              overrides: {pools: {main: {cell: us-west-2a}}}
)"));
  CHECK(rc.templates.cellTemplates == std::vector<std::string>{"big", "default"});
  CHECK(rc.templates.shardTemplates == std::vector<std::string>{"default", "standard-shard-ha"});
  std::vector<std::string> unserved;
  for (const auto& u : rc.unservedShards) unserved.push_back(u.shard + " at " + u.path);
  CHECK(unserved == std::vector<std::string>{"app/default/0 at spec.databases[0].tablegroups[0].shards[0]",
                                             "app/default/1 at spec.databases[0].tablegroups[0].shards[1]",
                                             "app/default/2 at spec.databases[0].tablegroups[0].shards[2]",
                                             "app/default/3 at spec.databases[0].tablegroups[0].shards[3]"});
}

TEST_CASE("what Multigres v0.1.0 cannot serve is said with the field, the version and what to do", "[resolve]") {
  const resolve::UnservedShard shard{"app/orders/1", "spec.databases[0].tablegroups[1].shards[0]"};
  CHECK(resolve::unserved_shard_warning(shard) ==
        "spec.databases[0].tablegroups[1].shards[0]: shard app/orders/1 cannot be served by Multigres v0.1.0, "
        "which serves tablegroup default with shard 0-inf only (its poolers would exit at start-up); it is kept "
        "for a later Multigres, and data that must be served today goes in tablegroup default, shard 0-inf");
  CHECK(resolve::unserved_shards_message({}).empty());
  std::vector<resolve::UnservedShard> many;
  for (int i = 0; i < 7; ++i) many.push_back({"app/orders/" + std::to_string(i), "p"});
  CHECK(resolve::unserved_shards_message(many) ==
        "7 shard(s) not served by Multigres v0.1.0 (app/orders/0, app/orders/1, app/orders/2, app/orders/3, "
        "app/orders/4 and 2 more): it serves tablegroup default with shard 0-inf only; kubectl multigres "
        "validate names their fields");
}

TEST_CASE("the postgres password Secret", "[resolve]") {
  SECTION("generated when no passwordSecretRef is given") {
    auto rc = resolved(kMinimal);
    CHECK(rc.generatePassword);
    CHECK(rc.passwordSecretName == naming::password_secret("minimal-cluster"));
    CHECK(rc.passwordSecretName.find("minimal-cluster") == 0);
  }
  SECTION("the user's Secret when passwordSecretRef is given") {
    auto rc = resolved(cluster_yaml("own",
                                    "  postgres:\n    passwordSecretRef: {name: pg-admin, key: pw}\n"
                                    "  cells:\n    - zone: us-east-1a\n"));
    CHECK_FALSE(rc.generatePassword);
    CHECK(rc.passwordSecretName == "pg-admin");
    const auto& secret = rc.tableGroups.at(0).spec.environment.passwordSecret;
    CHECK(secret.name == "pg-admin");
    CHECK(secret.key == "pw");
  }
}

TEST_CASE("two clusters in one namespace never share a child name", "[resolve]") {
  // Same topology, names chosen so that naive joining would collide ("a-b" + "c" vs "a" + "b-c").
  std::string spec = R"(  cells:
    - zone: us-east-1a
      spec: {localTopoServer: {managedSpec: {}}}
  databases:
    - name: app
      tablegroups:
        - name: default
          shards: [{name: "0"}, {name: "1"}]
)";
  auto first = resolved(cluster_yaml("shop", spec));
  auto second = resolved(cluster_yaml("shop-app", spec));
  auto a = child_names(first);
  auto b = child_names(second);
  std::set<std::string> all(a.begin(), a.end());
  CHECK(all.size() == a.size());  // unique within one cluster
  for (const auto& name : b) {
    INFO(name);
    CHECK(all.count(name) == 0);
    all.insert(name);
  }
  CHECK(all.size() == a.size() + b.size());
}

TEST_CASE("a missing template is reported with its path and listed", "[resolve]") {
  auto r = resolve_yaml(kShardTemplates + cluster_yaml("missing", R"(  cells:
    - zone: us-east-1a
      cellTemplate: gateway-xl
  databases:
    - name: app
      tablegroups:
        - name: default
          shards:
            - name: "0"
              shardTemplate: standard-shard-ha
            - name: "1"
              shardTemplate: geo
)"));
  CHECK_FALSE(r.cluster.has_value());
  auto has = [&](const std::string& path, const std::string& text) {
    for (const auto& e : r.errors) {
      if (e.path == path && e.message.find(text) != std::string::npos) return true;
    }
    return false;
  };
  INFO(api::format_errors(r.errors));
  CHECK(has("spec.cells[0].cellTemplate", "CellTemplate \"gateway-xl\" not found"));
  CHECK(has("spec.databases[0].tablegroups[0].shards[1].shardTemplate", "ShardTemplate \"geo\" not found"));
  CHECK(r.missingTemplates == std::vector<std::string>{"CellTemplate/gateway-xl", "ShardTemplate/geo"});
  // A missing `default` template is not an error: the built-in defaults apply.
  CHECK_FALSE(has("spec.databases[0].tablegroups[0].shards[0].shardTemplate", "not found"));
}

TEST_CASE("the resolver reports cross-object problems at the field", "[resolve]") {
  struct Row {
    const char* name;
    std::string yaml;
    std::string path;
    std::string text;
  };
  const std::vector<Row> rows = {
      {"pool cell not in cells",
       ha_shard_cluster("                pools:\n                  primary: {cell: eu-west-1a}\n"),
       "spec.databases[0].tablegroups[0].shards[0].pools[primary].cell", "cell \"eu-west-1a\" is not in spec.cells"},
      {"pool cell empty with two cells", ha_shard_cluster("                multiOrch: {replicas: 1}\n"),
       "spec.databases[0].tablegroups[0].shards[0].pools[primary].cell", "set overrides.pools.primary.cell"},
      {"AT_LEAST_2 with one replica",
       cluster_yaml("d",
                    "  cells: [{zone: a}]\n  databases:\n    - name: app\n      tablegroups:\n"
                    "        - name: default\n          shards:\n            - name: 0-inf\n"
                    "              spec: {pools: {main: {replicas: 1}}}\n"),
       "spec.databases[0].tablegroups[0].shards[0].pools", "at least 2 pool replicas"},
      {"MULTI_CELL_AT_LEAST_2 in one cell",
       cluster_yaml("d",
                    "  cells: [{zone: a}, {zone: b}]\n  databases:\n    - name: app\n"
                    "      durabilityPolicy: MULTI_CELL_AT_LEAST_2\n"
                    "      tablegroups:\n        - name: default\n          shards:\n            - name: 0-inf\n"
                    "              spec: {pools: {main: {cell: a, replicas: 3}}}\n"),
       "spec.databases[0].tablegroups[0].shards[0].pools", "MULTI_CELL_AT_LEAST_2 needs pools in at least 2 cells"},
      {"duplicate cell named after its zone", cluster_yaml("d", "  cells: [{zone: a}, {name: a, region: r}]\n"),
       "spec.cells[1].name", "duplicate cell \"a\""},
  };
  for (const auto& row : rows) {
    DYNAMIC_SECTION(row.name) {
      auto r = resolve_yaml(row.yaml);
      CHECK_FALSE(r.cluster.has_value());
      INFO(api::format_errors(r.errors));
      bool found = false;
      for (const auto& e : r.errors)
        found = found || (e.path == row.path && e.message.find(row.text) != std::string::npos);
      CHECK(found);
    }
  }
}

TEST_CASE("resolving is deterministic", "[resolve]") {
  std::string yaml = kCellTemplates + kShardTemplates + cluster_yaml("det", R"(  cells:
    - zone: us-east-1a
      cellTemplate: big
    - zone: us-west-2a
      spec: {localTopoServer: {managedSpec: {}}}
  databases:
    - name: app
      tablegroups:
        - name: orders
          shards:
            - name: "0"
              shardTemplate: standard-shard-ha
              overrides: {pools: {primary: {cell: us-east-1a}, extra: {cell: us-west-2a, replicas: 1}}}
            - name: "1"
              spec: {pools: {z: {cell: us-west-2a, replicas: 2}, a: {cell: us-east-1a, replicas: 1}}}
)");
  auto first = encoded(resolved(yaml));
  auto second = encoded(resolved(yaml));
  CHECK_FALSE(first.empty());
  CHECK(first == second);
  // Parsing again from scratch gives the same bytes too.
  Manifests m = parse(yaml);
  auto third = resolve::resolve(m.clusters.front(), m.templates);
  REQUIRE(third.cluster.has_value());
  CHECK(encoded(*third.cluster) == first);
}

TEST_CASE("pod options layer per field: nodeSelector and tolerations atomic, pod labels and annotations per key",
          "[resolve]") {
  const std::string placed = R"(
apiVersion: multigres.com/v1alpha1
kind: ShardTemplate
metadata: {name: placed}
spec:
  multiOrch:
    priorityClassName: infra
  pools:
    main:
      nodeSelector: {disk: ssd, pool: db}
      tolerations:
        - {key: dedicated, operator: Equal, value: postgres, effect: NoSchedule}
        - {key: spot, operator: Exists}
      priorityClassName: database
      podAnnotations: {team.example.com/owner: payments, backup.example.com/tier: gold}
      podLabels: {team: payments}
---
)";
  auto rc = resolved(placed + cluster_yaml("p", R"(  cells:
    - zone: us-east-1a
  databases:
    - name: postgres
      tablegroups:
        - name: default
          shards:
            - name: 0-inf
              shardTemplate: placed
              overrides:
                pools:
                  main:
                    nodeSelector: {disk: nvme}
                    tolerations: [{key: dedicated, operator: Exists, effect: NoExecute, tolerationSeconds: 30}]
                    podAnnotations: {backup.example.com/tier: silver}
                    podLabels: {cost-center: "42"}
)"));
  REQUIRE(rc.shards.size() == 1);
  const auto& pool = rc.shards[0].spec.pools.at("main");
  // Atomic: the override's nodeSelector and tolerations replace the template's whole.
  CHECK(pool.nodeSelector == std::map<std::string, std::string>{{"disk", "nvme"}});
  REQUIRE(pool.tolerations.size() == 1);
  CHECK(pool.tolerations[0].key == "dedicated");
  CHECK(pool.tolerations[0].operator_ == api::TolerationOperator::Exists);
  CHECK(pool.tolerations[0].effect == api::TaintEffect::NoExecute);
  CHECK(pool.tolerations[0].tolerationSeconds == 30);
  // Per key: the override changes one annotation, keeps the other, and adds a label.
  CHECK(pool.podAnnotations == std::map<std::string, std::string>{{"backup.example.com/tier", "silver"},
                                                                  {"team.example.com/owner", "payments"}});
  CHECK(pool.podLabels == std::map<std::string, std::string>{{"cost-center", "42"}, {"team", "payments"}});
  // A scalar the override leaves alone stays the template's.
  CHECK(pool.priorityClassName == "database");
  CHECK(rc.shards[0].spec.multiOrch.priorityClassName == "infra");
}

TEST_CASE("a template in use whose pod options the operator keeps for itself is refused, named after it", "[resolve]") {
  auto r = resolve_yaml(R"(
apiVersion: multigres.com/v1alpha1
kind: CellTemplate
metadata: {name: labelled}
spec:
  multiGateway:
    podLabels: {multigres.com/cell: other}
    tolerations: [{operator: Equal, value: x}]
---
)" + cluster_yaml("t", "  cells:\n    - zone: us-east-1a\n      cellTemplate: labelled\n"));
  INFO(api::format_errors(r.errors));
  CHECK_FALSE(r.cluster.has_value());
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].path == "CellTemplate/labelled spec.multiGateway.podLabels[multigres.com/cell]");
  CHECK(r.errors[0].message.find("are the operator's") != std::string::npos);
  CHECK(r.errors[1].path == "CellTemplate/labelled spec.multiGateway.tolerations[0]");
  CHECK(r.errors[1].message == "a toleration without a key must use operator Exists");
}

TEST_CASE("log levels are info unless the cluster sets one per process", "[resolve]") {
  auto defaults = resolved(kMinimal);
  CHECK(defaults.multiadmin.component.logLevel == api::LogLevel::Info);
  CHECK(defaults.cells[0].spec.multiGateway.logLevel == api::LogLevel::Info);
  CHECK(defaults.shards[0].spec.pools.at("default").pgctldLogLevel == api::LogLevel::Info);

  auto rc = resolved(cluster_yaml("l",
                                  "  logLevels: {multigateway: debug, multipooler: warn, pgctld: error}\n"
                                  "  cells:\n    - zone: us-east-1a\n"));
  CHECK(rc.cells[0].spec.multiGateway.logLevel == api::LogLevel::Debug);
  const auto& pool = rc.shards[0].spec.pools.at("default");
  CHECK(pool.multipoolerLogLevel == api::LogLevel::Warn);
  CHECK(pool.pgctldLogLevel == api::LogLevel::Error);
  CHECK(rc.shards[0].spec.multiOrch.logLevel == api::LogLevel::Info);
  CHECK(rc.multiadmin.component.logLevel == api::LogLevel::Info);
}

TEST_CASE("pvcDeletionPolicy: each field's innermost setting wins, cluster -> tablegroup -> shard -> pool",
          "[resolve]") {
  auto defaults = resolved(kMinimal).shards[0].spec.pools.at("default").pvcDeletionPolicy;
  CHECK(defaults.whenDeleted == api::PVCRetention::Retain);
  CHECK(defaults.whenScaled == api::PVCRetention::Delete);

  auto rc = resolved(cluster_yaml("v", R"(  pvcDeletionPolicy: {whenDeleted: Delete}
  cells:
    - zone: us-east-1a
  databases:
    - name: postgres
      tablegroups:
        - name: default
          pvcDeletionPolicy: {whenScaled: Retain}
          shards:
            - name: 0-inf
              spec:
                pvcDeletionPolicy: {whenDeleted: Retain}
                pools:
                  a: {replicas: 2}
                  b: {replicas: 2, pvcDeletionPolicy: {whenScaled: Delete}}
)"));
  const auto& pools = rc.shards[0].spec.pools;
  CHECK(pools.at("a").pvcDeletionPolicy ==
        api::PVCDeletionPolicy{api::PVCRetention::Retain, api::PVCRetention::Retain});
  CHECK(pools.at("b").pvcDeletionPolicy ==
        api::PVCDeletionPolicy{api::PVCRetention::Retain, api::PVCRetention::Delete});
  auto cluster_only = resolved(cluster_yaml("w",
                                            "  pvcDeletionPolicy: {whenDeleted: Delete}\n"
                                            "  cells:\n    - zone: us-east-1a\n"));
  CHECK(cluster_only.shards[0].spec.pools.at("default").pvcDeletionPolicy ==
        api::PVCDeletionPolicy{api::PVCRetention::Delete, api::PVCRetention::Delete});
}

TEST_CASE("the external gateway is resolved only when enabled, a LoadBalancer unless NodePort is asked", "[resolve]") {
  CHECK_FALSE(resolved(kMinimal).externalGateway.has_value());
  CHECK_FALSE(resolved(cluster_yaml("e", "  externalGateway: {enabled: false}\n  cells:\n    - zone: a\n"))
                  .externalGateway.has_value());
  auto lb = resolved(cluster_yaml("e", "  externalGateway: {enabled: true}\n  cells:\n    - zone: a\n"));
  REQUIRE(lb.externalGateway.has_value());
  CHECK(lb.externalGateway->type == api::ExternalServiceType::LoadBalancer);
  auto np =
      resolved(cluster_yaml("e", "  externalGateway: {enabled: true, type: NodePort}\n  cells:\n    - zone: a\n"));
  CHECK(np.externalGateway->type == api::ExternalServiceType::NodePort);
}

//! Cluster "p" with one cell and the explicit shard postgres/default/0-inf, whose entry continues with
//! `entry` (indented YAML).
static std::string shard_entry_cluster(const std::string& entry) {
  return cluster_yaml("p", R"(  cells:
    - zone: us-east-1a
  databases:
    - name: postgres
      tablegroups:
        - name: default
          shards:
            - name: 0-inf
)" + entry);
}

TEST_CASE("postgresConfig: sized defaults from the smallest pool, then the user's settings per key", "[resolve]") {
  SECTION("built-in pools (4Gi postgres limit) size shared_buffers, effective_cache_size, max_connections") {
    auto rc = resolved(kMinimal);
    CHECK(rc.shards[0].spec.postgresConfig == std::map<std::string, std::string>{{"effective_cache_size", "3072MB"},
                                                                                 {"max_connections", "256"},
                                                                                 {"shared_buffers", "1024MB"}});
    CHECK(rc.shards[0].spec.initdbArgs.empty());
  }
  SECTION("the smallest pool sets the size (a standby must not have fewer connections than its primary)") {
    // standard-shard-ha: primary limits 8Gi, dr-replica the built-in 4Gi.
    auto rc = resolved(ha_shard_cluster("                pools:\n                  primary: {cell: us-east-1a}\n"));
    CHECK(rc.shards[0].spec.postgresConfig.at("shared_buffers") == "1024MB");
    CHECK(rc.shards[0].spec.postgresConfig.at("max_connections") == "256");
  }
  SECTION("template, then overrides, per key; initdbArgs replaced") {
    auto rc = resolved(R"(
apiVersion: multigres.com/v1alpha1
kind: ShardTemplate
metadata: {name: tuned}
spec:
  initdbArgs: "--locale=C"
  postgresConfig: {work_mem: 8MB, max_connections: "300", log_min_duration_statement: "1s"}
  pools:
    main: {postgres: {requests: {memory: 512Mi}}}
---
)" + shard_entry_cluster(R"(              shardTemplate: tuned
              overrides:
                initdbArgs: "--locale=C --encoding=UTF8"
                postgresConfig: {work_mem: 16MB}
)"));
    const auto& shard = rc.shards[0].spec;
    CHECK(shard.postgresConfig == std::map<std::string, std::string>{{"effective_cache_size", "384MB"},
                                                                     {"log_min_duration_statement", "1s"},
                                                                     {"max_connections", "300"},
                                                                     {"shared_buffers", "128MB"},
                                                                     {"work_mem", "16MB"}});
    CHECK(shard.initdbArgs == "--locale=C --encoding=UTF8");
  }
  SECTION("pools without memory leave pgctld's own defaults") {
    CHECK(resolve::postgres_config_defaults({{"a", api::ResolvedPool{}}}).empty());
    api::ResolvedPool small;
    small.postgres.requests["memory"] = "256Mi";
    auto sized = resolve::postgres_config_defaults({{"a", small}});
    CHECK(static_cast<int64_t>(sized.size()) == api::kSizedGucCount);
    CHECK(sized.at("max_connections") == std::to_string(resolve::kMinMaxConnections));
    CHECK(sized.at("shared_buffers") == "64MB");
  }
}

TEST_CASE("postgresConfig entries Multigres owns, bad names and bad values are refused with their path", "[resolve]") {
  auto r = resolve_yaml(R"(
apiVersion: multigres.com/v1alpha1
kind: ShardTemplate
metadata: {name: bad}
spec:
  postgresConfig: {port: "6543", "Work-Mem": 8MB, application_name: "a\nb"}
  initdbArgs: "--locale=C\n--encoding=UTF8"
---
)" + shard_entry_cluster("              shardTemplate: bad\n"));
  INFO(api::format_errors(r.errors));
  CHECK_FALSE(r.cluster.has_value());
  REQUIRE(r.errors.size() == 4);
  CHECK(r.errors[0].path == "ShardTemplate/bad spec.postgresConfig[Work-Mem]");
  CHECK(r.errors[0].message.find("is not a PostgreSQL setting name") != std::string::npos);
  CHECK(r.errors[1].path == "ShardTemplate/bad spec.postgresConfig[application_name]");
  CHECK(r.errors[1].message.find("line break") != std::string::npos);
  CHECK(r.errors[2].path == "ShardTemplate/bad spec.postgresConfig[port]");
  CHECK(r.errors[2].message.find("set by Multigres or the operator") != std::string::npos);
  CHECK(r.errors[3].path == "ShardTemplate/bad spec.initdbArgs");
}
