// tests/unit/controllers/schedule_plan_test.cpp: when a MultigresBackupSchedule makes a backup, which it
// prunes, and when retention runs; and the controller against the in-memory boundary.
#include "operator/controllers/schedule_plan.hpp"

#include <catch2/catch.hpp>

#include "common/naming/labels.hpp"
#include "common/util/time.hpp"
#include "operator/controllers/controllers.hpp"
#include "tests/unit/controllers/memory_boundary.hpp"

using namespace mg;
using controllers::ScheduledBackup;

namespace {

controllers::TimePoint at(const char* text) {
  return *util::parse_rfc3339(text);
}

util::CronSchedule every_minute() {
  return *util::CronSchedule::parse("* * * * *");
}

api::MultigresBackupScheduleSpec spec() {
  api::MultigresBackupScheduleSpec s;
  s.schedule = "* * * * *";
  s.backup.clusterName = "shop";
  return s;
}

}  // namespace

TEST_CASE("schedule: the latest run after the last one is made, once", "[controllers][schedule]") {
  const auto created = at("2026-12-06T10:00:30Z");
  auto d = controllers::plan_schedule(every_minute(), spec(), std::nullopt, created, at("2026-12-06T10:00:50Z"), {});
  CHECK_FALSE(d.run);  // 10:00 came before the schedule
  CHECK(util::format_rfc3339(*d.next) == "2026-12-06T10:01:00Z");

  d = controllers::plan_schedule(every_minute(), spec(), std::nullopt, created, at("2026-12-06T10:03:10Z"), {});
  REQUIRE(d.run);
  CHECK(util::format_rfc3339(*d.run) == "2026-12-06T10:03:00Z");  // the missed 10:01 and 10:02 are not made
  CHECK(controllers::scheduled_backup_name("nightly", *d.run) == "nightly-29942523");

  // Made (its status write lost): its backup counts as the last run.
  d = controllers::plan_schedule(every_minute(), spec(), std::nullopt, created, at("2026-12-06T10:03:20Z"),
                                 {{"nightly-29942523", at("2026-12-06T10:03:00Z"), "Completed", ""}});
  CHECK_FALSE(d.run);
}

TEST_CASE("schedule: suspended, busy or past its deadline, the run is not made", "[controllers][schedule]") {
  auto s = spec();
  const auto created = at("2026-12-06T09:00:00Z");
  const auto last = at("2026-12-06T10:00:00Z");
  s.suspend = true;
  auto d = controllers::plan_schedule(every_minute(), s, last, created, at("2026-12-06T10:05:00Z"), {});
  CHECK_FALSE(d.run);
  CHECK_FALSE(d.next);
  CHECK(d.message == "suspended");

  s.suspend = false;
  d = controllers::plan_schedule(every_minute(), s, last, created, at("2026-12-06T10:05:00Z"),
                                 {{"b-1", last, "Running", ""}});
  CHECK_FALSE(d.run);
  CHECK(d.active == std::vector<std::string>{"b-1"});
  CHECK(d.message == "the run of 2026-12-06T10:05:00Z waits: b-1 has not finished");

  s.startingDeadlineSeconds = 30;
  d = controllers::plan_schedule(every_minute(), s, last, created, at("2026-12-06T10:05:45Z"), {});
  CHECK_FALSE(d.run);
  CHECK(d.message == "skipped the run of 2026-12-06T10:05:00Z: missed by more than startingDeadlineSeconds");
  d = controllers::plan_schedule(every_minute(), s, last, created, at("2026-12-06T10:05:20Z"), {});
  CHECK(d.run);
}

