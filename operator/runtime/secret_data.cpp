// operator/runtime/secret_data.cpp
#include "operator/runtime/secret_data.hpp"

#include "operator/runtime/informer.hpp"

namespace mg::runtime {
namespace {

std::string key_of(const std::string& namespace_name, const std::string& name) {
  return namespace_name + "/" + name;
}

}  // namespace

SecretData::SecretData(Fetch fetch) : fetch_(std::move(fetch)) {}

Result<ObjectPtr> SecretData::get(const std::string& namespace_name, const std::string& name,
                                  const std::string& resource_version) {
  const std::string key = key_of(namespace_name, name);
  {
    std::lock_guard lock(mu_);
    if (auto it = fetched_.find(key);
        it != fetched_.end() && json::string_at(*it->second, "metadata.resourceVersion") == resource_version) {
      return it->second;
    }
    ++fetches_;
  }
  // Outside the lock: one slow read must not hold up the other workers' Secrets.
  auto secret = fetch_(namespace_name, name);
  if (!secret.ok()) return secret.error();
  drop_unread(*secret, Trim{});
  ObjectPtr stored = json::compact_copy(*secret);
  std::lock_guard lock(mu_);
  fetched_[key] = stored;
  return stored;
}

void SecretData::forget(const std::string& namespace_name, const std::string& name) {
  std::lock_guard lock(mu_);
  fetched_.erase(key_of(namespace_name, name));
}

size_t SecretData::size() const {
  std::lock_guard lock(mu_);
  return fetched_.size();
}

size_t SecretData::fetches() const {
  std::lock_guard lock(mu_);
  return fetches_;
}

}  // namespace mg::runtime
