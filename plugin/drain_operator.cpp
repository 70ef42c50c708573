// plugin/drain_operator.cpp
#include "plugin/drain_operator.hpp"

#include <algorithm>
#include <chrono>

namespace mg::plugin {
namespace {

Result<kube::ListReply> list_leases(kube::Client& client, const std::string& namespace_name) {
  kube::ObjectRef ref;
  ref.api_version = "coordination.k8s.io/v1";
  ref.kind = "Lease";
  ref.namespace_name = namespace_name;
  kube::ListOptions options;
  options.label_selector = kOperatorLeaseSelector;
  return client.list_all(ref, options);
}

}  // namespace

Result<std::vector<OperatorInfo>> find_operators(kube::Client& client, const std::string& user_namespace) {
  std::vector<json::Document> leases;
  auto all = list_leases(client, "");
  if (all.ok()) {
    leases = std::move(all->items);
  } else if (all.error().code != ErrorCode::Forbidden) {
    return all.error().with_context("looking for the operator's Lease");
  } else {
    // Namespaced fallback: a user allowed to read Leases only where the operator runs.
    std::vector<std::string> namespaces{user_namespace};
    if (user_namespace != kOperatorNamespace) namespaces.emplace_back(kOperatorNamespace);
    std::string denied;
    size_t denied_count = 0;
    for (const auto& ns : namespaces) {
      auto some = list_leases(client, ns);
      if (some.ok()) {
        for (auto& item : some->items) leases.push_back(std::move(item));
      } else if (some.error().code == ErrorCode::Forbidden) {
        denied += (denied.empty() ? "" : ", ") + ns;
        ++denied_count;
      } else {
        return some.error().with_context("looking for the operator's Lease in namespace " + ns);
      }
    }
    if (denied_count == namespaces.size()) {
      return make_error(ErrorCode::Forbidden,
                        "forbidden to list Leases (coordination.k8s.io) in all namespaces and in " + denied +
                            ", so the operator cannot be found; ask for get/list on leases in the operator's "
                            "namespace, or pass -n with that namespace");
    }
  }
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::vector<OperatorInfo> found;
  for (const auto& lease : leases) found.push_back(parse_operator_lease(lease, now));
  std::sort(found.begin(), found.end(), [](const OperatorInfo& a, const OperatorInfo& b) {
    return a.namespace_name + "/" + a.name < b.namespace_name + "/" + b.name;
  });
  return found;
}

}  // namespace mg::plugin
