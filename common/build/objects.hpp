// common/build/objects.hpp
//! Shapes shared by the builders: object metadata (name, namespace, labels, controller owner
//! reference), label selectors, and the plain Deployment / Service / PodDisruptionBudget skeletons.
//! Names and labels always come from common/naming. Pure: no I/O.
#pragma once

#include <string>
#include <vector>

#include "common/api/k8s/policy.hpp"
#include "common/api/owner.hpp"
#include "common/naming/labels.hpp"

namespace mg::build {

//! `ref` marked as the controller with blockOwnerDeletion, so the garbage collector removes the child
//! with its owner and foreground deletion waits for it.
api::OwnerReference controller_ref(api::OwnerReference ref);

api::ObjectMeta object_meta(const std::string& name, const std::string& ns, const naming::Scope& scope,
                            const api::OwnerReference& owner);

api::k8s::LabelSelector label_selector(const naming::Scope& scope);

//! A pod template labelled with every label of `scope`, with the component's PodOptions: the user's
//! pod labels and annotations (ours win on a shared key, though validation keeps our prefixes out),
//! the user's nodeSelector under the builder's (the cell's zone or region wins), tolerations and
//! priority class.
api::k8s::PodTemplateSpec pod_template(const naming::Scope& scope, api::k8s::PodSpec spec,
                                       const api::PodOptions& options);

api::k8s::Deployment deployment(api::ObjectMeta meta, const naming::Scope& scope, int32_t replicas,
                                api::k8s::PodSpec pod, const api::PodOptions& options);

api::k8s::ServicePort service_port(const std::string& name, int32_t port);

//! A ClusterIP Service selecting the pods of `scope`.
api::k8s::Service cluster_ip_service(api::ObjectMeta meta, const naming::Scope& scope,
                                     std::vector<api::k8s::ServicePort> ports);

//! A headless Service that publishes not-ready addresses, so peers resolve each pod's stable name
//! before it is ready (etcd members must find each other to form a quorum; poolers register their
//! FQDN in the topology before they serve).
api::k8s::Service headless_service(api::ObjectMeta meta, const naming::Scope& scope,
                                   std::vector<api::k8s::ServicePort> ports);

api::k8s::PodDisruptionBudget pod_disruption_budget(api::ObjectMeta meta, const naming::Scope& scope,
                                                    int32_t max_unavailable);

}  // namespace mg::build
