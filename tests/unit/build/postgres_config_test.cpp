// tests/unit/build/postgres_config_test.cpp: the shard's settings file, its ConfigMap and include, the
// restart hash on the pool pod template, and initdbArgs on pgctld's command line.
#include "common/build/postgres_config.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "common/build/pool.hpp"
#include "tests/unit/build/fixtures.hpp"

using namespace mg;

namespace {

std::string restart_annotation(const api::Shard& shard) {
  return build::pool_stateful_set(shard, "default")
      .spec.template_.metadata.annotations.at(naming::kPostgresRestartHashAnnotation);
}

}  // namespace

TEST_CASE("the settings file: sorted lines, values quoted so PostgreSQL reads them back unchanged",
          "[build][postgres-config]") {
  const std::string file = build::render_postgres_config(
      {{"work_mem", "8MB"}, {"search_path", "\"$user\", public"}, {"application_name", "it's a\\b"}});
  CHECK(
      file.ends_with("application_name = 'it''s a\\\\b'\n"
                     "search_path = '\"$user\", public'\n"
                     "work_mem = '8MB'\n"));
  CHECK(file.starts_with("# "));
}

TEST_CASE("the ConfigMap holds the file and the include pgctld appends at initdb", "[build][postgres-config]") {
  api::Shard shard = test::shard();
  shard.spec.postgresConfig = {{"work_mem", "8MB"}};
  const auto cm = build::postgres_config_map(shard);
  CHECK(cm.metadata.name ==
        naming::postgres_config_map(naming::ShardKey{shard.spec.environment.clusterName, shard.spec.databaseName,
                                                     shard.spec.tableGroupName, shard.spec.shardName}));
  CHECK(cm.data.at(build::kPostgresConfigKey) == build::render_postgres_config(shard.spec.postgresConfig));
  CHECK(cm.data.at(build::kPostgresIncludeKey) == "include_if_exists = '/etc/postgres-config/postgresql.conf'\n");
  CHECK(cm.metadata.ownerReferences.at(0).kind == "Shard");
}

TEST_CASE("only a setting read at start changes the pool pod template", "[build][postgres-config]") {
  api::Shard shard = test::shard();
  shard.spec.postgresConfig = {{"shared_buffers", "128MB"}, {"work_mem", "4MB"}};
  const std::string before = restart_annotation(shard);
  const std::string reload_hash = build::postgres_config_hash(shard);

  shard.spec.postgresConfig["work_mem"] = "8MB";  // reloaded live: same template
  CHECK(restart_annotation(shard) == before);
  CHECK(build::postgres_config_hash(shard) != reload_hash);

  shard.spec.postgresConfig["shared_buffers"] = "256MB";  // read at start: the pods roll
  CHECK(restart_annotation(shard) != before);
}

TEST_CASE("initdbArgs reach pgctld as one flag; without them the flag is absent", "[build][postgres-config]") {
  api::Shard shard = test::shard();
  auto args = [&] { return build::pool_stateful_set(shard, "default").spec.template_.spec.initContainers.at(0).args; };
  auto has_initdb_flag = [](const std::vector<std::string>& a) {
    return std::any_of(a.begin(), a.end(), [](const std::string& s) { return s.starts_with("--pg-initdb-args"); });
  };
  CHECK_FALSE(has_initdb_flag(args()));
  shard.spec.initdbArgs = "--locale=C --encoding=UTF8";
  const auto with = args();
  CHECK(std::find(with.begin(), with.end(), "--pg-initdb-args=--locale=C --encoding=UTF8") != with.end());
}
