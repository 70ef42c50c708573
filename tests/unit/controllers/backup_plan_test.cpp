// tests/unit/controllers/backup_plan_test.cpp: a MultigresBackup's shards, job phases and roll-up.
#include "operator/controllers/backup_plan.hpp"

#include <catch2/catch.hpp>

using namespace mg;
using controllers::ShardName;

namespace {

const std::vector<ShardName> kShards = {{"postgres", "default", "0-inf"},
                                        {"postgres", "tg2", "0"},
                                        {"postgres", "tg2", "1"},
                                        {"other", "default", "0-inf"}};

std::vector<std::string> names(const std::vector<ShardName>& shards) {
  std::vector<std::string> out;
  for (const auto& s : shards) out.push_back(s.str());
  return out;
}

}  // namespace

TEST_CASE("a backup covers the shards its spec names", "[controllers][backup]") {
  api::MultigresBackupSpec spec;
  spec.clusterName = "c";
  CHECK(names(controllers::backup_targets(spec, kShards)) ==
        std::vector<std::string>{"postgres/default/0-inf", "postgres/tg2/0", "postgres/tg2/1"});
  spec.tablegroup = "tg2";
  CHECK(names(controllers::backup_targets(spec, kShards)) ==
        std::vector<std::string>{"postgres/tg2/0", "postgres/tg2/1"});
  spec.shard = "1";
  CHECK(names(controllers::backup_targets(spec, kShards)) == std::vector<std::string>{"postgres/tg2/1"});
  spec = {};
  spec.database = "other";
  CHECK(names(controllers::backup_targets(spec, kShards)) == std::vector<std::string>{"other/default/0-inf"});
  spec.database = "missing";
  CHECK(controllers::backup_targets(spec, kShards).empty());
}

TEST_CASE("entries are kept and new targets start Pending", "[controllers][backup]") {
  std::vector<api::ShardBackup> entries = {{"postgres/tg2/0", "job-1", api::kBackupRunning, "", 0, ""}};
  auto out = controllers::with_targets(entries, {{"postgres", "tg2", "0"}, {"postgres", "tg2", "1"}});
  REQUIRE(out.size() == 2);
  CHECK(out[0].jobId == "job-1");
  CHECK(out[1].shard == "postgres/tg2/1");
  CHECK(out[1].phase == api::kBackupPending);
}

TEST_CASE("multiadmin's job statuses", "[controllers][backup]") {
  CHECK(controllers::job_phase("JOB_STATUS_COMPLETED") == api::kBackupCompleted);
  CHECK(controllers::job_phase("JOB_STATUS_FAILED") == api::kBackupFailed);
  CHECK(controllers::job_phase("JOB_STATUS_RUNNING") == api::kBackupRunning);
  CHECK(controllers::job_phase("JOB_STATUS_PENDING") == api::kBackupRunning);
  CHECK(controllers::job_phase("") == api::kBackupRunning);  // unknown: asked again
}

TEST_CASE("the phase the shards' jobs add up to", "[controllers][backup]") {
  api::MultigresBackupStatus status;
  status.shards = {{"a", "", api::kBackupPending, "", 0, "multiadmin unreachable"},
                   {"b", "", api::kBackupPending, "", 0, ""}};
  controllers::roll_up(status, "t1");
  CHECK(status.phase == api::kBackupPending);
  CHECK_FALSE(controllers::finished(status));

  status.shards[0] = {"a", "j1", api::kBackupCompleted, "20261206-101500F", 1000, ""};
  status.shards[1] = {"b", "j2", api::kBackupRunning, "", 0, ""};
  controllers::roll_up(status, "t2");
  CHECK(status.phase == api::kBackupRunning);
  CHECK(status.completionTime.empty());

  status.shards[1] = {"b", "j2", api::kBackupCompleted, "20261206-101501F", 500, ""};
  controllers::roll_up(status, "t3");
  CHECK(status.phase == api::kBackupCompleted);
  CHECK(status.sizeBytes == 1500);
  CHECK(status.completionTime == "t3");
  CHECK(status.message == "2 shard(s) backed up");
  CHECK(controllers::finished(status));

  status.completionTime.clear();
  status.shards[1] = {"b", "j2", api::kBackupFailed, "", 0, "pgbackrest: no space left"};
  controllers::roll_up(status, "t4");
  CHECK(status.phase == api::kBackupFailed);
  CHECK(status.message == "b: pgbackrest: no space left");
}
