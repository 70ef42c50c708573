// tests/unit/controllers/restore_plan_test.cpp: a MultigresRestore's steps on one shard, its roll-up,
// and the Job that cuts the repository back.
#include "operator/controllers/restore_plan.hpp"

#include <catch2/catch.hpp>

#include "common/api/owner.hpp"
#include "common/build/restore_job.hpp"
#include "common/util/json.hpp"
#include "tests/unit/build/fixtures.hpp"

using namespace mg;
using controllers::RestoreAction;
using controllers::ShardRestoreView;

namespace {

api::ShardRestore entry(const char* phase) {
  return {"postgres/default/0-inf", "20261206-101500F", phase, ""};
}

controllers::RestoreStep next(const char* phase, ShardRestoreView seen) {
  return controllers::next_restore_step("r1", entry(phase), seen);
}

}  // namespace

TEST_CASE("restore: a shard is stopped, cut back, emptied and started, in that order", "[controllers][restore]") {
  ShardRestoreView seen{.exists = true};
  auto s = next("Pending", seen);
  CHECK((s.phase == "Stopping" && s.action == RestoreAction::Hold));

  seen.held_by = "r1";
  seen.pods = 2;
  s = next("Stopping", seen);
  CHECK((s.phase == "Stopping" && s.action == RestoreAction::None));
  CHECK(s.message == "2 pool pod(s) still running");

  seen.pods = 0;
  seen.claims = 2;
  s = next("Stopping", seen);
  CHECK((s.phase == "Pruning" && s.action == RestoreAction::CreateJob));
  seen.job = "Running";
  CHECK(next("Pruning", seen).action == RestoreAction::None);
  seen.job = "Succeeded";
  s = next("Pruning", seen);
  CHECK((s.phase == "Pruning" && s.action == RestoreAction::DeleteClaims));
  seen.claims = 0;
  s = next("Pruning", seen);
  CHECK((s.phase == "Starting" && s.action == RestoreAction::Release));

  seen.held_by = "";
  s = next("Starting", seen);
  CHECK((s.phase == "Starting" && s.action == RestoreAction::None));
  seen.serving = true;
  s = next("Starting", seen);
  CHECK(s.phase == "Completed");
  CHECK(s.message == "restored 20261206-101500F");
}

TEST_CASE("restore: a failed cut releases the shard; another restore's hold waits; a gone shard fails",
          "[controllers][restore]") {
  ShardRestoreView seen{.exists = true, .held_by = "r1", .job = "Failed"};
  auto s = next("Pruning", seen);
  CHECK((s.phase == "Failed" && s.action == RestoreAction::Release));

  seen = {.exists = true, .held_by = "r0"};
  s = next("Pending", seen);
  CHECK((s.phase == "Pending" && s.action == RestoreAction::None));
  CHECK(s.message == "waits: MultigresRestore r0 holds this shard");

  CHECK(next("Stopping", {}).phase == "Failed");
}

TEST_CASE("restore: the phases of the shards add up", "[controllers][restore]") {
  api::MultigresRestoreStatus status;
  status.shards = {entry("Completed"), entry("Starting")};
  status.shards[1].message = "waiting";
  controllers::roll_up(status, "t1");
  CHECK(status.phase == "Running");
  CHECK(status.message == "postgres/default/0-inf: waiting");
  status.shards[1].phase = "Completed";
  controllers::roll_up(status, "t2");
  CHECK(status.phase == "Completed");
  CHECK(status.completionTime == "t2");
  CHECK(status.message == "2 shard(s) restored");
}

TEST_CASE("restore job: pgBackRest on the shard's repository, as the pool's user, run once", "[build][restore]") {
  const api::Shard shard = test::shard();
  api::OwnerReference owner{"multigres.com/v1alpha1", "MultigresRestore", "r1", "uid-1", true, true};
  const json::Document job = api::encode(build::restore_prune_job(shard, "r1", "20261206-101500F", owner));
  CHECK(json::string_at(job, "kind") == "Job");
  CHECK(json::int_at(job, "spec.backoffLimit") == 0);
  const json::Value& pod = *json::at_path(job, "spec.template.spec");
  CHECK(json::string_at(pod, "restartPolicy") == "Never");
  CHECK(json::int_at(pod, "securityContext.runAsUser") == 999);
  const json::Value& c = pod["containers"][0];
  CHECK(json::string_at(c, "image") == shard.spec.environment.images.postgres);
  CHECK(std::string(c["command"][3].GetString()) == "20261206-101500F");
  CHECK(json::string_at(pod["volumes"][0], "persistentVolumeClaim.claimName").find("backup") != std::string::npos);
  CHECK(json::string_at((*json::at_path(job, "metadata.ownerReferences"))[0], "name") == "r1");
  // The program says what it kept and refuses a label the repository does not have.
  CHECK(build::restore_prune_program().find("is not in the repository") != std::string::npos);
}
