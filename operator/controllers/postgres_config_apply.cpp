// operator/controllers/postgres_config_apply.cpp
#include "operator/controllers/postgres_config_apply.hpp"

#include "common/build/pool_containers.hpp"
#include "common/build/postgres_config.hpp"
#include "common/naming/labels.hpp"
#include "common/resolve/defaults.hpp"
#include "operator/controllers/pg_connection.hpp"
#include "operator/controllers/postgres_config_plan.hpp"

namespace mg::controllers {
namespace {

// Short: an unreachable pod must not hold the shard's worker for long.
constexpr std::chrono::seconds kConnectTimeout{5};

SettingsPod settings_pod(const json::Value& pod) {
  return SettingsPod{json::string_at(pod, "metadata.name"), json::string_at(pod, "status.podIP"), deleting(pod),
                     json::annotation(pod, naming::kPostgresConfigAppliedAnnotation)};
}

const json::Value* find_pod(const std::vector<ObjectPtr>& pods, const std::string& name) {
  for (const ObjectPtr& pod : pods) {
    if (json::string_at(*pod, "metadata.name") == name) return pod.get();
  }
  return nullptr;
}

}  // namespace

api::PostgresConfigStatus apply_postgres_config(Context& ctx, const json::Value& object, const api::Shard& shard,
                                                const std::vector<ObjectPtr>& pods) {
  const std::string hash = build::postgres_config_hash(shard);
  std::vector<SettingsPod> all;
  for (const ObjectPtr& pod : pods) all.push_back(settings_pod(*pod));
  const std::vector<SettingsPod> todo = pods_to_reload(all, hash, kMaxReloadsPerPass);
  std::vector<std::string> applied_now;
  std::vector<std::string> problems;
  if (todo.empty()) return postgres_config_status(hash, all, applied_now, problems);
  if (!ctx.reload_settings) {
    problems.push_back("not applied live: the operator runs outside the cluster network and cannot reach the pods");
    return postgres_config_status(hash, all, applied_now, problems);
  }
  const auto& secret = shard.spec.environment.passwordSecret;
  auto password = secret_value(ctx, shard.metadata.namespace_, secret.name, secret.key);
  if (!password.ok()) {
    problems.push_back("reading the postgres password: " + password.error().message);
    return postgres_config_status(hash, all, applied_now, problems);
  }
  const std::string path = build::postgres_config_path();
  for (const SettingsPod& pod : todo) {
    MultigresEndpoint endpoint{pod.ip, resolve::kPostgresPort, build::kPostgresUser, {}};
    pg::ConnectionSettings settings{.dsn = endpoint_dsn(endpoint, *password), .connect_timeout = kConnectTimeout};
    auto rows = ctx.reload_settings(settings, path);
    std::string problem =
        rows.ok() ? settings_file_problem(shard.spec.postgresConfig, *rows, path) : rows.error().message;
    if (problem.empty()) {
      const json::Value* object = find_pod(pods, pod.name);
      auto written = ctx.writer.patch_metadata(
          *object, {.annotations = {{naming::kPostgresConfigAppliedAnnotation, hash}}, .same_uid = true});
      if (written.ok()) {
        applied_now.push_back(pod.name);
        continue;
      }
      problem = written.error().message;
    }
    problems.push_back(pod.name + ": " + problem);
  }
  if (!applied_now.empty()) {
    std::string names;
    for (const auto& name : applied_now) names += (names.empty() ? "" : ", ") + name;
    ctx.events.event(runtime::EventRegarding::of(object), runtime::EventType::Normal, "PostgresConfigReloaded",
                     "Reload", "PostgreSQL settings " + hash + " loaded on " + names);
  }
  return postgres_config_status(hash, all, applied_now, problems);
}

}  // namespace mg::controllers
