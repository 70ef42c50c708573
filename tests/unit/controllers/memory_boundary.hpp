// tests/unit/controllers/memory_boundary.hpp
//! In-memory implementations of the controllers' boundary (operator/runtime/boundary.hpp) for their
//! unit tests only: MemoryBoundary holds one MemoryStore per kind the operator caches (cached_kinds()),
//! takes the controllers' writes (runtime::Writer) and events (runtime::EventSink) into them, and hands
//! a controllers::Context wired to all of it, with a clock the test sets; MemoryEtcd stands behind
//! topo::Etcd. It is not an API server: nothing listens, and no integration or e2e test uses it (they
//! run the real kube-apiserver, tests/cluster/). What its writes do, as the API server's would: uid, resourceVersion,
//! generation (bumped when spec changes) and creationTimestamp on create; "unchanged" applies decided by the real
//! Applier's rule; merge patches with uid / resourceVersion preconditions (a mismatch is a Conflict); a delete of an
//! object with finalizers only sets deletionTimestamp, and dropping the last finalizer removes it. What it does not:
//! admission, schema validation, the garbage collector (owned objects stay), or other controllers (no StatefulSet
//! status moves unless the test writes it).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "operator/controllers/context.hpp"
#include "operator/runtime/boundary.hpp"
#include "operator/runtime/controller.hpp"

namespace mg::test {

class MemoryStore final : public runtime::ObjectStore {
 public:
  [[nodiscard]] runtime::ObjectPtr get(const std::string& namespace_name, const std::string& name) const override;
  [[nodiscard]] std::vector<runtime::ObjectPtr> list(const std::string& namespace_name = {}) const override;
  [[nodiscard]] std::vector<runtime::ObjectPtr> owned_by(const std::string& owner_uid) const override;

  void put(runtime::ObjectPtr object);
  void erase(const std::string& key);
  [[nodiscard]] size_t size() const { return objects_.size(); }

 private:
  std::map<std::string, runtime::ObjectPtr> objects_;  // "ns/name" -> object
};

//! etcd's key-value semantics (versions, mod revisions, conditional transactions) in a map.
class MemoryEtcd final : public topo::Etcd {
 public:
  Result<std::optional<topo::KeyValue>> get(const std::string& key) override;
  Result<std::vector<topo::KeyValue>> list(const std::string& prefix) override;
  Result<bool> transact(const std::vector<topo::Compare>& when, const std::vector<topo::Operation>& then) override;
  Result<int64_t> revision() override;

  //! When false, every call fails as an unreachable etcd does (a Transient error).
  bool reachable = true;
  std::map<std::string, topo::KeyValue> keys;
  int64_t current_revision = 1;
};

struct RecordedEvent {
  std::string kind;  //!< of the object it is about
  std::string name;
  std::string type;  //!< Normal, Warning
  std::string reason;
  std::string note;
};

class MemoryBoundary final : public runtime::Writer, public runtime::EventSink {
 public:
  //! The operator's log goes to `log` while it lives.
  MemoryBoundary();
  ~MemoryBoundary() override;
  MemoryBoundary(const MemoryBoundary&) = delete;
  MemoryBoundary& operator=(const MemoryBoundary&) = delete;

  //! Stores an object (YAML or JSON, one document) as a create would: uid, resourceVersion, ...
  const json::Value& create(std::string_view manifest);
  //! Replaces the stored object's spec with the manifest's, as a user's edit would (generation + 1).
  void update_spec(std::string_view manifest);
  //! The stored object, or null.
  [[nodiscard]] runtime::ObjectPtr get(const std::string& kind, const std::string& namespace_name,
                                       const std::string& name) const;
  //! Every stored object of `kind`.
  [[nodiscard]] std::vector<runtime::ObjectPtr> all(const std::string& kind) const;
  //! The one stored object of `kind` (the test fails when there is not exactly one).
  [[nodiscard]] runtime::ObjectPtr only(const std::string& kind) const;
  //! Replaces a stored object's status (as another controller would, e.g. a StatefulSet's readiness).
  void set_status(const std::string& kind, const std::string& namespace_name, const std::string& name,
                  std::string_view status_json);
  //! Makes the next write of `kind` fail with `error` (once).
  void fail_next(const std::string& kind, Error error);

  MemoryStore& store(const std::string& kind);

  // runtime::Writer
  Result<runtime::ApplyOutcome> apply(json::Document desired, const json::Value* actual) override;
  Result<void> apply_status(const json::Value& object) override;
  Result<bool> create_once(const json::Value& object) override;
  Result<void> apply_as(const json::Value& desired, std::string_view field_manager) override;
  Result<void> merge_patch(const json::Value& object, const json::Value& body, std::string_view field_manager) override;
  Result<void> remove(const json::Value& object, const runtime::Removal& how = {}) override;
  // runtime::EventSink
  void event(const runtime::EventRegarding& regarding, runtime::EventType type, std::string reason, std::string action,
             std::string note) override;

  //! Writes taken, as "<verb> <Kind> <ns>/<name>" (verbs: apply, status, create, patch, delete).
  std::vector<std::string> writes;
  std::vector<RecordedEvent> events;
  std::vector<std::string> field_managers;  //!< of each merge patch
  std::vector<std::string> log;             //!< the operator's log lines
  MemoryEtcd etcd;
  std::vector<std::vector<std::string>> etcd_endpoints;  //!< of each etcd the controllers opened
  controllers::Clock::time_point now;
  //! Stands for the API server's GET of a Secret with its data (the Secret store holds none, as the
  //! informer does); its fetches() count the GETs.
  runtime::SecretData secret_data;
  controllers::Context ctx;

  //! Writes since `mark` (an index into `writes`).
  [[nodiscard]] std::vector<std::string> writes_since(size_t mark) const;

 private:
  std::optional<Error> take_failure(const std::string& kind);
  void store_object(json::Document object);
  void erase_object(const std::string& kind, const std::string& key);
  std::string next_version();

  std::map<std::string, MemoryStore> stores_;
  std::map<std::string, runtime::ObjectPtr> secrets_with_data_;  // "ns/name" -> the Secret, data included
  std::map<std::string, Error> failures_;
  int64_t version_ = 100;
  int64_t uid_ = 0;
};

struct TestPool {
  std::string name;
  std::string cell;
  std::string storage = "1Gi";
};

//! MultigresCluster demo/shop: `cells` (zones), database postgres, tablegroup default, shard 0-inf
//! with `pools` (2 replicas each).
std::string shop_cluster(const std::vector<std::string>& cells, const std::vector<TestPool>& pools);

//! "<status> <reason>" of condition `type` in the object's status ("" when absent), e.g. "True Applied".
std::string condition(const json::Value& object, const std::string& type);

//! Runs a reconciler once for `key`; the test fails when it returns an error.
runtime::ReconcileResult reconcile_ok(const runtime::Reconciler& reconciler, const std::string& key);

}  // namespace mg::test
