// tests/unit/controllers/postgres_config_plan_test.cpp: the live apply of postgresConfig as pure
// decisions: which pods to reach, whether a pod's PostgreSQL reads the wanted file, and the status.
#include "operator/controllers/postgres_config_plan.hpp"

#include <catch2/catch.hpp>

using namespace mg;
using controllers::SettingsPod;

namespace {

const std::string kPath = "/etc/postgres-config/postgresql.conf";

std::vector<pg::FileSetting> rows(const std::map<std::string, std::string>& settings) {
  std::vector<pg::FileSetting> out;
  for (const auto& [name, value] : settings) out.push_back({name, value, ""});
  return out;
}

}  // namespace

TEST_CASE("pods to reload: on another hash, with an address, not deleting, at most the limit",
          "[controllers][postgres-config]") {
  std::vector<SettingsPod> pods = {{"p0", "10.0.0.1", false, "h1"}, {"p1", "10.0.0.2", false, "old"},
                                   {"p2", "", false, ""},           {"p3", "10.0.0.4", true, ""},
                                   {"p4", "10.0.0.5", false, ""},   {"p5", "10.0.0.6", false, ""}};
  auto todo = controllers::pods_to_reload(pods, "h1", 2);
  REQUIRE(todo.size() == 2);
  CHECK(todo[0].name == "p1");
  CHECK(todo[1].name == "p4");
  CHECK(controllers::pods_to_reload(pods, "h1", 8).size() == 3);
}

TEST_CASE("what a pod's PostgreSQL reads from the file against what the shard wants",
          "[controllers][postgres-config]") {
  const std::map<std::string, std::string> desired = {{"work_mem", "8MB"}, {"shared_buffers", "256MB"}};
  SECTION("the same settings: applied") {
    CHECK(controllers::settings_file_problem(desired, rows(desired), kPath).empty());
  }
  SECTION("an older file: the kubelet has not refreshed the mount") {
    auto problem =
        controllers::settings_file_problem(desired, rows({{"work_mem", "4MB"}, {"shared_buffers", "256MB"}}), kPath);
    CHECK(problem == "the kubelet has not refreshed " + kPath + " on the pod yet");
  }
  SECTION("nothing read: the data directory has no include") {
    CHECK(controllers::settings_file_problem(desired, {}, kPath).find("without the include") != std::string::npos);
  }
  SECTION("a reloadable setting PostgreSQL refuses is reported; a restart-only one waits for the restart") {
    auto read = rows(desired);
    read[0].error = "setting could not be applied";  // shared_buffers (sorted first): restart-class
    CHECK(controllers::settings_file_problem(desired, read, kPath).empty());
    read[1].error = "setting could not be applied";  // work_mem
    CHECK(controllers::settings_file_problem(desired, read, kPath) ==
          "PostgreSQL did not apply work_mem = '8MB' (setting could not be applied); its log says why: correct the "
          "value in postgresConfig");
  }
  SECTION("an empty postgresConfig read as nothing is applied") {
    CHECK(controllers::settings_file_problem({}, {}, kPath).empty());
  }
}

TEST_CASE("the status counts pods on the hash and names the first problem", "[controllers][postgres-config]") {
  std::vector<SettingsPod> pods = {{"p0", "ip", false, "h"}, {"p1", "ip", false, ""}, {"p2", "ip", true, ""}};
  auto all = controllers::postgres_config_status("h", pods, {"p1"}, {});
  CHECK(all.hash == "h");
  CHECK(all.pods == 2);
  CHECK(all.podsApplied == 2);
  CHECK(all.message.empty());
  auto pending = controllers::postgres_config_status("h", pods, {}, {});
  CHECK(pending.podsApplied == 1);
  CHECK(pending.message == "1 pod(s) not yet reloaded");
  auto failed = controllers::postgres_config_status("h", pods, {}, {"p1: connection refused"});
  CHECK(failed.message == "p1: connection refused");
}
