// common/api/k8s/apps.hpp
//! Kubernetes apps/v1 kinds the builders make: Deployment and StatefulSet, only the fields we set. Pure: no I/O.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/api/k8s/core.hpp"

namespace mg::api::k8s {

struct DeploymentSpec {
  int32_t replicas = 0;
  LabelSelector selector;
  PodTemplateSpec template_;
};

struct Deployment {
  std::string apiVersion = "apps/v1";
  std::string kind = "Deployment";
  ObjectMeta metadata;
  DeploymentSpec spec;
};

struct StatefulSetUpdateStrategy {
  std::string type;  //!< RollingUpdate or OnDelete
};

struct StatefulSetPersistentVolumeClaimRetentionPolicy {
  std::string whenDeleted;  //!< Retain or Delete
  std::string whenScaled;
};

struct StatefulSetSpec {
  std::string serviceName;
  int32_t replicas = 0;
  LabelSelector selector;
  std::string podManagementPolicy;
  StatefulSetUpdateStrategy updateStrategy;
  PodTemplateSpec template_;
  std::vector<PersistentVolumeClaimTemplate> volumeClaimTemplates;
  std::optional<StatefulSetPersistentVolumeClaimRetentionPolicy> persistentVolumeClaimRetentionPolicy;
};

struct StatefulSet {
  std::string apiVersion = "apps/v1";
  std::string kind = "StatefulSet";
  ObjectMeta metadata;
  StatefulSetSpec spec;
};

}  // namespace mg::api::k8s

namespace mg::api {
MG_DESCRIBE(k8s::DeploymentSpec);
MG_DESCRIBE(k8s::Deployment);
MG_DESCRIBE(k8s::StatefulSetUpdateStrategy);
MG_DESCRIBE(k8s::StatefulSetPersistentVolumeClaimRetentionPolicy);
MG_DESCRIBE(k8s::StatefulSetSpec);
MG_DESCRIBE(k8s::StatefulSet);
}  // namespace mg::api
