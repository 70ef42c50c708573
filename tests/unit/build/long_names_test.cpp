// tests/unit/build/long_names_test.cpp: 63+ character cluster and database names still give valid
// Kubernetes names and label values.
#include <catch2/catch.hpp>
#include <regex>

#include "common/build/backup.hpp"
#include "common/build/multigateway.hpp"
#include "common/build/multiorch.hpp"
#include "common/build/pg_hba.hpp"
#include "common/build/pool.hpp"
#include "tests/unit/build/fixtures.hpp"
#include "tests/unit/golden.hpp"

using namespace mg;

namespace {

const std::string kCluster = "payments-platform-production-eu-central-primary-cluster-0123456789";
const std::string kDatabase = "customer_accounts_and_ledger_entries_for_the_payments_platform_2024";

bool dns_label(const std::string& s) {
  static const std::regex kLabel("[a-z]([-a-z0-9]*[a-z0-9])?");
  return s.size() <= 63 && std::regex_match(s, kLabel);
}

bool label_value(const std::string& s) {
  static const std::regex kValue("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  return s.size() <= 63 && std::regex_match(s, kValue);
}

void check_labels(const std::map<std::string, std::string>& labels) {
  for (const auto& [k, v] : labels) {
    INFO(k << "=" << v);
    CHECK(label_value(v));
  }
}

}  // namespace

TEST_CASE("long names: the inputs really are long") {
  CHECK(kCluster.size() >= 63);
  CHECK(kDatabase.size() >= 63);
}

TEST_CASE("long names: pool objects stay within their limits (golden)") {
  auto shard = test::shard(kCluster, kDatabase, "prod");
  const auto sts = build::pool_stateful_set(shard, "default");
  test::check_golden("build/pool_stateful_set/long-names.yaml", test::yaml(sts));

  // Pods are <sts>-<ordinal> and carry controller-revision-hash=<sts>-<10 chars>: both must stay 63.
  CHECK(sts.metadata.name.size() <= 52);
  CHECK(dns_label(sts.metadata.name + "-" + std::to_string(sts.spec.replicas - 1)));
  CHECK(dns_label(sts.spec.serviceName));
  CHECK(dns_label(build::pool_headless_service(shard, "default").metadata.name));
  CHECK(dns_label(build::pool_pdb(shard, "default").metadata.name));
  CHECK(sts.spec.template_.spec.subdomain == sts.spec.serviceName);
  check_labels(sts.metadata.labels);
  check_labels(sts.spec.template_.metadata.labels);
  check_labels(sts.spec.selector.matchLabels);
  // The watch target and the multipooler flags keep the real names.
  const auto& args = sts.spec.template_.spec.containers.at(0).args;
  CHECK(std::find(args.begin(), args.end(), "--database=" + kDatabase) != args.end());
}

TEST_CASE("long names: shard-wide objects and gateways stay within their limits") {
  auto shard = test::shard(kCluster, kDatabase, "prod");
  for (const auto& d : build::multiorch_deployments(shard)) {
    CHECK(dns_label(d.metadata.name));
    check_labels(d.spec.template_.metadata.labels);
    CHECK(d.spec.template_.spec.containers.at(0).args.at(1) == "--watch-targets=" + kDatabase + "/default/0-inf");
  }
  const auto pvc = build::backup_pvc(shard);
  REQUIRE(pvc.has_value());
  CHECK(dns_label(pvc->metadata.name));
  CHECK(build::pg_hba_config_map(shard).metadata.name.size() <= 253);

  const auto cell = test::cell("zone-with-a-rather-long-name-for-a-cell", "us-east-1a", "", kCluster, "prod");
  const auto gw = build::multigateway_deployment(cell);
  CHECK(dns_label(gw.metadata.name));
  CHECK(dns_label(build::multigateway_service(cell).metadata.name));
  check_labels(gw.spec.template_.metadata.labels);
}
