// common/api/k8s/core.hpp
//! Kubernetes core/v1 top-level kinds the builders make: Service, ConfigMap, Secret and
//! PersistentVolumeClaim, only the fields we set. Pure: no I/O.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/api/k8s/pod.hpp"

namespace mg::api::k8s {

struct ServicePort {
  std::string name;
  std::string protocol;
  int32_t port = 0;
  IntOrString targetPort;
};

struct ServiceSpec {
  std::string type;
  std::string clusterIP;  //!< "None" makes the Service headless
  std::string externalName;  //!< the DNS name a type ExternalName Service points at
  std::optional<bool> publishNotReadyAddresses;
  std::map<std::string, std::string> selector;
  std::vector<ServicePort> ports;
  std::vector<std::string> externalIPs;
};

struct Service {
  std::string apiVersion = "v1";
  std::string kind = "Service";
  ObjectMeta metadata;
  ServiceSpec spec;
};

//! ConfigMap has no spec: data sits at the top level.
struct ConfigMap {
  std::string apiVersion = "v1";
  std::string kind = "ConfigMap";
  ObjectMeta metadata;
  std::map<std::string, std::string> data;
};

//! Secret has no spec. `data` values are base64; `stringData` is write-only plain text.
struct Secret {
  std::string apiVersion = "v1";
  std::string kind = "Secret";
  ObjectMeta metadata;
  std::string type;
  std::map<std::string, std::string> data;
  std::map<std::string, std::string> stringData;
};

struct PersistentVolumeClaimSpec {
  std::vector<std::string> accessModes;
  std::string storageClassName;  //!< empty: left out, so the cluster's default class applies
  Resources resources;           //!< requests.storage
};

struct PersistentVolumeClaim {
  std::string apiVersion = "v1";
  std::string kind = "PersistentVolumeClaim";
  ObjectMeta metadata;
  PersistentVolumeClaimSpec spec;
};

//! An element of StatefulSet volumeClaimTemplates: a PVC without apiVersion and kind.
struct PersistentVolumeClaimTemplate {
  ObjectMeta metadata;
  PersistentVolumeClaimSpec spec;
};

}  // namespace mg::api::k8s

namespace mg::api {
MG_DESCRIBE(k8s::ServicePort);
MG_DESCRIBE(k8s::ServiceSpec);
MG_DESCRIBE(k8s::Service);
MG_DESCRIBE(k8s::ConfigMap);
MG_DESCRIBE(k8s::Secret);
MG_DESCRIBE(k8s::PersistentVolumeClaimSpec);
MG_DESCRIBE(k8s::PersistentVolumeClaim);
MG_DESCRIBE(k8s::PersistentVolumeClaimTemplate);
}  // namespace mg::api
