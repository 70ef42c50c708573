// tests/unit/build/pool_test.cpp: the pool StatefulSet, its headless Service and PDB.
#include "common/build/pool.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/build/fixtures.hpp"
#include "tests/unit/golden.hpp"

using namespace mg;

TEST_CASE("pool: filesystem backups (golden)") {
  const auto shard = test::shard();
  test::check_golden("build/pool_stateful_set/filesystem.yaml", test::yaml(build::pool_stateful_set(shard, "default")));
  test::check_golden("build/pool_headless_service/default.yaml",
                     test::yaml(build::pool_headless_service(shard, "default")));
  test::check_golden("build/pool_pdb/default.yaml", test::yaml(build::pool_pdb(shard, "default")));
}

TEST_CASE("pool: S3 backups, a region cell, a user password Secret (golden)") {
  const auto shard = test::s3_shard();
  test::check_golden("build/pool_stateful_set/s3.yaml", test::yaml(build::pool_stateful_set(shard, "west")));
}

TEST_CASE("pool: the StatefulSet leaves restart order to the operator") {
  const auto sts = build::pool_stateful_set(test::shard(), "default");
  CHECK(sts.spec.podManagementPolicy == "Parallel");
  CHECK(sts.spec.updateStrategy.type == "OnDelete");
  CHECK(sts.spec.replicas == 2);
  CHECK(sts.spec.serviceName == build::pool_headless_service(test::shard(), "default").metadata.name);
  CHECK(sts.spec.template_.spec.subdomain == sts.spec.serviceName);
  CHECK(sts.spec.template_.spec.terminationGracePeriodSeconds >= 30);
}

TEST_CASE("pool: pgctld is a native sidecar; multipooler is the main container") {
  const auto pod = build::pool_stateful_set(test::shard(), "default").spec.template_.spec;
  REQUIRE(pod.initContainers.size() == 1);
  CHECK(pod.initContainers[0].name == "pgctld");
  CHECK(pod.initContainers[0].restartPolicy == "Always");
  REQUIRE(pod.containers.size() == 1);
  CHECK(pod.containers[0].name == "multipooler");
  CHECK(pod.containers[0].restartPolicy.empty());
}

TEST_CASE("pool: the password is a mounted file, never an env value") {
  for (const auto& shard : {test::shard(), test::s3_shard()}) {
    for (const auto& [name, p] : shard.spec.pools) {
      const auto pod = build::pool_stateful_set(shard, name).spec.template_.spec;
      for (const auto& c : {pod.initContainers.at(0), pod.containers.at(0)}) {
        CHECK(test::find_env(c, "POSTGRES_PASSWORD") == nullptr);
        CHECK(test::find_env(c, "POSTGRES_PASSWORD_FILE")->value == "/etc/postgres-password/password");
      }
      const auto* v = test::find_volume(pod, "postgres-password");
      REQUIRE(v != nullptr);
      CHECK(v->secret->secretName == shard.spec.environment.passwordSecret.name);
      REQUIRE(v->secret->items.size() == 1);
      CHECK(v->secret->items[0].key == shard.spec.environment.passwordSecret.key);
      CHECK(v->secret->items[0].path == "password");
    }
  }
}

TEST_CASE("pool: S3 credentials come from the Secret through secretKeyRef") {
  const auto pod = build::pool_stateful_set(test::s3_shard(), "default").spec.template_.spec;
  for (const auto& c : {pod.initContainers.at(0), pod.containers.at(0)}) {
    CHECK(test::find_env(c, "AWS_REGION")->value == "us-east-1");
    const auto* key = test::find_env(c, "AWS_ACCESS_KEY_ID");
    REQUIRE(key != nullptr);
    CHECK(key->value.empty());
    CHECK(key->valueFrom->secretKeyRef->name == "s3-credentials");
    CHECK(test::find_env(c, "AWS_SECRET_ACCESS_KEY")->valueFrom->secretKeyRef->key == "AWS_SECRET_ACCESS_KEY");
  }
  CHECK(test::find_volume(pod, "backup")->emptyDir.has_value());
  CHECK(test::find_env(build::pool_stateful_set(test::shard(), "default").spec.template_.spec.containers[0],
                       "AWS_REGION") == nullptr);
}

TEST_CASE("pool: filesystem backups mount the shard's backup PVC in both containers") {
  const auto shard = test::shard();
  const auto pod = build::pool_stateful_set(shard, "default").spec.template_.spec;
  CHECK(test::find_volume(pod, "backup")->persistentVolumeClaim->claimName ==
        naming::backup_pvc(naming::ShardKey{"minimal", "postgres", "default", "0-inf"}));
  for (const auto& c : {pod.initContainers.at(0), pod.containers.at(0)}) {
    bool mounted = false;
    for (const auto& m : c.volumeMounts) mounted = mounted || (m.name == "backup" && m.mountPath == "/backups");
    CHECK(mounted);
  }
}

TEST_CASE("pool: the pg_hba template is mounted in pgctld only") {
  const auto pod = build::pool_stateful_set(test::shard(), "default").spec.template_.spec;
  auto mounts_hba = [](const api::k8s::Container& c) {
    for (const auto& m : c.volumeMounts) {
      if (m.name == "pg-hba") return m.mountPath == "/etc/pgctld";
    }
    return false;
  };
  CHECK(mounts_hba(pod.initContainers.at(0)));
  CHECK_FALSE(mounts_hba(pod.containers.at(0)));
}

TEST_CASE("pool: the headless Service publishes not-ready pods on the pooler ports") {
  const auto svc = build::pool_headless_service(test::shard(), "default");
  CHECK(svc.spec.clusterIP == "None");
  CHECK(svc.spec.publishNotReadyAddresses == true);
  std::vector<int32_t> ports;
  for (const auto& p : svc.spec.ports) ports.push_back(p.port);
  CHECK(ports == std::vector<int32_t>{15200, 15270, 5432, 8432});
  CHECK(build::pool_pdb(test::shard(), "default").spec.maxUnavailable.number == 1);
}

TEST_CASE("pool: the StatefulSet keeps or deletes data volumes as the pool's pvcDeletionPolicy says") {
  auto shard = test::shard();
  auto policy = [&] { return build::pool_stateful_set(shard, "default").spec.persistentVolumeClaimRetentionPolicy; };
  // A Shard written before the field existed (none set): the defaults.
  CHECK(policy()->whenDeleted == "Retain");
  CHECK(policy()->whenScaled == "Delete");
  shard.spec.pools.at("default").pvcDeletionPolicy = {api::PVCRetention::Delete, api::PVCRetention::Retain};
  CHECK(policy()->whenDeleted == "Delete");
  CHECK(policy()->whenScaled == "Retain");
}
