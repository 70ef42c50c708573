// tests/unit/build/determinism_test.cpp: same input, same bytes; builders never read the environment.
#include <catch2/catch.hpp>

#include "common/build/backup.hpp"
#include "common/build/etcd.hpp"
#include "common/build/multiadmin.hpp"
#include "common/build/multigateway.hpp"
#include "common/build/multiorch.hpp"
#include "common/build/password_secret.hpp"
#include "common/build/pg_hba.hpp"
#include "common/build/pool.hpp"
#include "tests/unit/build/fixtures.hpp"

using namespace mg;

namespace {

//! Everything every builder makes for `rc`, as one YAML stream.
std::string build_all(const resolve::ResolvedCluster& rc) {
  std::string out;
  out += test::yaml(build::etcd_stateful_set(*rc.globalTopoServer));
  out += test::yaml(build::etcd_peer_service(*rc.globalTopoServer));
  out += test::yaml(build::etcd_client_service(*rc.globalTopoServer));
  out += test::yaml(build::etcd_pdb(*rc.globalTopoServer));
  out += test::yaml(build::multiadmin_deployment(rc));
  out += test::yaml(build::multiadmin_service(rc));
  out += test::yaml(build::password_secret(rc, std::string("pw")));
  for (const auto& cell : rc.cells) {
    out += test::yaml(build::multigateway_deployment(cell));
    out += test::yaml(build::multigateway_service(cell));
  }
  for (const auto& shard : rc.shards) {
    out += test::yaml(build::multiorch_deployments(shard));
    out += test::yaml(build::pg_hba_config_map(shard));
    if (auto pvc = build::backup_pvc(shard)) out += test::yaml(*pvc);
    for (const auto& [pool, spec] : shard.spec.pools) {
      out += test::yaml(build::pool_stateful_set(shard, pool));
      out += test::yaml(build::pool_headless_service(shard, pool));
      out += test::yaml(build::pool_pdb(shard, pool));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("determinism: building twice gives the same bytes") {
  auto rc = test::cluster();
  rc.shards.push_back(test::s3_shard());
  const std::string first = build_all(rc);
  CHECK(first == build_all(rc));
  CHECK(first == build_all(resolve::ResolvedCluster(rc)));
  CHECK(first.size() > 10000);
}

TEST_CASE("determinism: map insertion order does not matter") {
  auto a = test::s3_shard();
  auto b = test::s3_shard();
  b.spec.pools.clear();
  b.spec.pools.emplace("west", a.spec.pools.at("west"));
  b.spec.pools.emplace("default", a.spec.pools.at("default"));
  b.spec.environment.cells.clear();
  b.spec.environment.cells.emplace("zone2", a.spec.environment.cells.at("zone2"));
  b.spec.environment.cells.emplace("zone1", a.spec.environment.cells.at("zone1"));
  CHECK(test::yaml(build::multiorch_deployments(a)) == test::yaml(build::multiorch_deployments(b)));
  CHECK(test::yaml(build::pool_stateful_set(a, "west")) == test::yaml(build::pool_stateful_set(b, "west")));
}

TEST_CASE("determinism: every object round-trips through its own description") {
  const auto sts = build::pool_stateful_set(test::s3_shard(), "default");
  const auto doc = api::encode(sts);
  api::DecodeContext ctx;
  const auto back = api::decode<api::k8s::StatefulSet>(doc, ctx);
  CHECK(ctx.errors.empty());
  CHECK(test::yaml(back) == test::yaml(sts));
}
