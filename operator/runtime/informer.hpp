// operator/runtime/informer.hpp
//! Informer: the operator's read cache of one resource, kept current by a kube::Watcher (list, then
//! watch, resume, relist on 410). Controllers read only from here, never from the API server, so a
//! reconcile costs no reads. Objects are stored immutable (a reader keeps its copy even if the cache
//! moves on), without `metadata.managedFields` (a third of an object's bytes, never read) and the
//! fields its readers never use (`Trim`): as a tree in one block of the size it needs
//! (`json::compact_copy`), or as compact JSON text parsed on each read (`Trim::as_text`). An index by
//! controlling owner UID answers "what does this owner have?". Handlers run on the watcher thread after
//! the cache changed; they must be quick (they enqueue keys). Must not: decide anything about the
//! objects (that is the controllers').
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
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
  //! Stores each object as its compact JSON text, parsed again on each read: 55% of the tree's bytes
  //! (a pool StatefulSet is 9.2 KB of text and 17.2 KB as a tree). For caches read by name or by owner,
  //! a few objects per reconcile; a cache that a reconcile lists whole (pods, the Shards of a namespace)
  //! stays a tree.
  bool as_text = false;
};

//! Removes what no reader of a cache uses before the object is stored (Trim). The controller tests'
//! in-memory stores call it too.
void drop_unread(json::Value& object, const Trim& trim);

//! Called with the object after an add or change, and with its last state after a delete.
using InformerHandler = std::function<void(const json::Value& object)>;

class Informer final : public kube::WatchSink, public ObjectStore {
 public:
  //! `trim`: what is never stored (top-level fields no reader of this cache uses), and in which form.
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
  [[nodiscard]] bool contains(const std::string& namespace_name, const std::string& name) const override;
  [[nodiscard]] std::vector<std::string> keys_owned_by(const std::string& owner_uid) const override;
  [[nodiscard]] size_t size() const;
  [[nodiscard]] const kube::ObjectRef& resource() const { return options_.ref; }

  // kube::WatchSink
  void replace(std::vector<json::Document>&& items, const std::string& resource_version) override;
  void apply(kube::WatchEvent&& event) override;
  void failed(const Error& error) override;

 private:
  //! One object as the cache keeps it: `tree`, or `text` when trim_.as_text.
  struct Stored {
    ObjectPtr tree;
    std::shared_ptr<const std::string> text;
  };
  struct Entry {
    Stored stored;
    std::string owner_uid;
    std::string resource_version;
    //! The last object parsed from `stored.text`, while a reader still holds it: the passes that read
    //! an object again (a parent's rollup, then its apply) share one parse.
    mutable std::weak_ptr<const json::Document> read_back;
  };
  //! The object of `stored`, parsed when kept as text; call without mu_ (parsing takes a while).
  [[nodiscard]] ObjectPtr object_of(const Stored& stored) const;
  //! The objects of the entries `select` visits under mu_, parsed outside it where need be.
  template <class Select>
  [[nodiscard]] std::vector<ObjectPtr> read(const Select& select) const;
  //! Stores `object` (trimmed already) under `key`.
  void store_locked(const std::string& key, const json::Value& object);  // requires mu_
  void erase_locked(const std::string& key);                             // requires mu_
  void notify(const json::Value& object) const;

  kube::Client& client_;
  const kube::WatcherOptions options_;
  const Trim trim_;
  std::vector<InformerHandler> handlers_;
  std::atomic<bool> synced_{false};

  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> objects_;  // guarded by mu_; "ns/name" -> entry
  //! Guarded by mu_; owner uid -> key, both views into the entry's node in objects_ (nodes never move;
  //! an entry leaves this index before its node goes): no second copy of either string per object.
  std::unordered_multimap<std::string_view, std::string_view> by_owner_;
};

}  // namespace mg::runtime