TEST_CASE("schedule: finished backups beyond the history limits go, newest kept", "[controllers][schedule]") {
  auto s = spec();
  s.successfulBackupsHistoryLimit = 2;
  std::vector<ScheduledBackup> owned = {{"b-1", at("2026-12-06T10:01:00Z"), "Completed", "2026-12-06T10:01:09Z"},
                                        {"b-3", at("2026-12-06T10:03:00Z"), "Completed", "2026-12-06T10:03:09Z"},
                                        {"b-2", at("2026-12-06T10:02:00Z"), "Failed", ""},
                                        {"b-0", at("2026-12-06T10:00:00Z"), "Failed", ""},
                                        {"b-4", at("2026-12-06T10:04:00Z"), "Completed", "2026-12-06T10:04:09Z"}};
  auto d = controllers::plan_schedule(every_minute(), s, at("2026-12-06T10:04:00Z"), at("2026-12-06T09:00:00Z"),
                                      at("2026-12-06T10:04:30Z"), owned);
  CHECK(d.remove == std::vector<std::string>{"b-1", "b-0"});  // default: one Failed kept
  CHECK(d.last_successful_time == "2026-12-06T10:04:09Z");

  CHECK_FALSE(controllers::retention_due(s, std::nullopt, owned));  // retention unset
  s.retention = api::BackupRetention{2};
  CHECK(controllers::retention_due(s, std::nullopt, owned) == "b-4");
  CHECK_FALSE(controllers::retention_due(s, api::RetentionRun{"b-4", "", {}, ""}, owned));
}

TEST_CASE("schedule controller: a run becomes a MultigresBackup the schedule owns", "[controllers][schedule]") {
  test::MemoryBoundary api;
  api.now = at("2026-12-06T10:00:30Z");
  api.create(R"(apiVersion: multigres.com/v1alpha1
kind: MultigresBackupSchedule
metadata: {namespace: demo, name: nightly}
spec:
  schedule: "*/5 * * * *"
  backup: {clusterName: shop, type: differential}
)");
  const auto reconcile = controllers::multigres_backup_schedule_reconciler(api.ctx);
  auto result = test::reconcile_ok(reconcile, "demo/nightly");
  CHECK(api.all("MultigresBackup").empty());
  REQUIRE(result.requeue_after);
  CHECK(*result.requeue_after == std::chrono::seconds(4 * 60 + 31));  // wakes just after 10:05

  api.now = at("2026-12-06T10:05:01Z");
  test::reconcile_ok(reconcile, "demo/nightly");
  const auto backup = api.only("MultigresBackup");
  CHECK(json::string_at(*backup, "metadata.name") == "nightly-29942525");
  CHECK(json::annotation(*backup, naming::kScheduledAtAnnotation) == "2026-12-06T10:05:00Z");
  CHECK(json::string_at(*backup, "spec.type") == "differential");
  CHECK(json::string_at((*json::at_path(*backup, "metadata.ownerReferences"))[0], "name") == "nightly");
  const auto schedule = api.only("MultigresBackupSchedule");
  CHECK(json::string_at(*schedule, "status.lastScheduleTime") == "2026-12-06T10:05:00Z");
  CHECK(json::string_at(*schedule, "status.nextScheduleTime") == "2026-12-06T10:10:00Z");
  CHECK(std::string((*json::at_path(*schedule, "status.active"))[0].GetString()) == "nightly-29942525");
  CHECK(api.events.back().reason == "BackupScheduled");

  // Again at the same minute: nothing new.
  const size_t mark = api.writes.size();
  test::reconcile_ok(reconcile, "demo/nightly");
  CHECK(api.writes_since(mark).empty());
}

TEST_CASE("schedule controller: a schedule that is no cron says so in its status", "[controllers][schedule]") {
  test::MemoryBoundary api;
  api.create(R"(apiVersion: multigres.com/v1alpha1
kind: MultigresBackupSchedule
metadata: {namespace: demo, name: bad}
spec:
  schedule: "61 * * * *"
  backup: {clusterName: shop}
)");
  auto result = test::reconcile_ok(controllers::multigres_backup_schedule_reconciler(api.ctx), "demo/bad");
  CHECK_FALSE(result.requeue_after);
  CHECK(json::string_at(*api.only("MultigresBackupSchedule"), "status.message") ==
        "spec.schedule: minute 61 is outside 0-59");
}
