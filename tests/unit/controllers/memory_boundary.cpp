// tests/unit/controllers/memory_boundary.cpp
#include "tests/unit/controllers/memory_boundary.hpp"

#include <catch2/catch.hpp>

#include "common/util/time.hpp"
#include "operator/runtime/applier.hpp"
#include "operator/runtime/informer.hpp"
#include "operator/runtime/log.hpp"

namespace mg::test {
namespace {

using runtime::ObjectPtr;

std::string key_of(const json::Value& object) {
  return runtime::object_key(object);
}

std::string describe(const char* verb, const json::Value& object) {
  return std::string(verb) + " " + json::get_string(object, "kind") + " " + key_of(object);
}

//! RFC 7386: objects merge member by member, null removes, anything else replaces.
void merge_into(json::Value& target, const json::Value& patch, json::Allocator& a) {
  if (!patch.IsObject() || !target.IsObject()) {
    target.CopyFrom(patch, a);
    return;
  }
  for (const auto& m : patch.GetObject()) {
    const std::string name(m.name.GetString(), m.name.GetStringLength());
    if (m.value.IsNull()) {
      target.RemoveMember(name.c_str());
    } else if (auto it = target.FindMember(name.c_str()); it != target.MemberEnd() && m.value.IsObject()) {
      merge_into(it->value, m.value, a);
    } else {
      json::set(target, name, json::Value(m.value, a), a);
    }
  }
}

//! merge_into, but arrays of objects merge entry by entry on their "name" (our CRDs' list maps), as a
//! server-side apply does.
void merge_by_name(json::Value& target, const json::Value& patch, json::Allocator& a) {
  if (!patch.IsObject() || !target.IsObject()) return merge_into(target, patch, a);
  for (const auto& m : patch.GetObject()) {
    const std::string name(m.name.GetString(), m.name.GetStringLength());
    auto it = target.FindMember(name.c_str());
    if (it == target.MemberEnd()) {
      json::set(target, name, json::Value(m.value, a), a);
    } else if (m.value.IsArray() && it->value.IsArray()) {
      for (const auto& entry : m.value.GetArray()) {
        json::Value* same = nullptr;
        for (auto& existing : it->value.GetArray()) {
          if (json::get_string(existing, "name") == json::get_string(entry, "name")) same = &existing;
        }
        if (same != nullptr) {
          merge_by_name(*same, entry, a);
        } else {
          it->value.PushBack(json::Value(entry, a), a);
        }
      }
    } else if (m.value.IsObject()) {
      merge_by_name(it->value, m.value, a);
    } else {
      it->value.CopyFrom(m.value, a);
    }
  }
}

json::Value& metadata_of(json::Document& doc) {
  auto& a = doc.GetAllocator();
  if (!doc.HasMember("metadata")) doc.AddMember("metadata", json::Value(rapidjson::kObjectType), a);
  return doc["metadata"];
}

bool has_finalizers(const json::Value& object) {
  const json::Value* f = json::at_path(object, "metadata.finalizers");
  return f != nullptr && f->IsArray() && !f->Empty();
}

Error conflict(const json::Value& object, const char* what) {
  return make_error(ErrorCode::Conflict, "Operation cannot be fulfilled on " + key_of(object) + ": " + what);
}

}  // namespace

ObjectPtr MemoryStore::get(const std::string& namespace_name, const std::string& name) const {
  auto it = objects_.find(namespace_name.empty() ? name : namespace_name + "/" + name);
  return it == objects_.end() ? nullptr : it->second;
}

std::vector<ObjectPtr> MemoryStore::list(const std::string& namespace_name) const {
  std::vector<ObjectPtr> out;
  for (const auto& [key, object] : objects_) {
    if (namespace_name.empty() || json::string_at(*object, "metadata.namespace") == namespace_name)
      out.push_back(object);
  }
  return out;
}

std::vector<ObjectPtr> MemoryStore::owned_by(const std::string& owner_uid) const {
  std::vector<ObjectPtr> out;
  for (const auto& [key, object] : objects_) {
    const json::Value* owner = runtime::controller_of(*object);
    if (owner != nullptr && json::get_string(*owner, "uid") == owner_uid) out.push_back(object);
  }
  return out;
}

void MemoryStore::put(ObjectPtr object) {
  objects_[key_of(*object)] = std::move(object);
}

void MemoryStore::erase(const std::string& key) {
  objects_.erase(key);
}

Result<std::optional<topo::KeyValue>> MemoryEtcd::get(const std::string& key) {
  if (!reachable) return make_error(ErrorCode::Transient, "etcd unreachable (in-memory etcd set unreachable)");
  auto it = keys.find(key);
  if (it == keys.end()) return std::optional<topo::KeyValue>();
  return std::optional(it->second);
}

Result<std::vector<topo::KeyValue>> MemoryEtcd::list(const std::string& prefix) {
  if (!reachable) return make_error(ErrorCode::Transient, "etcd unreachable (in-memory etcd set unreachable)");
  std::vector<topo::KeyValue> out;
  for (auto it = keys.lower_bound(prefix); it != keys.end() && it->first.starts_with(prefix); ++it)
    out.push_back(it->second);
  return out;
}

Result<bool> MemoryEtcd::transact(const std::vector<topo::Compare>& when, const std::vector<topo::Operation>& then) {
  if (!reachable) return make_error(ErrorCode::Transient, "etcd unreachable (in-memory etcd set unreachable)");
  for (const auto& c : when) {
    auto it = keys.find(c.key);
    const topo::KeyValue none;
    const topo::KeyValue& kv = it == keys.end() ? none : it->second;
    const bool holds = c.target == topo::Compare::Target::Version       ? kv.version == c.number
                       : c.target == topo::Compare::Target::ModRevision ? kv.mod_revision == c.number
                                                                        : (it != keys.end() && kv.value == c.value);
    if (!holds) return false;
  }
  ++current_revision;
  for (const auto& op : then) {
    if (!op.value) {
      keys.erase(op.key);
      continue;
    }
    topo::KeyValue& kv = keys[op.key];
    kv.key = op.key;
    kv.value = *op.value;
    kv.version += 1;
    kv.mod_revision = current_revision;
  }
  return true;
}

Result<int64_t> MemoryEtcd::revision() {
  if (!reachable) return make_error(ErrorCode::Transient, "etcd unreachable (in-memory etcd set unreachable)");
  return current_revision;
}

namespace {

//! What the controllers open: a handle on the one in-memory etcd (global and cell topologies share it,
//! under their own root paths).
class EtcdHandle final : public topo::Etcd {
 public:
  explicit EtcdHandle(MemoryEtcd& etcd) : etcd_(etcd) {}
  Result<std::optional<topo::KeyValue>> get(const std::string& key) override { return etcd_.get(key); }
  Result<std::vector<topo::KeyValue>> list(const std::string& prefix) override { return etcd_.list(prefix); }
  Result<bool> transact(const std::vector<topo::Compare>& when, const std::vector<topo::Operation>& then) override {
    return etcd_.transact(when, then);
  }
  Result<int64_t> revision() override { return etcd_.revision(); }

