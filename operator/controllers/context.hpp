// operator/controllers/context.hpp
//! What every controller shares: the caches it reads, the Writer it writes through, the event
//! sink, the clock (all four behind the interfaces of runtime/boundary.hpp, so tests fake them), and the steps every
//! controller takes the same way (apply the children and delete the ones no longer wanted; write the status only when
//! it changed; tell owners' transitions).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/api/children.hpp"
#include "common/api/meta.hpp"
#include "common/kube/client.hpp"
#include "common/pg/pg.hpp"
#include "common/topo/etcd.hpp"
#include "common/topo/multiadmin.hpp"
#include "operator/runtime/boundary.hpp"
#include "operator/runtime/informer.hpp"
#include "operator/runtime/secret_data.hpp"

namespace mg::controllers {

using runtime::ObjectPtr;
using runtime::ObjectStore;

//! One cache per kind the operator reads (an Informer in the operator).
struct Caches {
  ObjectStore* clusters = nullptr;
  ObjectStore* cell_templates = nullptr;
  ObjectStore* shard_templates = nullptr;
  ObjectStore* topo_servers = nullptr;
  ObjectStore* cells = nullptr;
  ObjectStore* table_groups = nullptr;
  ObjectStore* shards = nullptr;
  ObjectStore* backups = nullptr;
  ObjectStore* backup_schedules = nullptr;
  ObjectStore* restores = nullptr;
  ObjectStore* jobs = nullptr;
  ObjectStore* stateful_sets = nullptr;
  ObjectStore* deployments = nullptr;
  ObjectStore* services = nullptr;
  ObjectStore* pdbs = nullptr;
  ObjectStore* config_maps = nullptr;
  //! Every Secret, not only ours (the postgres.multigres.com controllers read the user's DSN and
  //! password Secrets, which carry none of our labels); a Secret without our managed-by label without
  //! its data: secret_value() reads the data of those in use through Context::secret_data.
  ObjectStore* secrets = nullptr;
  ObjectStore* pvcs = nullptr;
  //! Pool pods (ours, by label): the shard's roles and the drain protocol read them.
  ObjectStore* pool_pods = nullptr;
  // postgres.multigres.com
  ObjectStore* database_clusters = nullptr;
  ObjectStore* databases = nullptr;
  ObjectStore* database_roles = nullptr;

  //! The cache holding objects of `kind` (Deployment, Cell, ...), or null.
  [[nodiscard]] ObjectStore* for_kind(const std::string& kind) const;
};

//! One kind the operator caches: its apiVersion, its kind, and its member of Caches.
struct CachedKind {
  const char* api_version;
  const char* kind;
  ObjectStore* Caches::*member;
  //! Top-level fields no controller reads, never cached: a pool Pod's spec is two thirds of its bytes,
  //! and the controllers read only its metadata and status (their StatefulSet holds the template); the
  //! data of a Secret that is not ours is read only where it is used (Context::secret_data).
  runtime::Trim trim = {};
};

//! Every kind of Caches, listed once: Caches::for_kind, the operator's setup (one informer each) and
//! the controllers' unit tests (one in-memory store each) read it.
const std::vector<CachedKind>& cached_kinds();

//! How the operator takes part in the drain protocol (flags --multiadmin-address, --drain-timeout,
//! --restart-wait-for-cohort).
struct DrainSettings {
  //! host:port of multiadmin for every cluster; "" = each cluster's multiadmin Service (in-cluster DNS).
  std::string multiadmin_address;
  std::chrono::seconds timeout{300};
  //! An ordered restart drains the next pod only once every pod is in the primary's cohort (restart_plan.hpp).
  bool wait_for_cohort = true;
  topo::Multiadmin* multiadmin = nullptr;
};

using Clock = std::chrono::system_clock;

//! Opens an etcd of the topology (the real client; tests give an in-memory one).
using EtcdConnector = std::function<std::unique_ptr<topo::Etcd>(topo::EtcdOptions options)>;

//! Reaches one pool pod's PostgreSQL: what it reads from the settings file at `path`, then a reload
//! (pg::reload_settings_file; tests give their own).
using SettingsReloader = std::function<Result<std::vector<pg::FileSetting>>(const pg::ConnectionSettings& settings,
                                                                            const std::string& path)>;

struct Context {
  runtime::Writer& writer;
  runtime::EventSink& events;
  Caches caches;
  //! The time now, injectable for tests.
  std::function<Clock::time_point()> now = [] { return Clock::now(); };
  DrainSettings drain;
  EtcdConnector connect_etcd = [](topo::EtcdOptions options) -> std::unique_ptr<topo::Etcd> {
    return std::make_unique<topo::EtcdClient>(std::move(options));
  };
  //! Null when the operator cannot reach pod addresses (it runs outside the cluster network): the
  //! shard's status then says its postgresConfig is not applied live.
  SettingsReloader reload_settings;
  //! The operator runs inside the cluster network: Service names resolve and pod addresses answer.
  bool pod_network = false;
  //! The data of the Secrets the controllers read (the Secret cache holds none).
  runtime::SecretData* secret_data = nullptr;

