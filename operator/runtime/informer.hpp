// operator/runtime/informer.hpp
//! Informer: the operator's read cache of one resource, kept current by a kube::Watcher (list, then
//! watch, resume, relist on 410). Controllers read only from here, never from the API server, so a
//! reconcile costs no reads. Objects are stored immutable behind shared pointers (a reader keeps its
//! copy even if the cache moves on), without `metadata.managedFields` (a third of an object's bytes,
//! never read) and the fields its readers never use (`Trim`), each in one block of the size it needs
//! (`json::compact_copy`). An index by controlling owner UID answers "what does this owner have?". Handlers run on the
//! watcher thread after the cache changed; they must be quick (they enqueue keys). Must not: decide anything about the
//! objects (that is the controllers').
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/kube/watcher.hpp"
#include "operator/runtime/boundary.hpp"

namespace mg::runtime {

//! What a cache leaves out of each object it stores, besides `metadata.managedFields` (large, never read).
struct Trim {
  //! Top-level fields no reader of this cache uses (a pool Pod's "spec"), never stored...
  std::vector<std::string> unread_fields;
  //! ... but in an object whose label `whole_label` is `whole_value`, which is stored whole.
  std::string whole_label;
  std::string whole_value;
};

//! Removes what no reader of a cache uses before the object is stored (Trim). The controller tests'
//! in-memory stores call it too.
void drop_unread(json::Value& object, const Trim& trim);

//! Called with the object after an add or change, and with its last state after a delete.
using InformerHandler = std::function<void(const json::Value& object)>;

class Informer final : public kube::WatchSink, public ObjectStore {
 public:
  //! `trim`: what is never stored (top-level fields no reader of this cache uses).
  Informer(kube::Client& client, kube::WatcherOptions options, Trim trim = {});

  //! Registers a handler; call before run().
  void add_handler(InformerHandler handler);
  //! Lists and watches until `stop`; never returns early.
  void run(std::stop_token stop);
  //! True once the first complete list is in the cache.
  [[nodiscard]] bool synced() const;

  // ObjectStore
  [[nodiscard]] ObjectPtr get(const std::string& namespace_name, const std::string& name) const override;
  [[nodiscard]] std::vector<ObjectPtr> list(const std::string& namespace_name = {}) const override;
  [[nodiscard]] std::vector<ObjectPtr> owned_by(const std::string& owner_uid) const override;
  [[nodiscard]] size_t size() const;
  [[nodiscard]] const kube::ObjectRef& resource() const { return options_.ref; }

  // kube::WatchSink
  void replace(std::vector<json::Document>&& items, const std::string& resource_version) override;
  void apply(kube::WatchEvent&& event) override;
  void failed(const Error& error) override;

 private:
  struct Entry {
    ObjectPtr object;
    std::string owner_uid;
  };
  void store_locked(const std::string& key, ObjectPtr object);  // requires mu_
  void erase_locked(const std::string& key);                    // requires mu_
  void notify(const json::Value& object) const;

  kube::Client& client_;
  const kube::WatcherOptions options_;
  const Trim trim_;
  std::vector<InformerHandler> handlers_;
  std::atomic<bool> synced_{false};

  mutable std::mutex mu_;
  std::map<std::string, Entry> objects_;                        // guarded by mu_; "ns/name" -> entry
  std::unordered_multimap<std::string, std::string> by_owner_;  // guarded by mu_; owner uid -> key
};

}  // namespace mg::runtime
