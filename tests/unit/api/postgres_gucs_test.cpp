// tests/unit/api/postgres_gucs_test.cpp: which PostgreSQL settings a user may set, which need a restart,
// and the shape of names and values.
#include "common/api/postgres_gucs.hpp"

#include <catch2/catch.hpp>

using namespace mg;

TEST_CASE("postgresConfig names: lower-case identifiers, one dot for an extension's setting",
          "[api][postgres-config]") {
  for (const char* ok : {"work_mem", "pg_stat_statements.max", "auto_explain.log_min_duration", "_x1"}) {
    INFO(ok);
    CHECK_FALSE(api::guc_entry_problem(ok, "1").has_value());
  }
  for (const char* bad : {"", "Work_Mem", "1abc", "a.b.c", "a.", ".a", "a-b", "a b", "a..b"}) {
    INFO(bad);
    auto problem = api::guc_entry_problem(bad, "1");
    REQUIRE(problem.has_value());
    CHECK(problem->find("is not a PostgreSQL setting name") != std::string::npos);
  }
  CHECK(api::guc_entry_problem(std::string(api::kMaxGucNameLength + 1, 'a'), "1").has_value());
  CHECK_FALSE(api::guc_entry_problem(std::string(api::kMaxGucNameLength, 'a'), "1").has_value());
}

TEST_CASE("settings Multigres owns are refused; values are bounded and on one line", "[api][postgres-config]") {
  for (const char* pinned : {"port", "data_directory", "primary_conninfo", "synchronous_standby_names", "wal_level",
                             "archive_command", "include_dir", "recovery_target_time", "ssl"}) {
    INFO(pinned);
    CHECK(api::is_pinned_guc(pinned));
    CHECK(api::guc_entry_problem(pinned, "x")->find("set by Multigres or the operator") != std::string::npos);
  }
  CHECK_FALSE(api::is_pinned_guc("shared_buffers"));
  CHECK_FALSE(api::guc_entry_problem("application_name", std::string(api::kMaxGucValueLength, 'v')).has_value());
  CHECK(api::guc_entry_problem("application_name", std::string(api::kMaxGucValueLength + 1, 'v'))->find("shorten") !=
        std::string::npos);
  CHECK(api::guc_entry_problem("application_name", "a\nb")->find("line break") != std::string::npos);
  CHECK(api::guc_entry_problem("application_name", std::string("a\0b", 3)).has_value());
  CHECK_FALSE(api::guc_entry_problem("search_path", "\"$user\", 'public'").has_value());  // quotes are escaped
}

TEST_CASE("settings PostgreSQL reads only at start need a restart; the rest reload", "[api][postgres-config]") {
  for (const char* restart : {"shared_buffers", "max_connections", "shared_preload_libraries", "max_wal_senders",
                              "max_worker_processes", "huge_pages", "wal_buffers"}) {
    INFO(restart);
    CHECK(api::guc_needs_restart(restart));
  }
  for (const char* live : {"work_mem", "effective_cache_size", "log_min_duration_statement", "statement_timeout",
                           "pg_stat_statements.max", "autovacuum_naptime"}) {
    INFO(live);
    CHECK_FALSE(api::guc_needs_restart(live));
  }
}

TEST_CASE("initdbArgs: one line", "[api][postgres-config]") {
  CHECK_FALSE(api::initdb_args_problem("--locale=C --encoding=UTF8").has_value());
  CHECK(api::initdb_args_problem("--locale=C\n--x").has_value());
}
