// tests/unit/plugin/backup_request_test.cpp: `kubectl multigres backup create`, `restore` and `backup list`
// as pure functions: the objects sent, and the table printed.
#include "plugin/backup_request.hpp"

#include <catch2/catch.hpp>

using namespace mg;
using namespace mg::plugin;

TEST_CASE("backup create: the MultigresBackup from the flags", "[plugin][backup]") {
  BackupFlags flags;
  auto whole = backup_request("orders", "shop", flags, "2026-12-06T10:15:00Z");
  REQUIRE(whole.ok());
  CHECK(whole->metadata.name == "orders-20261206-101500");
  CHECK(whole->metadata.namespace_ == "shop");
  CHECK(whole->spec.clusterName == "orders");
  CHECK(whole->spec.database.empty());
  CHECK(whole->spec.type == api::BackupType::Full);

  flags.name = "before-upgrade";
  flags.shard = "postgres/default/0-inf";
  flags.type = "differential";
  auto one = backup_request("orders", "shop", flags, "2026-12-06T10:15:00Z");
  REQUIRE(one.ok());
  CHECK(one->metadata.name == "before-upgrade");
  CHECK(one->spec.tablegroup == "default");
  CHECK(one->spec.shard == "0-inf");
  CHECK(one->spec.type == api::BackupType::Differential);

  flags.shard = "a/b/c/d";
  CHECK(backup_request("orders", "shop", flags, "t").error().message ==
        "--shard a/b/c/d: write DATABASE, DATABASE/TABLEGROUP or DATABASE/TABLEGROUP/SHARD");
  flags.shard = "postgres//x";
  CHECK_FALSE(backup_request("orders", "shop", flags, "t").ok());
  flags.shard = "";
  flags.type = "snapshot";
  CHECK(backup_request("orders", "shop", flags, "t").error().message ==
        "--type snapshot: use full, differential or incremental");
}

TEST_CASE("restore: the MultigresRestore of a Completed backup", "[plugin][backup]") {
  auto backup = [](const std::string& phase) {
    return std::move(json::parse_json(R"({"kind":"MultigresBackup","metadata":{"name":"nightly","namespace":"shop"},)"
                                      R"("spec":{"clusterName":"orders"},"status":{"phase":")" +
                                          phase + R"("}})",
                                      "test")
                         .value());
  };
  auto whole = restore_request(backup("Completed"), "", "");
  REQUIRE(whole.ok());
  CHECK(whole->metadata.name == "nightly-restore");
  CHECK(whole->metadata.namespace_ == "shop");
  CHECK(whole->spec.backupName == "nightly");
  CHECK(whole->spec.shard.empty());

  auto one = restore_request(backup("Completed"), "undo", "postgres/default/0-inf");
  REQUIRE(one.ok());
  CHECK(one->metadata.name == "undo");
  CHECK(one->spec.shard == "postgres/default/0-inf");

  CHECK(restore_request(backup("Running"), "", "").error().message ==
        "multigresbackup/nightly is Running: only a Completed backup can be restored");
  CHECK(restore_request(backup(""), "", "").error().message ==
        "multigresbackup/nightly is not started: only a Completed backup can be restored");
}

TEST_CASE("backup list: one row per backup with its ids and size", "[plugin][backup]") {
  api::MultigresBackup b;
  b.metadata.name = "nightly";
  b.metadata.creationTimestamp = "2026-12-06T10:00:00Z";
  b.spec.clusterName = "orders";
  b.status = api::MultigresBackupStatus{};
  b.status->phase = api::kBackupCompleted;
  b.status->sizeBytes = 40513857;
  b.status->shards = {{"postgres/default/0-inf", "j", api::kBackupCompleted, "20261206-100001F", 40513857, ""}};
  const std::string table = backups_table({b}, "2026-12-06T10:05:00Z", false);
  CHECK(table ==
        "NAME     CLUSTER  PHASE      SHARDS  BACKUP            SIZE    AGE\n"
        "nightly  orders   Completed  1       20261206-100001F  38.6Mi  5m\n");
}
