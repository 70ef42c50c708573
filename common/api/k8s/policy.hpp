// common/api/k8s/policy.hpp
//! Kubernetes policy/v1 PodDisruptionBudget, only the fields we set. Pure: no I/O.
#pragma once

#include <string>

#include "common/api/k8s/apps.hpp"

namespace mg::api::k8s {

struct PodDisruptionBudgetSpec {
  IntOrString maxUnavailable;
  LabelSelector selector;
};

struct PodDisruptionBudget {
  std::string apiVersion = "policy/v1";
  std::string kind = "PodDisruptionBudget";
  ObjectMeta metadata;
  PodDisruptionBudgetSpec spec;
};

}  // namespace mg::api::k8s

namespace mg::api {
MG_DESCRIBE(k8s::PodDisruptionBudgetSpec);
MG_DESCRIBE(k8s::PodDisruptionBudget);
}  // namespace mg::api
