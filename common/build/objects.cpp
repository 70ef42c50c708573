// common/build/objects.cpp
#include "common/build/objects.hpp"

#include <utility>

namespace mg::build {
namespace k8s = api::k8s;

api::OwnerReference controller_ref(api::OwnerReference ref) {
  ref.controller = true;
  ref.blockOwnerDeletion = true;
  return ref;
}

api::ObjectMeta object_meta(const std::string& name, const std::string& ns, const naming::Scope& scope,
                            const api::OwnerReference& owner) {
  api::ObjectMeta meta;
  meta.name = name;
  meta.namespace_ = ns;
  meta.labels = naming::labels(scope);
  meta.ownerReferences = {owner};
  return meta;
}

k8s::LabelSelector label_selector(const naming::Scope& scope) {
  return k8s::LabelSelector{naming::selector(scope)};
}

k8s::PodTemplateSpec pod_template(const naming::Scope& scope, k8s::PodSpec spec, const api::PodOptions& options) {
  k8s::PodTemplateSpec t;
  t.metadata.labels = options.podLabels;
  for (auto& [key, value] : naming::labels(scope)) t.metadata.labels[key] = std::move(value);
  t.metadata.annotations = options.podAnnotations;
  std::map<std::string, std::string> selector = options.nodeSelector;
  for (auto& [key, value] : spec.nodeSelector) selector[key] = std::move(value);
  spec.nodeSelector = std::move(selector);
  spec.tolerations = options.tolerations;
  spec.priorityClassName = options.priorityClassName;
  t.spec = std::move(spec);
  return t;
}

k8s::Deployment deployment(api::ObjectMeta meta, const naming::Scope& scope, int32_t replicas, k8s::PodSpec pod,
                           const api::PodOptions& options) {
  k8s::Deployment d;
  d.metadata = std::move(meta);
  d.spec.replicas = replicas;
  d.spec.selector = label_selector(scope);
  d.spec.template_ = pod_template(scope, std::move(pod), options);
  return d;
}

k8s::ServicePort service_port(const std::string& name, int32_t port) {
  return k8s::ServicePort{name, "TCP", port, api::IntOrString::of(port)};
}

k8s::Service cluster_ip_service(api::ObjectMeta meta, const naming::Scope& scope, std::vector<k8s::ServicePort> ports) {
  k8s::Service s;
  s.metadata = std::move(meta);
  s.spec.type = "ClusterIP";
  s.spec.selector = naming::selector(scope);
  s.spec.ports = std::move(ports);
  return s;
}

k8s::Service headless_service(api::ObjectMeta meta, const naming::Scope& scope, std::vector<k8s::ServicePort> ports) {
  k8s::Service s = cluster_ip_service(std::move(meta), scope, std::move(ports));
  s.spec.clusterIP = "None";
  s.spec.publishNotReadyAddresses = true;
  return s;
}

k8s::PodDisruptionBudget pod_disruption_budget(api::ObjectMeta meta, const naming::Scope& scope,
                                               int32_t max_unavailable) {
  k8s::PodDisruptionBudget pdb;
  pdb.metadata = std::move(meta);
  pdb.spec.maxUnavailable = api::IntOrString::of(max_unavailable);
  pdb.spec.selector = label_selector(scope);
  return pdb;
}

}  // namespace mg::build