 private:
  MemoryEtcd& etcd_;
};

}  // namespace

MemoryBoundary::MemoryBoundary()
    : now(*util::parse_rfc3339("2026-12-01T10:00:00Z")),
      secret_data([this](const std::string& ns, const std::string& name) -> Result<json::Document> {
        auto it = secrets_with_data_.find(ns + "/" + name);
        if (it == secrets_with_data_.end())
          return make_error(ErrorCode::NotFound, "secrets \"" + name + "\" not found");
        return json::clone(*it->second);
      }),
      ctx{*this, *this, {}} {
  for (const controllers::CachedKind& k : controllers::cached_kinds()) ctx.caches.*(k.member) = &stores_[k.kind];
  ctx.secret_data = &secret_data;
  ctx.now = [this] { return now; };
  ctx.connect_etcd = [this](topo::EtcdOptions options) -> std::unique_ptr<topo::Etcd> {
    etcd_endpoints.push_back(options.endpoints);
    return std::make_unique<EtcdHandle>(etcd);
  };
  runtime::Logger::global().set_sink([this](std::string_view line) { log.emplace_back(line); });
}

MemoryBoundary::~MemoryBoundary() {
  runtime::Logger::global().set_sink({});
}

void MemoryBoundary::erase_object(const std::string& kind, const std::string& key) {
  store(kind).erase(key);
  if (kind == "Secret") secrets_with_data_.erase(key);
}

MemoryStore& MemoryBoundary::store(const std::string& kind) {
  return stores_[kind];
}

std::string MemoryBoundary::next_version() {
  return std::to_string(++version_);
}

void MemoryBoundary::store_object(json::Document object) {
  const std::string kind = json::get_string(object, "kind");
  if (kind == "Secret") {
    // A patch of the data-less cached copy keeps the data, as the API server's would.
    const std::string key = key_of(object);
    auto previous = secrets_with_data_.find(key);
    if (!object.HasMember("data") && previous != secrets_with_data_.end() && previous->second->HasMember("data")) {
      json::set(object, "data", json::Value((*previous->second)["data"], object.GetAllocator()), object.GetAllocator());
    }
    secrets_with_data_[key] = json::compact_copy(object);
  }
  // As the informers store it: the controllers under test must not read what the operator never caches.
  for (const controllers::CachedKind& k : controllers::cached_kinds()) {
    if (kind == k.kind) runtime::drop_unread(object, k.trim);
  }
  store(kind).put(std::make_shared<const json::Document>(std::move(object)));
}

const json::Value& MemoryBoundary::create(std::string_view manifest) {
  auto docs = json::parse_documents(manifest, "test manifest");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  json::Document object = std::move(docs->front());
  auto& a = object.GetAllocator();
  json::Value& meta = metadata_of(object);
  json::set(meta, "uid", json::str("uid-" + std::to_string(++uid_), a), a);
  json::set(meta, "resourceVersion", json::str(next_version(), a), a);
  json::set(meta, "generation", json::Value(int64_t{1}), a);
  json::set(meta, "creationTimestamp", json::str(util::format_rfc3339(now), a), a);
  const std::string kind = json::get_string(object, "kind");
  const std::string key = key_of(object);
  store_object(std::move(object));
  return *store(kind).get(runtime::split_key(key).first, runtime::split_key(key).second);
}

void MemoryBoundary::update_spec(std::string_view manifest) {
  auto docs = json::parse_documents(manifest, "test manifest");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  const json::Value& edited = docs->front();
  const auto [ns, name] = runtime::split_key(key_of(edited));
  ObjectPtr stored = get(json::get_string(edited, "kind"), ns, name);
  REQUIRE(stored);
  json::Document object = json::clone(*stored);
  auto& a = object.GetAllocator();
  const json::Value* spec = json::find(edited, "spec");
  json::set(object, "spec", spec ? json::Value(*spec, a) : json::Value(rapidjson::kObjectType), a);
  json::Value& meta = metadata_of(object);
  json::set(meta, "resourceVersion", json::str(next_version(), a), a);
  json::set(meta, "generation", json::Value(json::int_at(object, "metadata.generation") + 1), a);
  store_object(std::move(object));
}

ObjectPtr MemoryBoundary::get(const std::string& kind, const std::string& namespace_name,
                              const std::string& name) const {
  auto it = stores_.find(kind);
  return it == stores_.end() ? nullptr : it->second.get(namespace_name, name);
}

std::vector<ObjectPtr> MemoryBoundary::all(const std::string& kind) const {
  auto it = stores_.find(kind);
  return it == stores_.end() ? std::vector<ObjectPtr>{} : it->second.list();
}

ObjectPtr MemoryBoundary::only(const std::string& kind) const {
  auto found = all(kind);
  INFO("stored objects of kind " << kind);
  REQUIRE(found.size() == 1);
  return found.front();
}

void MemoryBoundary::set_status(const std::string& kind, const std::string& namespace_name, const std::string& name,
                                std::string_view status_json) {
  ObjectPtr stored = get(kind, namespace_name, name);
  REQUIRE(stored);
  json::Document object = json::clone(*stored);
  auto status = json::parse_json(status_json, "test status");
  REQUIRE(status.ok());
  auto& a = object.GetAllocator();
  json::set(object, "status", json::Value(*status, a), a);
  json::set(metadata_of(object), "resourceVersion", json::str(next_version(), a), a);
  store_object(std::move(object));
}

void MemoryBoundary::fail_next(const std::string& kind, Error error) {
  failures_.insert_or_assign(kind, std::move(error));
}

std::optional<Error> MemoryBoundary::take_failure(const std::string& kind) {
  auto it = failures_.find(kind);
  if (it == failures_.end()) return std::nullopt;
  Error e = it->second;
  failures_.erase(it);
  return e;
}

Result<runtime::ApplyOutcome> MemoryBoundary::apply(json::Document desired, const json::Value* actual) {
  json::Document hashed = runtime::Applier::with_hash(std::move(desired));
  if (actual != nullptr && runtime::Applier::up_to_date(hashed, *actual)) return runtime::ApplyOutcome::Unchanged;
  const std::string kind = json::get_string(hashed, "kind");
  if (auto failure = take_failure(kind)) return failure->with_context("applying " + key_of(hashed));
  writes.push_back(describe("apply", hashed));
  const std::string key = key_of(hashed);
  ObjectPtr stored = store(kind).get(runtime::split_key(key).first, runtime::split_key(key).second);
  if (!stored) {
    create(json::to_json(hashed));
    return runtime::ApplyOutcome::Created;
  }
  json::Document object = json::clone(*stored);
  auto& a = object.GetAllocator();
  const std::string spec_before = json::at_path(object, "spec") ? json::to_json(*json::at_path(object, "spec")) : "";
  merge_into(object, hashed, a);
  json::Value& meta = metadata_of(object);
  json::set(meta, "resourceVersion", json::str(next_version(), a), a);
  const std::string spec_after = json::at_path(object, "spec") ? json::to_json(*json::at_path(object, "spec")) : "";
  if (spec_before != spec_after) {
    json::set(meta, "generation", json::Value(json::int_at(object, "metadata.generation") + 1), a);
  }
  store_object(std::move(object));
  return runtime::ApplyOutcome::Updated;
}

Result<void> MemoryBoundary::apply_status(const json::Value& patch) {
  const std::string kind = json::get_string(patch, "kind");
  if (auto failure = take_failure(kind)) return *failure;
  const std::string key = key_of(patch);
  ObjectPtr stored = store(kind).get(runtime::split_key(key).first, runtime::split_key(key).second);
  if (!stored) return {};  // gone: as the Applier, success
  writes.push_back(describe("status", patch));
  json::Document object = json::clone(*stored);
  auto& a = object.GetAllocator();
  const json::Value* status = json::find(patch, "status");
  json::set(object, "status", status ? json::Value(*status, a) : json::Value(rapidjson::kObjectType), a);
  json::set(metadata_of(object), "resourceVersion", json::str(next_version(), a), a);
  store_object(std::move(object));
  return {};
}

Result<bool> MemoryBoundary::create_once(const json::Value& object) {
  const std::string kind = json::get_string(object, "kind");
  if (auto failure = take_failure(kind)) return *failure;
  const std::string key = key_of(object);
  if (store(kind).get(runtime::split_key(key).first, runtime::split_key(key).second)) return false;
  writes.push_back(describe("create", object));
  create(json::to_json(object));
  return true;
}

Result<void> MemoryBoundary::apply_as(const json::Value& desired, std::string_view field_manager) {
  const std::string kind = json::get_string(desired, "kind");
  if (auto failure = take_failure(kind)) return *failure;
  const std::string key = key_of(desired);
  ObjectPtr stored = store(kind).get(runtime::split_key(key).first, runtime::split_key(key).second);
  if (!stored) return make_error(ErrorCode::NotFound, key + " not found");
  writes.push_back(describe("apply", *stored));
  field_managers.emplace_back(field_manager);
  json::Document object = json::clone(*stored);
  auto& a = object.GetAllocator();
  merge_by_name(object, desired, a);
  json::set(metadata_of(object), "resourceVersion", json::str(next_version(), a), a);
  json::set(metadata_of(object), "generation", json::Value(json::int_at(object, "metadata.generation") + 1), a);
  store_object(std::move(object));
  return {};
}

Result<void> MemoryBoundary::merge_patch(const json::Value& target, const json::Value& body,
                                         std::string_view field_manager) {
  const std::string kind = json::get_string(target, "kind");
  if (auto failure = take_failure(kind)) return *failure;
  const std::string key = key_of(target);
  ObjectPtr stored = store(kind).get(runtime::split_key(key).first, runtime::split_key(key).second);
  if (!stored) return make_error(ErrorCode::NotFound, key + " not found");
  // uid and resourceVersion in a merge patch are preconditions.
  for (const char* field : {"uid", "resourceVersion"}) {
    const json::Value* wanted = json::at_path(body, std::string("metadata.") + field);
    if (wanted != nullptr && wanted->IsString() &&
        json::string_at(*stored, std::string("metadata.") + field) != wanted->GetString()) {
      return conflict(*stored, field);
    }
  }
  writes.push_back(describe("patch", *stored));
  field_managers.emplace_back(field_manager);
  json::Document object = json::clone(*stored);
  auto& a = object.GetAllocator();
  merge_into(object, body, a);
  json::set(metadata_of(object), "resourceVersion", json::str(next_version(), a), a);
  if (controllers::deleting(object) && !has_finalizers(object)) {
    erase_object(kind, key);
    return {};
  }
  store_object(std::move(object));
  return {};
}

Result<void> MemoryBoundary::remove(const json::Value& target, const runtime::Removal& how) {
  const std::string kind = json::get_string(target, "kind");
  if (auto failure = take_failure(kind)) return *failure;
  const std::string key = key_of(target);
  ObjectPtr stored = store(kind).get(runtime::split_key(key).first, runtime::split_key(key).second);
  if (!stored) return {};
  if (how.same_uid && json::string_at(*stored, "metadata.uid") != json::string_at(target, "metadata.uid")) {
    return conflict(*stored, "uid precondition");
  }
  writes.push_back(describe("delete", *stored) + (how.orphan ? " (orphan)" : ""));
  if (!has_finalizers(*stored)) {
    erase_object(kind, key);
    return {};
  }
  json::Document object = json::clone(*stored);
  auto& a = object.GetAllocator();
  json::set(metadata_of(object), "deletionTimestamp", json::str(util::format_rfc3339(now), a), a);
  store_object(std::move(object));
  return {};
}

void MemoryBoundary::event(const runtime::EventRegarding& regarding, runtime::EventType type, std::string reason,
                           std::string, std::string note) {
  events.push_back({regarding.kind, regarding.name, type == runtime::EventType::Normal ? "Normal" : "Warning",
                    std::move(reason), std::move(note)});
}

std::vector<std::string> MemoryBoundary::writes_since(size_t mark) const {
  return {writes.begin() + static_cast<std::ptrdiff_t>(std::min(mark, writes.size())), writes.end()};
}

std::string shop_cluster(const std::vector<std::string>& cells, const std::vector<TestPool>& pools) {
  std::string yaml = R"(
apiVersion: multigres.com/v1alpha1
kind: MultigresCluster
metadata: {name: shop, namespace: demo}
spec:
  cells:
)";
  for (const auto& cell : cells) yaml += "    - zone: " + cell + "\n";
  yaml += R"(  databases:
    - name: postgres
      tablegroups:
        - name: default
          shards:
            - name: 0-inf
              spec:
                pools:
)";
  for (const auto& p : pools) {
    yaml +=
        "                  " + p.name + ": {cell: " + p.cell + ", replicas: 2, storage: {size: " + p.storage + "}}\n";
  }
  return yaml;
}

std::string condition(const json::Value& object, const std::string& type) {
  const json::Value* conditions = json::at_path(object, "status.conditions");
  if (conditions == nullptr || !conditions->IsArray()) return "";
  for (const auto& c : conditions->GetArray()) {
    if (json::get_string(c, "type") == type) return json::get_string(c, "status") + " " + json::get_string(c, "reason");
  }
  return "";
}

runtime::ReconcileResult reconcile_ok(const runtime::Reconciler& reconciler, const std::string& key) {
  auto result = reconciler(key);
  INFO("reconciling " << key << ": " << (result.ok() ? std::string("ok") : result.error().message));
  REQUIRE(result.ok());
  return *result;
}

}  // namespace mg::test
