// common/api/k8s/core.cpp
#include "common/api/k8s/core.hpp"

namespace mg::api {
using namespace k8s;  // NOLINT: every name below is a k8s type

void Describe<ServicePort>::fields(Fields<ServicePort>& f) {
  f("name", &ServicePort::name);
  f("protocol", &ServicePort::protocol);
  f("port", &ServicePort::port);
  f("targetPort", &ServicePort::targetPort);
}

void Describe<ServiceSpec>::fields(Fields<ServiceSpec>& f) {
  f("type", &ServiceSpec::type);
  f("clusterIP", &ServiceSpec::clusterIP);
  f("externalName", &ServiceSpec::externalName);
  f("publishNotReadyAddresses", &ServiceSpec::publishNotReadyAddresses);
  f("selector", &ServiceSpec::selector);
  f("ports", &ServiceSpec::ports);
  f("externalIPs", &ServiceSpec::externalIPs);
}

void Describe<Service>::fields(Fields<Service>& f) {
  object_fields(f);
}

void Describe<ConfigMap>::fields(Fields<ConfigMap>& f) {
  f("apiVersion", &ConfigMap::apiVersion);
  f("kind", &ConfigMap::kind);
  f("metadata", &ConfigMap::metadata).ignore_unknown();
  f("data", &ConfigMap::data);
}

void Describe<Secret>::fields(Fields<Secret>& f) {
  f("apiVersion", &Secret::apiVersion);
  f("kind", &Secret::kind);
  f("metadata", &Secret::metadata).ignore_unknown();
  f("type", &Secret::type);
  f("data", &Secret::data);
  f("stringData", &Secret::stringData);
}

void Describe<PersistentVolumeClaimSpec>::fields(Fields<PersistentVolumeClaimSpec>& f) {
  f("accessModes", &PersistentVolumeClaimSpec::accessModes);
  f("storageClassName", &PersistentVolumeClaimSpec::storageClassName);
  f("resources", &PersistentVolumeClaimSpec::resources);
}

void Describe<PersistentVolumeClaim>::fields(Fields<PersistentVolumeClaim>& f) {
  object_fields(f);
}

void Describe<PersistentVolumeClaimTemplate>::fields(Fields<PersistentVolumeClaimTemplate>& f) {
  f("metadata", &PersistentVolumeClaimTemplate::metadata).ignore_unknown();
  f("spec", &PersistentVolumeClaimTemplate::spec);
}

}  // namespace mg::api