  //! now() as metav1.Time ("2026-11-23T10:00:00Z"), what conditions and annotations carry.
  [[nodiscard]] std::string stamp() const;
};

//! Decodes a cached object into its C++ type; an object the operator cannot decode is a terminal
//! error naming the field (the API server's schema should have stopped it).
template <class T>
Result<T> decode_cached(const json::Value& object) {
  api::DecodeContext ctx;
  // Fields the API server adds are not ours to reject.
  ctx.strict = false;
  T out = api::decode<T>(object, ctx);
  if (!ctx.errors.empty()) return make_invalid("decoding " + kube::ObjectRef::of(object).describe() + ": " + ctx.errors.front().str());
  return out;
}

//! Applies each desired child (unchanged ones are skipped), then deletes the objects in `owned_kinds`
//! controlled by `owner_uid` that are no longer desired. Emits Created/Deleted events on `owner`.
//! Returns the first error after trying every child, so one bad child does not starve the others.
//! `hold`, when given, keeps the cached children it compared: a caller that reads them again (its
//! status) then gets the same objects instead of parsing a text cache's entry again.
Result<void> apply_children(Context& ctx, const json::Value& owner, std::vector<json::Document> desired,
                            const std::vector<std::string>& owned_kinds, std::vector<ObjectPtr>* hold = nullptr);

//! Writes `status` to the object through /status unless it equals the object's current status.
template <class T, class S>
Result<void> write_status(Context& ctx, const T& object, const S& status) {
  if (object.status && *object.status == status) return {};
  T patch;
  patch.metadata.name = object.metadata.name;
  patch.metadata.namespace_ = object.metadata.namespace_;
  patch.status = status;
  json::Document doc = api::encode(patch);
  doc.RemoveMember("spec");
  return ctx.writer.apply_status(doc);
}

//! Emits transition_event (condition_events.hpp).
void event_on_transition(Context& ctx, const json::Value& object, const std::vector<api::Condition>& before,
                         const std::vector<api::Condition>& after, const std::string& type);

//! Sets Reconciled from the result of applying the children (see status::set_reconciled). A
//! transient failure, which the worker retries, keeps the previous condition. Emits a Warning event
//! when it turns False and a Normal one when it recovers.
void record_apply(Context& ctx, const json::Value& object, std::vector<api::Condition>& conditions,
                  const std::vector<api::Condition>& previous, const Result<void>& applied, int64_t generation);

//! The cached child of `kind` named `name` in `namespace_name`, or null.
const json::Value* cached(const Context& ctx, const std::string& kind, const std::string& namespace_name,
                          const std::string& name, std::vector<ObjectPtr>& keep_alive);

//! Whether the object is being deleted.
bool deleting(const json::Value& object);

//! True when `pod` carries the pool labels of `shard` (cluster, component, database, tablegroup, shard).
bool pool_pod_of(const json::Value& pod, const api::Shard& shard);
//! The shard's pool pods, from the cache.
std::vector<ObjectPtr> pool_pods_of(const Context& ctx, const api::Shard& shard);

//! Adds (wanted) or removes `finalizer` on `object`, conditional on the version read; nothing when it
//! is already so.
Result<void> set_finalizer(Context& ctx, const json::Value& object, const std::string& finalizer, bool wanted);

//! host:port of the multiadmin of `cluster` in `namespace_name`: --multiadmin-address when given, else
//! its Service.
std::string multiadmin_address(const Context& ctx, const std::string& namespace_name, const std::string& cluster);

//! The decoded value of `key` in Secret namespace/name: the cache says whether it exists and at which
//! version, Context::secret_data holds its data (fetched once per version); NotFound naming what is
//! missing. `resource_version`, when given, receives the version of the data read.
Result<std::string> secret_value(const Context& ctx, const std::string& namespace_name, const std::string& name,
                                 const std::string& key, std::string* resource_version = nullptr);

}  // namespace mg::controllers
