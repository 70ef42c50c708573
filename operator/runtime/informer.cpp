// operator/runtime/informer.cpp
#include "operator/runtime/informer.hpp"

#include <set>

#include "operator/runtime/log.hpp"

namespace mg::runtime {
namespace {

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

ObjectPtr Informer::object_of(const Stored& stored) const {
  if (stored.tree || !stored.text) return stored.tree;
  // The text is our own serialization of an object the API server sent: it parses unless memory ran out.
  auto parsed = json::parse_json(*stored.text, options_.ref.describe(), json::kServerLimits);
  if (!parsed.ok()) {
    log_error("informer", "cannot read a cached object back", {{"error", parsed.error().message}});
    return nullptr;
  }
  // Not make_shared: the entry's weak read_back would keep a combined block's memory after the last reader.
  return ObjectPtr(new json::Document(std::move(*parsed)));
}

template <class Select>
std::vector<ObjectPtr> Informer::read(const Select& select) const {
  struct Pending {
    size_t slot;
    std::string key;
    std::shared_ptr<const std::string> text;
  };
  std::vector<ObjectPtr> out;
  std::vector<Pending> pending;
  {
    std::lock_guard lock(mu_);
    select([&](const std::string& key, const Entry& entry) {
      ObjectPtr ready = entry.stored.tree ? entry.stored.tree : entry.read_back.lock();
      if (!ready) pending.push_back({out.size(), key, entry.stored.text});
      out.push_back(std::move(ready));
    });
  }
  if (pending.empty()) return out;
  for (Pending& p : pending) out[p.slot] = object_of(Stored{nullptr, p.text});
  {
    std::lock_guard lock(mu_);
    for (const Pending& p : pending) {
      auto it = objects_.find(p.key);
      if (it != objects_.end() && it->second.stored.text == p.text) it->second.read_back = out[p.slot];
    }
  }
  std::erase(out, nullptr);  // text that did not parse (logged)
  return out;
}

ObjectPtr Informer::get(const std::string& namespace_name, const std::string& name) const {
  const std::string key = join_key(namespace_name, name);
  std::vector<ObjectPtr> found = read([&](const auto& visit) {
    if (auto it = objects_.find(key); it != objects_.end()) visit(it->first, it->second);
  });
  return found.empty() ? nullptr : std::move(found.front());
}

std::vector<ObjectPtr> Informer::list(const std::string& namespace_name) const {
  const std::string prefix = namespace_name.empty() ? std::string() : namespace_name + "/";
  return read([&](const auto& visit) {
    for (auto it = objects_.lower_bound(prefix); it != objects_.end() && it->first.starts_with(prefix); ++it) {
      visit(it->first, it->second);
    }
  });
}

std::vector<ObjectPtr> Informer::owned_by(const std::string& owner_uid) const {
  return read([&](const auto& visit) {
    auto [begin, end] = by_owner_.equal_range(owner_uid);
    for (auto it = begin; it != end; ++it) {
      auto entry = objects_.find(it->second);
      visit(entry->first, entry->second);
    }
  });
}

bool Informer::contains(const std::string& namespace_name, const std::string& name) const {
  std::lock_guard lock(mu_);
  return objects_.contains(join_key(namespace_name, name));
}

std::vector<std::string> Informer::keys_owned_by(const std::string& owner_uid) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> keys;
  auto [begin, end] = by_owner_.equal_range(owner_uid);
  for (auto it = begin; it != end; ++it) keys.emplace_back(it->second);
  return keys;
}

size_t Informer::size() const {
  std::lock_guard lock(mu_);
  return objects_.size();
}

void Informer::store_locked(const std::string& key, const json::Value& object) {
  erase_locked(key);
  Stored stored;
  if (trim_.as_text) {
    stored.text = std::make_shared<const std::string>(json::to_json(object));
  } else {
    stored.tree = json::compact_copy(object);  // without the watch envelope and the pool's empty tail
  }
  std::string owner = owner_uid_of(object);
  auto it = objects_.emplace(key, Entry{std::move(stored), std::move(owner), resource_version_of(object), {}}).first;
  if (!it->second.owner_uid.empty()) by_owner_.emplace(it->second.owner_uid, it->first);
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
  std::vector<const json::Document*> changed;  // items outlive the handlers' calls
  std::vector<Stored> removed;
  {
    std::lock_guard lock(mu_);
    std::set<std::string> seen;
    for (auto& item : items) {
      drop_unread(item, trim_);
      std::string key = object_key(item);
      seen.insert(key);
      auto it = objects_.find(key);
      // A relist re-delivers everything; only what changed while we were not watching is news.
      if (it == objects_.end() || it->second.resource_version != resource_version_of(item)) changed.push_back(&item);
      store_locked(key, item);
    }
    for (auto it = objects_.begin(); it != objects_.end();) {
      auto next = std::next(it);
      if (!seen.count(it->first)) {
        removed.push_back(it->second.stored);
        erase_locked(it->first);
      }
      it = next;
    }
  }
  synced_ = true;
  for (const json::Document* object : changed) notify(*object);
  for (const Stored& gone : removed) {
    if (ObjectPtr object = object_of(gone)) notify(*object);
  }
}

void Informer::apply(kube::WatchEvent&& event) {
  json::Document& object = event.object;
  drop_unread(object, trim_);
  const std::string key = object_key(object);
  {
    std::lock_guard lock(mu_);
    if (event.type == kube::WatchEventType::Deleted) {
      erase_locked(key);
    } else {
      store_locked(key, object);
    }
  }
  notify(object);
}

void Informer::failed(const Error& error) {
  log_warn("informer", "watch failed; retrying", {{"resource", options_.ref.describe()}, {"error", error.message}});
}

}  // namespace mg::runtime
