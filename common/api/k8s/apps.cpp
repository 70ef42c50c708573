// common/api/k8s/apps.cpp
#include "common/api/k8s/apps.hpp"

namespace mg::api {
using namespace k8s;  // NOLINT: every name below is a k8s type

void Describe<DeploymentSpec>::fields(Fields<DeploymentSpec>& f) {
  f("replicas", &DeploymentSpec::replicas);
  f("selector", &DeploymentSpec::selector);
  f("template", &DeploymentSpec::template_);
}

void Describe<Deployment>::fields(Fields<Deployment>& f) {
  object_fields(f);
}

void Describe<StatefulSetUpdateStrategy>::fields(Fields<StatefulSetUpdateStrategy>& f) {
  f("type", &StatefulSetUpdateStrategy::type);
}

void Describe<StatefulSetPersistentVolumeClaimRetentionPolicy>::fields(
    Fields<StatefulSetPersistentVolumeClaimRetentionPolicy>& f) {
  f("whenDeleted", &StatefulSetPersistentVolumeClaimRetentionPolicy::whenDeleted);
  f("whenScaled", &StatefulSetPersistentVolumeClaimRetentionPolicy::whenScaled);
}

void Describe<StatefulSetSpec>::fields(Fields<StatefulSetSpec>& f) {
  f("serviceName", &StatefulSetSpec::serviceName);
  f("replicas", &StatefulSetSpec::replicas);
  f("selector", &StatefulSetSpec::selector);
  f("podManagementPolicy", &StatefulSetSpec::podManagementPolicy);
  f("updateStrategy", &StatefulSetSpec::updateStrategy);
  f("persistentVolumeClaimRetentionPolicy", &StatefulSetSpec::persistentVolumeClaimRetentionPolicy);
  f("template", &StatefulSetSpec::template_);
  f("volumeClaimTemplates", &StatefulSetSpec::volumeClaimTemplates);
}

void Describe<StatefulSet>::fields(Fields<StatefulSet>& f) {
  object_fields(f);
}

}  // namespace mg::api
