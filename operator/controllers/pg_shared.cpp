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

const json::Value* finalizers_of(const json::Value& object) {
  const json::Value* f = json::at_path(object, "metadata.finalizers");
  return f != nullptr && f->IsArray() ? f : nullptr;
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

bool has_postgres_finalizer(const json::Value& object) {
  const json::Value* f = finalizers_of(object);
  if (f == nullptr) return false;
  return std::any_of(f->Begin(), f->End(), [](const json::Value& v) { return v.IsString() && std::string(v.GetString()) == kPostgresFinalizer; });
}

Result<void> set_postgres_finalizer(Context& ctx, const json::Value& object, bool wanted) {
  if (has_postgres_finalizer(object) == wanted) return {};
  json::Document body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  json::Value list(rapidjson::kArrayType);
  if (const json::Value* f = finalizers_of(object)) {
    for (const auto& v : f->GetArray()) {
      if (v.IsString() && std::string(v.GetString()) != kPostgresFinalizer) list.PushBack(json::Value(v, a), a);
    }
  }
  if (wanted) list.PushBack(json::str(kPostgresFinalizer, a), a);
  json::Value meta(rapidjson::kObjectType);
  meta.AddMember("resourceVersion", json::str(json::get_string(*json::find(object, "metadata"), "resourceVersion"), a), a);
  meta.AddMember("finalizers", list, a);
  body.AddMember("metadata", meta, a);
  const kube::ObjectRef ref = kube::ObjectRef::of(object);
  auto reply = ctx.client.patch(ref, kube::PatchType::Merge, json::to_json(body));
  if (!reply.ok()) return reply.error().with_context("updating the finalizers of " + ref.describe());
  return {};
}

void event_on_change(Context& ctx, const json::Value& object, const std::vector<api::Condition>& before,
                     const std::vector<api::Condition>& after, const std::string& type) {
  const api::Condition* now = status::find_condition(after, type);
  if (now == nullptr) return;
  const api::Condition* was = status::find_condition(before, type);
  const bool good = now->status == status::kTrue;
  if (good && (was == nullptr || was->status == status::kTrue)) return;
  if (!good && was != nullptr && was->status == now->status && was->reason == now->reason) return;
  ctx.events.event(runtime::EventRecorder::regarding(object), good ? runtime::EventType::Normal : runtime::EventType::Warning,
                   now->reason, type, now->message);
}

}  // namespace mg::controllers
