// tests/unit/build/shard_objects_test.cpp: the pg_hba ConfigMap, the backup PVC and the password Secret.
#include <catch2/catch.hpp>

#include "common/build/backup.hpp"
#include "common/build/password_secret.hpp"
#include "common/build/pg_hba.hpp"
#include "tests/unit/build/fixtures.hpp"
#include "tests/unit/golden.hpp"

using namespace mg;

TEST_CASE("pg_hba: the template ConfigMap (golden)") {
  test::check_golden("build/pg_hba_config_map/default.yaml", test::yaml(build::pg_hba_config_map(test::shard())));
}

TEST_CASE("pg_hba: upstream's template, replication allowed from other pods, no trust, no Go template markers") {
  const std::string hba = build::pg_hba_config_map(test::shard()).data.at("pg_hba_template.conf");
  CHECK_THAT(hba, Catch::Contains("host    replication  all       0.0.0.0/0      scram-sha-256\n"));
  // Upstream's lines (v0.1.0 config/postgres/pg_hba_template.conf), local replication included.
  CHECK_THAT(hba, Catch::Contains("local   all          all                      scram-sha-256\n"));
  CHECK_THAT(hba, Catch::Contains("local   replication  all                      scram-sha-256\n"));
  CHECK_THAT(hba, Catch::Contains("host    replication  all       127.0.0.1/32   scram-sha-256\n"));
  CHECK_THAT(hba, Catch::Contains("host    all          all       127.0.0.1/32   scram-sha-256\n"));
  CHECK_THAT(hba, Catch::Contains("host    all          all       ::1/128        scram-sha-256\n"));
  CHECK_THAT(hba, Catch::Contains("host    all          all       0.0.0.0/0      scram-sha-256\n"));
  CHECK(hba.find("{{") == std::string::npos);
  CHECK(hba.find("trust") == std::string::npos);
  CHECK(hba.find("md5") == std::string::npos);
}

TEST_CASE("backup: ReadWriteOnce when chosen, for a cluster without a shared storage class") {
  auto shard = test::shard();
  shard.spec.environment.backup.filesystem->accessMode = api::BackupAccessMode::ReadWriteOnce;
  const auto pvc = build::backup_pvc(shard);
  REQUIRE(pvc.has_value());
  CHECK(pvc->spec.accessModes == std::vector<std::string>{"ReadWriteOnce"});
}

TEST_CASE("backup: a ReadWriteMany PVC per shard for filesystem backups (golden)") {
  const auto pvc = build::backup_pvc(test::shard());
  REQUIRE(pvc.has_value());
  test::check_golden("build/backup_pvc/filesystem.yaml", test::yaml(*pvc));
  CHECK(pvc->spec.accessModes == std::vector<std::string>{"ReadWriteMany"});
  // Retained on purpose: the garbage collector must never take the backups with the cluster.
  CHECK(pvc->metadata.ownerReferences.empty());
  CHECK(pvc->metadata.labels.count("multigres.com/shard") == 1);
}

TEST_CASE("backup: none for S3; defaults when the filesystem block is empty") {
  CHECK_FALSE(build::backup_pvc(test::s3_shard()).has_value());
  auto shard = test::shard();
  shard.spec.environment.backup = api::BackupSpec{};
  const auto pvc = build::backup_pvc(shard);
  REQUIRE(pvc.has_value());
  CHECK(pvc->spec.resources.requests.at("storage").value == "10Gi");
  CHECK(build::backup_path(shard.spec.environment.backup) == "/backups");
}

TEST_CASE("password secret: with a generated password, and as rendered without one (golden)") {
  const auto rc = test::cluster();
  test::check_golden("build/password_secret/generated.yaml",
                     test::yaml(build::password_secret(rc, std::string("correct horse battery staple"))));
  const auto rendered = build::password_secret(rc, std::nullopt);
  test::check_golden("build/password_secret/rendered.yaml", test::yaml(rendered));
  CHECK(rendered.data.empty());
  CHECK(rendered.stringData.empty());
  CHECK(rendered.type == "Opaque");
  CHECK(rendered.metadata.name == rc.passwordSecretName);
  // Kept with the retained data PVCs when the cluster is deleted: no owner for the garbage collector.
  CHECK(rendered.metadata.ownerReferences.empty());
  CHECK(rendered.metadata.labels.at("multigres.com/cluster") == rc.name);
}

TEST_CASE("password secret: base64 as Kubernetes expects") {
  CHECK(build::base64_encode("") == "");
  CHECK(build::base64_encode("f") == "Zg==");
  CHECK(build::base64_encode("fo") == "Zm8=");
  CHECK(build::base64_encode("foo") == "Zm9v");
  CHECK(build::base64_encode("foobar") == "Zm9vYmFy");
  CHECK(build::base64_encode(std::string("\xff\x00\x10", 3)) == "/wAQ");
}
