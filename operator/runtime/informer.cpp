// operator/runtime/informer.cpp
#include "operator/runtime/informer.hpp"

#include <set>

#include "operator/runtime/log.hpp"

namespace mg::runtime {
namespace {

//! Keeps a compact copy of what the cache holds of the object: the decoded document's pool also holds
//! the watch envelope, and its last chunk is partly empty.
ObjectPtr intern(json::Document&& doc, const Trim& trim) {
  drop_unread(doc, trim);
  return json::compact_copy(doc);
}

std::string owner_uid_of(const json::Value& object) {
  const json::Value* owner = controller_of(object);
  return owner ? json::get_string(*owner, "uid") : std::string();
}

std::string resource_version_of(const json::Value& object) {
  const json::Value* rv = json::at_path(object, "metadata.resourceVersion");
  return rv && rv->IsString() ? rv->GetString() : std::string();
}

}  // namespace

void drop_unread(json::Value& object, const Trim& trim) {
  if (auto meta = object.FindMember("metadata"); meta != object.MemberEnd() && meta->value.IsObject()) {
    meta->value.RemoveMember("managedFields");
  }
  if (!trim.whole_label.empty() && json::label(object, trim.whole_label) == trim.whole_value) return;
  for (const std::string& field : trim.unread_fields) object.RemoveMember(field.c_str());
}

Informer::Informer(kube::Client& client, kube::WatcherOptions options, Trim trim)
    : client_(client), options_(std::move(options)), trim_(std::move(trim)) {}

void Informer::add_handler(InformerHandler handler) { handlers_.push_back(std::move(handler)); }

void Informer::run(std::stop_token stop) {
  kube::Watcher watcher(client_, options_, *this);
  watcher.run(stop);
}

bool Informer::synced() const { return synced_.load(); }

ObjectPtr Informer::get(const std::string& namespace_name, const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = objects_.find(namespace_name.empty() ? name : namespace_name + "/" + name);
  return it == objects_.end() ? nullptr : it->second.object;
}

std::vector<ObjectPtr> Informer::list(const std::string& namespace_name) const {
  std::lock_guard lock(mu_);
  std::vector<ObjectPtr> out;
  if (namespace_name.empty()) {
    for (const auto& [key, entry] : objects_) out.push_back(entry.object);
    return out;
  }
  const std::string prefix = namespace_name + "/";
  for (auto it = objects_.lower_bound(prefix); it != objects_.end() && it->first.starts_with(prefix); ++it) {
    out.push_back(it->second.object);
  }
  return out;
}

std::vector<ObjectPtr> Informer::owned_by(const std::string& owner_uid) const {
  std::lock_guard lock(mu_);
  std::vector<ObjectPtr> out;
  auto [begin, end] = by_owner_.equal_range(owner_uid);
  for (auto it = begin; it != end; ++it) out.push_back(objects_.at(it->second).object);
  return out;
}

size_t Informer::size() const {
  std::lock_guard lock(mu_);
  return objects_.size();
}

void Informer::store_locked(const std::string& key, ObjectPtr object) {
  erase_locked(key);
  std::string owner = owner_uid_of(*object);
  if (!owner.empty()) by_owner_.emplace(owner, key);
  objects_[key] = Entry{std::move(object), std::move(owner)};
}

void Informer::erase_locked(const std::string& key) {
  auto it = objects_.find(key);
  if (it == objects_.end()) return;
  auto [begin, end] = by_owner_.equal_range(it->second.owner_uid);
  for (auto o = begin; o != end; ++o) {
    if (o->second == key) {
      by_owner_.erase(o);
      break;
    }
  }
  objects_.erase(it);
}

void Informer::notify(const json::Value& object) const {
  for (const auto& handler : handlers_) handler(object);
}

void Informer::replace(std::vector<json::Document>&& items, const std::string& /*resource_version*/) {
  std::vector<ObjectPtr> changed;
  std::vector<ObjectPtr> removed;
  {
    std::lock_guard lock(mu_);
    std::set<std::string> seen;
    for (auto& item : items) {
      ObjectPtr object = intern(std::move(item), trim_);
      std::string key = object_key(*object);
      seen.insert(key);
      auto it = objects_.find(key);
      // A relist re-delivers everything; only what changed while we were not watching is news.
      if (it == objects_.end() || resource_version_of(*it->second.object) != resource_version_of(*object)) {
        changed.push_back(object);
      }
      store_locked(key, object);
    }
    for (auto it = objects_.begin(); it != objects_.end();) {
      auto next = std::next(it);
      if (!seen.count(it->first)) {
        removed.push_back(it->second.object);
        erase_locked(it->first);
      }
      it = next;
    }
  }
  synced_ = true;
  for (const auto& object : changed) notify(*object);
  for (const auto& object : removed) notify(*object);
}

void Informer::apply(kube::WatchEvent&& event) {
  ObjectPtr object = intern(std::move(event.object), trim_);
  const std::string key = object_key(*object);
  {
    std::lock_guard lock(mu_);
    if (event.type == kube::WatchEventType::Deleted) {
      erase_locked(key);
    } else {
      store_locked(key, object);
    }
  }
  notify(*object);
}

void Informer::failed(const Error& error) {
  log_warn("informer", "watch failed; retrying", {{"resource", options_.ref.describe()}, {"error", error.message}});
}

}  // namespace mg::runtime
