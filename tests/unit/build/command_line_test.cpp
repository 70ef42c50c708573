// tests/unit/build/command_line_test.cpp: each component's command line, ports, env, mounts and probes
// against a table transcribed by hand from shared/reference/multigres-runtime.md §7 (and §1, §3), for the
// layout there: cell zone1, database postgres, shard default/0-inf, G = the global etcd client Service,
// R = /multigres/global. The tables are written out literally on purpose: they must not be derived from
// the constants the builders use.
#include <algorithm>
#include <catch2/catch.hpp>

#include "common/build/etcd.hpp"
#include "common/build/multiadmin.hpp"
#include "common/build/multigateway.hpp"
#include "common/build/multiorch.hpp"
#include "common/build/pool.hpp"
#include "tests/unit/build/fixtures.hpp"

using namespace mg;
using Pairs = std::vector<std::pair<std::string, std::string>>;

namespace {

struct Expected {
  std::vector<std::string> command;
  std::vector<std::string> args;
  std::vector<int32_t> ports;
  Pairs env;              //!< name → value, or "fieldRef:<path>" / "secret:<name>/<key>"
  Pairs mounts;           //!< volume name → mount path
  std::string readiness;  //!< "<path>:<port>"
  std::string liveness;
};

std::string describe(const api::k8s::EnvVar& e) {
  if (!e.valueFrom) return e.value;
  if (e.valueFrom->fieldRef) return "fieldRef:" + e.valueFrom->fieldRef->fieldPath;
  return "secret:" + e.valueFrom->secretKeyRef->name + "/" + e.valueFrom->secretKeyRef->key;
}

std::string describe(const std::optional<api::k8s::Probe>& p) {
  if (!p || !p->httpGet) return "";
  return p->httpGet->path + ":" + std::to_string(*p->httpGet->port.number);
}

void check_container(const api::k8s::Container& c, const Expected& want) {
  INFO("container " << c.name);
  CHECK(c.command == want.command);
  CHECK(c.args == want.args);
  std::vector<int32_t> ports;
  for (const auto& p : c.ports) ports.push_back(p.containerPort);
  CHECK(ports == want.ports);
  Pairs env;
  for (const auto& e : c.env) env.emplace_back(e.name, describe(e));
  CHECK(env == want.env);
  Pairs mounts;
  for (const auto& m : c.volumeMounts) mounts.emplace_back(m.name, m.mountPath);
  CHECK(mounts == want.mounts);
  CHECK(describe(c.readinessProbe) == want.readiness);
  CHECK(describe(c.livenessProbe) == want.liveness);
  REQUIRE(c.securityContext.has_value());
  CHECK(c.securityContext->runAsUser == 999);
  CHECK(c.securityContext->runAsNonRoot == true);
}

std::string topo_address() {
  return "http://" + naming::etcd_client_service(naming::global_topo_server("minimal")) + ".default.svc:2379";
}

std::vector<std::string> with_topo(std::vector<std::string> before, const std::vector<std::string>& after) {
  before.push_back("--topo-global-server-addresses=" + topo_address());
  before.push_back("--topo-global-root=/multigres/global");
  before.insert(before.end(), after.begin(), after.end());
  return before;
}

const Pairs kPostgresEnv = {{"PGDATA", "/var/lib/pooler/pg_data"},
                            {"POSTGRES_USER", "postgres"},
                            {"POSTGRES_PASSWORD_FILE", "/etc/postgres-password/password"}};

}  // namespace

TEST_CASE("command line: multiadmin") {
  check_container(build::multiadmin_deployment(test::cluster()).spec.template_.spec.containers.at(0),
                  Expected{{"/multigres/bin/multiadmin"},
                           with_topo({"--http-port=15000", "--grpc-port=15070", "--log-level=info"},
                                     {"--service-map=grpc-multiadmin"}),
                           {15000, 15070},
                           {},
                           {},
                           "/ready:15000",
                           "/live:15000"});
}

TEST_CASE("command line: multigateway") {
  check_container(
      build::multigateway_deployment(test::cell("zone1", "us-east-1a", "")).spec.template_.spec.containers.at(0),
      Expected{{"/multigres/bin/multigateway"},
               // --pg-replica-port: multigateway's replica-reads listener (go/services/multigateway/init.go).
               with_topo({"--cell=zone1", "--http-port=15100", "--grpc-port=15170", "--pg-port=5432",
                          "--pg-replica-port=5433", "--log-level=info"},
                         {"--hostname=$(POD_IP)"}),
               {15100, 15170, 5432, 5433},
               {{"POD_IP", "fieldRef:status.podIP"}},
               {},
               "/ready:15100",
               "/live:15100"});
}

