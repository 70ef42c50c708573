// operator/runtime/secret_data.hpp
//! SecretData: the data of the Secrets a controller reads, fetched from the API server once per
//! resourceVersion. The Secret informer caches every Secret of the watched namespaces without its data
//! (a user's DSN and password Secrets carry none of our labels, so no selector can pick them), so only
//! the Secrets the operator uses hold their data in its memory: a namespace's unrelated Secrets (Helm
//! releases, certificates) cost their metadata only. The informer's resourceVersion says when a fetched
//! copy is stale; a reconcile that reads an unchanged Secret makes no request.
//! Must not: decide which Secret to read (the controllers do).
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "operator/runtime/boundary.hpp"

namespace mg::runtime {

class SecretData {
 public:
  //! Reads one Secret, data included (a GET; tests give their own).
  using Fetch = std::function<Result<json::Document>(const std::string& namespace_name, const std::string& name)>;

  explicit SecretData(Fetch fetch);

  //! Secret namespace/name with its data, as of `resource_version` (the cached metadata's) or newer:
  //! the copy fetched before when its version is that one, else a new fetch.
  Result<ObjectPtr> get(const std::string& namespace_name, const std::string& name,
                        const std::string& resource_version);
  //! Drops the copy of a deleted Secret.
  void forget(const std::string& namespace_name, const std::string& name);
  //! How many Secrets have their data held.
  [[nodiscard]] size_t size() const;
  //! Fetches made so far (tests and the benchmark read it).
  [[nodiscard]] size_t fetches() const;

 private:
  const Fetch fetch_;
  mutable std::mutex mu_;
  std::map<std::string, ObjectPtr> fetched_;  // guarded by mu_; "ns/name" -> the Secret as read
  size_t fetches_ = 0;                        // guarded by mu_
};

}  // namespace mg::runtime
