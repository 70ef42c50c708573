// common/api/k8s/policy.cpp
#include "common/api/k8s/policy.hpp"

namespace mg::api {
using namespace k8s;  // NOLINT: every name below is a k8s type

void Describe<PodDisruptionBudgetSpec>::fields(Fields<PodDisruptionBudgetSpec>& f) {
  f("maxUnavailable", &PodDisruptionBudgetSpec::maxUnavailable);
  f("selector", &PodDisruptionBudgetSpec::selector);
}

void Describe<PodDisruptionBudget>::fields(Fields<PodDisruptionBudget>& f) {
  object_fields(f);
}

}  // namespace mg::api