TEST_CASE("command line: multiorch") {
  check_container(build::multiorch_deployments(test::shard()).at(0).spec.template_.spec.containers.at(0),
                  Expected{{"/multigres/bin/multiorch"},
                           // The failover grace flags are v0.1.0's defaults (go/services/multiorch/config), given
                           // explicitly because the pool pods' restart hold is computed from them.
                           with_topo({"--cell=zone1", "--watch-targets=postgres/default/0-inf", "--http-port=15300",
                                      "--grpc-port=15370", "--log-level=info", "--leader-failover-grace-period-base=4s",
                                      "--leader-failover-grace-period-max-jitter=8s"},
                                     {"--hostname=$(POD_IP)"}),
                           {15300, 15370},
                           {{"POD_IP", "fieldRef:status.podIP"}},
                           {},
                           "/ready:15300",
                           "/live:15300"});
}

TEST_CASE("command line: pgctld (native sidecar of the pool pod)") {
  const auto pod = build::pool_stateful_set(test::shard(), "default").spec.template_.spec;
  check_container(
      pod.initContainers.at(0),
      Expected{{"/usr/local/bin/pgctld"},
               {"server", "--log-level=info", "--pooler-dir=/var/lib/pooler", "--grpc-port=15470", "--http-port=15400",
                "--pg-port=5432", "--pg-listen-addresses=*", "--pg-hba-template=/etc/pgctld/pg_hba_template.conf",
                "--pgbackrest-port=8432", "--pgbackrest-cert-dir=/certs/pgbackrest",
                "--pg-initdb-extra-conf=/etc/postgres-config/include.conf"},
               {15470, 15400, 5432, 8432},
               kPostgresEnv,
               {{"data", "/var/lib/pooler"},
                {"backup", "/backups"},
                {"pgbackrest-certs", "/certs/pgbackrest"},
                {"postgres-password", "/etc/postgres-password"},
                {"pg-hba", "/etc/pgctld"},
                {"postgres-config", "/etc/postgres-config"}},
               "/ready:15400",
               "/live:15400"});
  CHECK(pod.initContainers.at(0).restartPolicy == "Always");
}

// A deleted primary's replacement must start after multiorch elected another primary (with v0.1.0, one
// that starts before comes back as a second primary that cannot be demoted): pgctld, stopped after
// multipooler, holds the pod for longer than multiorch's grace period and jitter, and the pod's grace
// period covers multipooler's shutdown (30 s on-term, 10 s on-close), the hold and pgctld's stop (15 s).
TEST_CASE("pool pod: a deleted pod is replaced only after multiorch's failover wait") {
  const auto pod = build::pool_stateful_set(test::shard(), "default").spec.template_.spec;
  const auto& pgctld = pod.initContainers.at(0);
  REQUIRE(pgctld.lifecycle.has_value());
  REQUIRE(pgctld.lifecycle->preStop.has_value());
  REQUIRE(pgctld.lifecycle->preStop->sleep.has_value());
  const int64_t hold = pgctld.lifecycle->preStop->sleep->seconds;
  const auto orch_args = build::multiorch_deployments(test::shard()).at(0).spec.template_.spec.containers.at(0).args;
  auto duration_flag = [&](const std::string& name) -> int64_t {
    const std::string prefix = "--" + name + "=";
    for (const auto& a : orch_args) {
      if (a.rfind(prefix, 0) == 0 && a.back() == 's') return std::stoll(a.substr(prefix.size()));
    }
    FAIL("multiorch has no " << prefix);
    return 0;
  };
  const int64_t longest_wait =
      duration_flag("leader-failover-grace-period-base") + duration_flag("leader-failover-grace-period-max-jitter");
  CHECK(hold >= longest_wait + 5);
  REQUIRE(pod.terminationGracePeriodSeconds.has_value());
  CHECK(*pod.terminationGracePeriodSeconds >= 30 + 10 + hold + 15);
  CHECK_FALSE(pod.containers.at(0).lifecycle.has_value());  // multipooler starts its shutdown at once
}

TEST_CASE("command line: multipooler (main container of the pool pod)") {
  const auto pod = build::pool_stateful_set(test::shard(), "default").spec.template_.spec;
  Pairs env = {{"POD_INDEX", "fieldRef:metadata.labels['apps.kubernetes.io/pod-index']"}};
  env.insert(env.end(), kPostgresEnv.begin(), kPostgresEnv.end());
  check_container(pod.containers.at(0),
                  Expected{{"/multigres/bin/multipooler"},
                           with_topo({"--cell=zone1", "--database=postgres", "--table-group=default", "--shard=0-inf",
                                      "--service-id=209be4b9-$(POD_INDEX)", "--pooler-dir=/var/lib/pooler",
                                      "--pgctld-addr=localhost:15470", "--pg-port=5432",
                                      "--socket-file=/var/lib/pooler/pg_sockets/.s.PGSQL.5432", "--http-port=15200",
                                      "--grpc-port=15270", "--log-level=info"},
                                     {"--pgbackrest-cert-file=/certs/pgbackrest/pgbackrest.crt",
                                      "--pgbackrest-key-file=/certs/pgbackrest/pgbackrest.key",
                                      "--pgbackrest-ca-file=/certs/pgbackrest/ca.crt", "--pgbackrest-port=8432",
                                      "--connpool-global-capacity=40",
                                      // Not in the §7 table; every upstream launcher passes it (see docs/builders.md).
                                      "--service-map=grpc-pooler"}),
                           {15200, 15270},
                           env,
                           {{"data", "/var/lib/pooler"},
                            {"backup", "/backups"},
                            {"pgbackrest-certs", "/certs/pgbackrest"},
                            {"postgres-password", "/etc/postgres-password"}},
                           "/ready:15200",
                           "/live:15200"});
}

