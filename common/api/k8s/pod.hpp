// common/api/k8s/pod.hpp
//! Kubernetes core/v1 pod types (containers, env, probes, volumes, security contexts, PodSpec), only the
//! fields the builders set. Described with the same framework as the multigres.com kinds, so they encode
//! in field order with unset fields left out. Pure: no I/O.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/api/component_types.hpp"

namespace mg::api::k8s {

struct ObjectFieldSelector {
  std::string fieldPath;  //!< e.g. metadata.name, status.podIP
};

struct EnvVarSource {
  std::optional<ObjectFieldSelector> fieldRef;
  std::optional<SecretKeySelector> secretKeyRef;
};

struct EnvVar {
  std::string name;
  std::string value;
  std::optional<EnvVarSource> valueFrom;
};

struct ContainerPort {
  std::string name;  //!< at most 15 characters, unique in the pod
  int32_t containerPort = 0;
  std::string protocol;
};

struct HTTPGetAction {
  std::string path;
  IntOrString port;
};

struct Probe {
  std::optional<HTTPGetAction> httpGet;
  std::optional<int32_t> initialDelaySeconds;
  std::optional<int32_t> periodSeconds;
  std::optional<int32_t> timeoutSeconds;
  std::optional<int32_t> failureThreshold;
};

struct SleepAction {
  int64_t seconds = 0;
};

//! A container lifecycle hook; only the sleep action (no shell or binary needed in the image).
struct LifecycleHandler {
  std::optional<SleepAction> sleep;
};

struct Lifecycle {
  std::optional<LifecycleHandler> preStop;
};

struct VolumeMount {
  std::string name;
  std::string mountPath;
  std::optional<bool> readOnly;
};

struct Capabilities {
  std::vector<std::string> drop;
};

struct SeccompProfile {
  std::string type;
};

//! Container-level security settings.
struct SecurityContext {
  std::optional<bool> runAsNonRoot;
  std::optional<int64_t> runAsUser;
  std::optional<int64_t> runAsGroup;
  std::optional<bool> allowPrivilegeEscalation;
  std::optional<Capabilities> capabilities;
  std::optional<SeccompProfile> seccompProfile;
};

//! Pod-level security settings.
struct PodSecurityContext {
  std::optional<bool> runAsNonRoot;
  std::optional<int64_t> runAsUser;
  std::optional<int64_t> runAsGroup;
  std::optional<int64_t> fsGroup;
  std::string fsGroupChangePolicy;
  std::optional<SeccompProfile> seccompProfile;
};

struct Container {
  std::string name;
  std::string image;
  std::optional<PullPolicy> imagePullPolicy;
  std::vector<std::string> command;
  std::vector<std::string> args;
  std::vector<EnvVar> env;
  std::vector<ContainerPort> ports;
  Resources resources;
  std::vector<VolumeMount> volumeMounts;
  std::optional<Probe> startupProbe;
  std::optional<Probe> readinessProbe;
  std::optional<Probe> livenessProbe;
  std::optional<Lifecycle> lifecycle;
  std::optional<SecurityContext> securityContext;
  std::string restartPolicy;  //!< "Always" on an init container makes it a native sidecar
};

struct KeyToPath {
  std::string key;
  std::string path;
};

struct PersistentVolumeClaimVolumeSource {
  std::string claimName;
};

struct ConfigMapVolumeSource {
  std::string name;
  std::vector<KeyToPath> items;
  std::optional<int32_t> defaultMode;
};

struct SecretVolumeSource {
  std::string secretName;
  std::vector<KeyToPath> items;
  std::optional<int32_t> defaultMode;
};

struct EmptyDirVolumeSource {
  Quantity sizeLimit;
};

struct Volume {
  std::string name;
  std::optional<PersistentVolumeClaimVolumeSource> persistentVolumeClaim;
  std::optional<ConfigMapVolumeSource> configMap;
  std::optional<SecretVolumeSource> secret;
  std::optional<EmptyDirVolumeSource> emptyDir;
};

//! A label selector (meta/v1), shared by workloads, PodDisruptionBudgets and spread constraints.
struct LabelSelector {
  std::map<std::string, std::string> matchLabels;
};

struct TopologySpreadConstraint {
  int32_t maxSkew = 1;
  std::string topologyKey;
  std::string whenUnsatisfiable;
  LabelSelector labelSelector;
};

struct PodSpec {
  std::string restartPolicy;  //!< a Job's pods: Never
  std::string hostname;
  std::string subdomain;
  std::optional<bool> automountServiceAccountToken;
  std::optional<bool> enableServiceLinks;
  std::optional<int64_t> terminationGracePeriodSeconds;
  std::optional<PodSecurityContext> securityContext;
  std::vector<LocalObjectReference> imagePullSecrets;
  std::map<std::string, std::string> nodeSelector;
  RawJson affinity;
  std::vector<Toleration> tolerations;
  std::vector<TopologySpreadConstraint> topologySpreadConstraints;
  std::string priorityClassName;
  std::vector<Container> initContainers;
  std::vector<Container> containers;
  std::vector<Volume> volumes;
};

struct PodTemplateSpec {
  ObjectMeta metadata;
  PodSpec spec;
};

}  // namespace mg::api::k8s

namespace mg::api {
MG_DESCRIBE(k8s::ObjectFieldSelector);
MG_DESCRIBE(k8s::EnvVarSource);
MG_DESCRIBE(k8s::EnvVar);
MG_DESCRIBE(k8s::ContainerPort);
MG_DESCRIBE(k8s::HTTPGetAction);
MG_DESCRIBE(k8s::Probe);
MG_DESCRIBE(k8s::SleepAction);
MG_DESCRIBE(k8s::LifecycleHandler);
MG_DESCRIBE(k8s::Lifecycle);
MG_DESCRIBE(k8s::VolumeMount);
MG_DESCRIBE(k8s::Capabilities);
MG_DESCRIBE(k8s::SeccompProfile);
MG_DESCRIBE(k8s::SecurityContext);
MG_DESCRIBE(k8s::PodSecurityContext);
MG_DESCRIBE(k8s::Container);
MG_DESCRIBE(k8s::KeyToPath);
MG_DESCRIBE(k8s::PersistentVolumeClaimVolumeSource);
MG_DESCRIBE(k8s::ConfigMapVolumeSource);
MG_DESCRIBE(k8s::SecretVolumeSource);
MG_DESCRIBE(k8s::EmptyDirVolumeSource);
MG_DESCRIBE(k8s::Volume);
MG_DESCRIBE(k8s::LabelSelector);
MG_DESCRIBE(k8s::TopologySpreadConstraint);
MG_DESCRIBE(k8s::PodSpec);
MG_DESCRIBE(k8s::PodTemplateSpec);
}  // namespace mg::api
