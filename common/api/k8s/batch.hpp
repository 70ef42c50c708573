// common/api/k8s/batch.hpp
//! Kubernetes batch/v1 Job, only the fields we set (a MultigresRestore's repository pruning). Pure: no I/O.
#pragma once

#include <optional>
#include <string>

#include "common/api/k8s/core.hpp"

namespace mg::api::k8s {

struct JobSpec {
  std::optional<int32_t> backoffLimit;
  std::optional<int64_t> activeDeadlineSeconds;
  PodTemplateSpec template_;
};

struct Job {
  std::string apiVersion = "batch/v1";
  std::string kind = "Job";
  ObjectMeta metadata;
  JobSpec spec;
};

}  // namespace mg::api::k8s

namespace mg::api {
MG_DESCRIBE(k8s::JobSpec);
MG_DESCRIBE(k8s::Job);
}  // namespace mg::api