TEST_CASE("command line: pool pod settings") {
  const auto sts = build::pool_stateful_set(test::shard(), "default");
  const auto& pod = sts.spec.template_.spec;
  CHECK(pod.subdomain == sts.spec.serviceName);
  CHECK(*pod.terminationGracePeriodSeconds >= 30);
  CHECK(pod.securityContext->runAsUser == 999);
  CHECK(pod.securityContext->fsGroup == 999);
  REQUIRE(sts.spec.volumeClaimTemplates.size() == 1);
  CHECK(sts.spec.volumeClaimTemplates[0].metadata.name == "data");
}

TEST_CASE("command line: etcd is configured through ETCD_* env only") {
  const auto ts = test::global_topo_server();
  const auto sts = build::etcd_stateful_set(ts);
  const auto& c = sts.spec.template_.spec.containers.at(0);
  const std::string peer = naming::etcd_peer_service(ts.metadata.name);
  const std::string self = "http://$(POD_NAME)." + peer + ".$(POD_NAMESPACE).svc";
  std::string initial;
  for (int i = 0; i < 3; ++i) {
    std::string member = ts.metadata.name + "-" + std::to_string(i);
    initial += (i ? "," : "") + member + "=http://" + member + "." + peer + ".$(POD_NAMESPACE).svc:2380";
  }
  check_container(c, Expected{{},
                              {},
                              {2379, 2380, 2381},
                              {{"POD_NAME", "fieldRef:metadata.name"},
                               {"POD_NAMESPACE", "fieldRef:metadata.namespace"},
                               {"ETCD_NAME", "$(POD_NAME)"},
                               {"ETCD_DATA_DIR", "/var/lib/etcd/data"},
                               {"ETCD_LISTEN_CLIENT_URLS", "http://0.0.0.0:2379"},
                               {"ETCD_LISTEN_PEER_URLS", "http://0.0.0.0:2380"},
                               {"ETCD_LISTEN_METRICS_URLS", "http://0.0.0.0:2381"},
                               {"ETCD_ADVERTISE_CLIENT_URLS", self + ":2379"},
                               {"ETCD_INITIAL_ADVERTISE_PEER_URLS", self + ":2380"},
                               {"ETCD_INITIAL_CLUSTER", initial},
                               {"ETCD_INITIAL_CLUSTER_TOKEN", ts.metadata.name},
                               {"ETCD_INITIAL_CLUSTER_STATE", "new"}},
                              {{"data", "/var/lib/etcd"}},
                              "/readyz:2381",
                              "/livez:2381"});
}

TEST_CASE("command line: each process's log level is its own --log-level") {
  auto has = [](const api::k8s::Container& c, const std::string& arg) {
    INFO(c.name);
    return std::count(c.args.begin(), c.args.end(), arg) == 1;
  };
  auto rc = test::cluster();
  rc.multiadmin.component.logLevel = api::LogLevel::Debug;
  CHECK(has(build::multiadmin_deployment(rc).spec.template_.spec.containers.at(0), "--log-level=debug"));
  auto cell = test::cell("zone1", "us-east-1a", "");
  cell.spec.multiGateway.logLevel = api::LogLevel::Warn;
  CHECK(has(build::multigateway_deployment(cell).spec.template_.spec.containers.at(0), "--log-level=warn"));
  auto shard = test::shard();
  shard.spec.multiOrch.logLevel = api::LogLevel::Error;
  shard.spec.pools.at("default").pgctldLogLevel = api::LogLevel::Debug;
  shard.spec.pools.at("default").multipoolerLogLevel = api::LogLevel::Warn;
  CHECK(has(build::multiorch_deployments(shard).at(0).spec.template_.spec.containers.at(0), "--log-level=error"));
  const auto pod = build::pool_stateful_set(shard, "default").spec.template_.spec;
  CHECK(has(pod.initContainers.at(0), "--log-level=debug"));
  CHECK(has(pod.containers.at(0), "--log-level=warn"));
}
