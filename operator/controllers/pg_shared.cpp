// operator/controllers/pg_shared.cpp
#include "operator/controllers/pg_shared.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/kube/encoding.hpp"
#include "common/status/conditions.hpp"
#include "common/status/postgres.hpp"
#include "operator/controllers/condition_events.hpp"

namespace mg::controllers {
namespace {

//! The directory for CA files libpq reads ($TMPDIR, else /tmp), private to the operator's user.
Result<std::filesystem::path> ca_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::filesystem::path dir = std::filesystem::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") / "multigres-operator-pg";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error(ErrorCode::Internal, "creating " + dir.string() + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);
  return dir;
}

//! Writes the CA of `cluster` to <dir>/<cluster>-ca.crt unless the file already holds it; returns the path.
Result<std::string> write_ca(const std::string& cluster, const std::string& pem) {
  auto dir = ca_dir();
  if (!dir.ok()) return dir.error();
  const std::filesystem::path path = *dir / (cluster + "-ca.crt");
  {
    std::ifstream in(path, std::ios::binary);
    std::stringstream current;
    current << in.rdbuf();
    if (in && current.str() == pem) return path.string();
  }
  const std::filesystem::path part = path.string() + ".part";
  {
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    out << pem;
    if (!out.flush()) return make_error(ErrorCode::Internal, "writing " + part.string());
  }
  std::error_code ec;
  std::filesystem::rename(part, path, ec);
  if (ec) return make_error(ErrorCode::Internal, "writing " + path.string() + ": " + ec.message());
  return path.string();
}

}  // namespace

pg::Pool& pg_pool() {
  // Function-local: made on first use, outlives every reconcile (the controllers stop before exit).
  static pg::Pool pool;
  return pool;
}

Result<ServerTarget> server_target(Context& ctx, const api::DatabaseCluster& cluster) {
  ServerTarget out;
  out.target.cluster = cluster.metadata.name;
  pg::ConnectionSettings& settings = out.target.settings;
  const api::DatabaseClusterSpec& spec = cluster.spec;
  if (spec.dsnSecretRef) {
    const auto& ref = *spec.dsnSecretRef;
    auto dsn = secret_value(ctx, ref.namespace_, ref.name, ref.key);
    if (!dsn.ok()) return dsn.error().with_context("spec.dsnSecretRef");
    auto address = parse_dsn(*dsn);
    if (!address.ok()) {
      return address.error().with_context("spec.dsnSecretRef: Secret " + ref.namespace_ + "/" + ref.name + " key \"" + ref.key + "\"");
    }
    settings.dsn = std::move(*dsn);
    out.address = std::move(*address);
  } else if (spec.multigresClusterRef) {
    const auto& ref = *spec.multigresClusterRef;
    ObjectPtr object = ctx.caches.clusters->get(ref.namespace_, ref.name);
    if (!object) {
      return make_error(ErrorCode::NotFound, "spec.multigresClusterRef: MultigresCluster " + ref.namespace_ + "/" + ref.name + " does not exist");
    }
    auto mgc = decode_cached<api::MultigresCluster>(*object);
    if (!mgc.ok()) return mgc.error();
    auto endpoint = multigres_endpoint(*mgc);
    if (!endpoint.ok()) return endpoint.error().with_context("spec.multigresClusterRef");
    auto password = secret_value(ctx, endpoint->password.namespace_, endpoint->password.name, endpoint->password.key);
    if (!password.ok()) return password.error().with_context("the password of MultigresCluster " + ref.namespace_ + "/" + ref.name);
    settings.dsn = endpoint_dsn(*endpoint, *password);
    out.address = ServerAddress{endpoint->host, std::to_string(endpoint->port), endpoint->user, ""};
  } else {
    return make_invalid("spec: set dsnSecretRef or multigresClusterRef");
  }
  settings.sslmode = spec.sslmode;
  if (spec.caSecretRef) {
    const auto& ref = *spec.caSecretRef;
    auto pem = secret_value(ctx, ref.namespace_, ref.name, ref.key);
    if (!pem.ok()) return pem.error().with_context("spec.caSecretRef");
    auto path = write_ca(cluster.metadata.name, *pem);
    if (!path.ok()) return path.error();
    settings.ca_file = *path;
  }
  return out;
}

std::chrono::seconds check_interval_of(const api::DatabaseCluster& cluster) {
  auto interval = status::check_interval(cluster.spec.checkInterval);
  return interval.ok() ? *interval : status::kDefaultCheckInterval;
}

std::optional<api::DatabaseCluster> database_cluster(const Context& ctx, const std::string& name) {
  ObjectPtr object = ctx.caches.database_clusters->get("", name);
  if (!object) return std::nullopt;
  auto decoded = decode_cached<api::DatabaseCluster>(*object);
  if (!decoded.ok()) return std::nullopt;
  return std::move(*decoded);
}

void event_on_change(Context& ctx, const json::Value& object, const std::vector<api::Condition>& before,
                     const std::vector<api::Condition>& after, const std::string& type) {
  if (auto e = failure_event(before, after, type)) {
    ctx.events.event(runtime::EventRegarding::of(object), e->type, e->reason, type, e->note);
  }
}

}  // namespace mg::controllers
