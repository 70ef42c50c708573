// tests/unit/util/cron_test.cpp: cron schedules as crontab(5) reads them, and their next and last runs.
#include "common/util/cron.hpp"

#include <catch2/catch.hpp>

#include "common/util/time.hpp"

using mg::util::CronSchedule;

namespace {

CronSchedule::TimePoint at(const char* text) {
  return *mg::util::parse_rfc3339(text);
}

std::string next(const char* cron, const char* after) {
  auto schedule = CronSchedule::parse(cron);
  REQUIRE(schedule.ok());
  auto t = schedule->next_after(at(after));
  return t ? mg::util::format_rfc3339(*t) : "none";
}

std::string last(const char* cron, const char* at_or_before) {
  auto schedule = CronSchedule::parse(cron);
  REQUIRE(schedule.ok());
  auto t = schedule->last_at_or_before(at(at_or_before));
  return t ? mg::util::format_rfc3339(*t) : "none";
}

std::string problem(std::string_view cron) {
  auto schedule = CronSchedule::parse(cron);
  return schedule.ok() ? "" : schedule.error().message;
}

}  // namespace

TEST_CASE("cron: the next run is the first named minute strictly after", "[util][cron]") {
  CHECK(next("* * * * *", "2026-12-06T10:00:30Z") == "2026-12-06T10:01:00Z");
  CHECK(next("* * * * *", "2026-12-06T10:01:00Z") == "2026-12-06T10:02:00Z");
  CHECK(next("*/15 * * * *", "2026-12-06T10:14:59Z") == "2026-12-06T10:15:00Z");
  CHECK(next("30 2 * * *", "2026-12-06T03:00:00Z") == "2026-12-07T02:30:00Z");
  CHECK(next("0 0 1 1 *", "2026-12-06T00:00:00Z") == "2027-01-01T00:00:00Z");
  CHECK(next("@hourly", "2026-12-06T10:00:00Z") == "2026-12-06T11:00:00Z");
  CHECK(next("@weekly", "2026-12-06T10:00:00Z") == "2026-12-13T00:00:00Z");  // 2026-12-06 is a Sunday
  CHECK(next("0 9 * * mon-fri", "2026-12-05T12:00:00Z") == "2026-12-07T09:00:00Z");
  CHECK(next("0 0 29 2 *", "2026-03-01T00:00:00Z") == "2028-02-29T00:00:00Z");
  CHECK(next("0 0 30 2 *", "2026-03-01T00:00:00Z") == "none");
}

TEST_CASE("cron: restricted day fields run on either; a starred one does not restrict", "[util][cron]") {
  // The 13th, or any Friday (Vixie cron's rule).
  CHECK(next("0 0 13 * fri", "2026-12-06T00:00:00Z") == "2026-12-11T00:00:00Z");
  CHECK(next("0 0 13 * fri", "2026-12-11T00:00:00Z") == "2026-12-13T00:00:00Z");
  // A day field that starts with * does not restrict, so the other alone decides.
  CHECK(next("0 0 1 * *", "2026-12-06T00:00:00Z") == "2027-01-01T00:00:00Z");
  // */2 starts with * too: both fields must match, the 1st on a Sunday, Tuesday, Thursday or Saturday.
  CHECK(next("0 0 1 * */2", "2026-12-06T00:00:00Z") == "2027-04-01T00:00:00Z");
  CHECK(next("0 0 * * 7", "2026-12-06T00:00:00Z") == "2026-12-13T00:00:00Z");  // 7 is Sunday too
}

TEST_CASE("cron: the last run at or before", "[util][cron]") {
  CHECK(last("* * * * *", "2026-12-06T10:00:30Z") == "2026-12-06T10:00:00Z");
  CHECK(last("0 * * * *", "2026-12-06T10:00:00Z") == "2026-12-06T10:00:00Z");
  CHECK(last("30 2 * * *", "2026-12-06T02:29:59Z") == "2026-12-05T02:30:00Z");
  CHECK(last("0 0 1 jan *", "2026-12-06T00:00:00Z") == "2026-01-01T00:00:00Z");
  CHECK(last("1-5/2 3,4 * * *", "2026-12-06T04:04:00Z") == "2026-12-06T04:03:00Z");
}

TEST_CASE("cron: a text that is no schedule names the field and what it holds", "[util][cron]") {
  CHECK(problem("* * * *") ==
        "has 4 fields; a cron schedule has five: minute hour day-of-month month day-of-week (UTC)");
  CHECK(problem("61 * * * *") == "minute 61 is outside 0-59");
  CHECK(problem("* 24 * * *") == "hour 24 is outside 0-23");
  CHECK(problem("* * 0 * *") == "day of month 0 is outside 1-31");
  CHECK(problem("* * * foo *") == "month \"foo\" is not a number or a name");
  CHECK(problem("*/0 * * * *") == "minute step \"0\" is not a number from 1 to 59");
  CHECK(problem("5-1 * * * *") == "minute range 5-1 runs backwards");
  CHECK(problem("1,,2 * * * *") == "minute \"\" is not a number");
  CHECK(problem("@every 5m") ==
        "\"@every 5m\" is not a macro: use @yearly, @monthly, @weekly, @daily, @hourly or five fields");
  CHECK(problem(std::string(200, '*')) == "is 200 bytes long; a cron schedule has at most 128");
  CHECK(problem("99999999999 * * * *") == "minute \"99999999999\" is not a number");
  CHECK(problem("0 0 * * SUN") == "");
}
