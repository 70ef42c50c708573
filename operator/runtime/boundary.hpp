// operator/runtime/boundary.hpp
//! The boundary the controllers work through, and the object keys they use: ObjectStore (what they read: one kind's
//! cache), Writer (every write they make) and EventSink (events). The Informer, the Applier and the EventRecorder are
//! the real ones; tests/unit/controllers/memory_boundary.hpp holds in-memory ones, so a controller's decisions
//! run in a unit test without an API server.
//! Every write body is built with the JSON library here or in the builders, never pasted from strings.
//! Must not: decide what to write (the controllers do).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/util/json.hpp"
#include "common/util/result.hpp"

namespace mg::runtime {

using ObjectPtr = std::shared_ptr<const json::Document>;

//! One kind's cached objects.
class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  //! The object namespace/name ("" namespace for cluster-scoped kinds), or null.
  [[nodiscard]] virtual ObjectPtr get(const std::string& namespace_name, const std::string& name) const = 0;
  //! Every object in `namespace_name` ("" = all), in namespace/name order.
  [[nodiscard]] virtual std::vector<ObjectPtr> list(const std::string& namespace_name = {}) const = 0;
  //! Objects whose controlling owner reference has this UID.
  [[nodiscard]] virtual std::vector<ObjectPtr> owned_by(const std::string& owner_uid) const = 0;
  //! Whether namespace/name is cached. A cache that keeps text answers without reading the object back.
  [[nodiscard]] virtual bool contains(const std::string& namespace_name, const std::string& name) const;
  //! The keys of what owned_by(owner_uid) returns, likewise.
  [[nodiscard]] virtual std::vector<std::string> keys_owned_by(const std::string& owner_uid) const;
};

//! "namespace/name" (or "name") of an object, the key of caches and work queues.
std::string object_key(const json::Value& object);
//! The key of namespace/name ("name" alone for a cluster-scoped object).
std::string join_key(const std::string& namespace_name, const std::string& name);
//! The namespace and name of a key.
std::pair<std::string, std::string> split_key(const std::string& key);
//! The controlling owner reference (controller: true) of an object, or null.
const json::Value* controller_of(const json::Value& object);

//! The field manager of every operator write (but a volume's expansion, volume_growth.hpp).
inline constexpr const char* kFieldManager = "multigres-operator";

//! What an apply did.
enum class ApplyOutcome { Unchanged, Created, Updated };

//! How to delete.
struct Removal {
  //! Leave the dependents (a StatefulSet re-created for larger volumes keeps its pods).
  bool orphan = false;
  //! Only the object read (metadata.uid as a precondition): a replaced one stays.
  bool same_uid = false;
};

//! A merge patch of metadata: labels and annotations set, finalizers replaced, with preconditions.
struct MetadataPatch {
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::optional<std::vector<std::string>> finalizers;
  //! Fail on a replaced object (metadata.uid of the object read).
  bool same_uid = false;
  //! Fail when the object changed since it was read (metadata.resourceVersion): finalizer lists.
  bool same_version = false;
};

//! The merge-patch body of `patch` against `object` (which gives the uid and resourceVersion).
[[nodiscard]] json::Document metadata_patch_body(const json::Value& object, const MetadataPatch& patch);

//! Whether `object`'s metadata.finalizers holds `finalizer`.
[[nodiscard]] bool has_finalizer(const json::Value& object, const std::string& finalizer);

//! `object`'s finalizers with `finalizer` added (wanted) or removed, in their order; nullopt when that
//! is what the object has already.
[[nodiscard]] std::optional<std::vector<std::string>> finalizers_with(const json::Value& object,
                                                                      const std::string& finalizer, bool wanted);

//! Every write a controller makes.
class Writer {
 public:
  virtual ~Writer() = default;
  //! Server-side apply of `desired` unless `actual` (the cached object, or null) already says it.
  virtual Result<ApplyOutcome> apply(json::Document desired, const json::Value* actual) = 0;
  //! Server-side apply of the `status` of `object` through /status; an object gone is success.
  virtual Result<void> apply_status(const json::Value& object) = 0;
  //! Creates `object` unless it exists (AlreadyExists is success); whether it created.
  virtual Result<bool> create_once(const json::Value& object) = 0;
  //! Server-side apply of `desired` under `field_manager` (not the operator's own), with force: for
  //! the fields the operator writes into a user's object on the user's behalf (a scale request).
  virtual Result<void> apply_as(const json::Value& desired, std::string_view field_manager) = 0;
  //! Merge-patches `object` with `body` under `field_manager`.
  virtual Result<void> merge_patch(const json::Value& object, const json::Value& body,
                                   std::string_view field_manager) = 0;
  //! Deletes `object`; already gone is success.
  virtual Result<void> remove(const json::Value& object, const Removal& how = {}) = 0;

  //! merge_patch of metadata_patch_body under the operator's field manager.
  Result<void> patch_metadata(const json::Value& object, const MetadataPatch& patch);
};

enum class EventType { Normal, Warning };

//! The object an event is about (Event.regarding).
struct EventRegarding {
  std::string api_version;
  std::string kind;
  std::string namespace_name;  //!< "" for cluster-scoped objects
  std::string name;
  std::string uid;

  //! apiVersion, kind, metadata.namespace/name/uid of an object.
  static EventRegarding of(const json::Value& object);
};

//! Where events go; never blocks and never fails the caller.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void event(const EventRegarding& regarding, EventType type, std::string reason, std::string action,
                     std::string note) = 0;
};

}  // namespace mg::runtime
