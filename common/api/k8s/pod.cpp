// common/api/k8s/pod.cpp
#include "common/api/k8s/pod.hpp"

namespace mg::api {
using namespace k8s;  // NOLINT: every name below is a k8s type

void Describe<ObjectFieldSelector>::fields(Fields<ObjectFieldSelector>& f) {
  f("fieldPath", &ObjectFieldSelector::fieldPath);
}

void Describe<EnvVarSource>::fields(Fields<EnvVarSource>& f) {
  f("fieldRef", &EnvVarSource::fieldRef);
  f("secretKeyRef", &EnvVarSource::secretKeyRef);
}

void Describe<EnvVar>::fields(Fields<EnvVar>& f) {
  f("name", &EnvVar::name);
  f("value", &EnvVar::value);
  f("valueFrom", &EnvVar::valueFrom);
}

void Describe<ContainerPort>::fields(Fields<ContainerPort>& f) {
  f("name", &ContainerPort::name);
  f("containerPort", &ContainerPort::containerPort);
  f("protocol", &ContainerPort::protocol);
}

void Describe<HTTPGetAction>::fields(Fields<HTTPGetAction>& f) {
  f("path", &HTTPGetAction::path);
  f("port", &HTTPGetAction::port);
}

void Describe<Probe>::fields(Fields<Probe>& f) {
  f("httpGet", &Probe::httpGet);
  f("initialDelaySeconds", &Probe::initialDelaySeconds);
  f("periodSeconds", &Probe::periodSeconds);
  f("timeoutSeconds", &Probe::timeoutSeconds);
  f("failureThreshold", &Probe::failureThreshold);
}

void Describe<SleepAction>::fields(Fields<SleepAction>& f) {
  f("seconds", &SleepAction::seconds);
}

void Describe<LifecycleHandler>::fields(Fields<LifecycleHandler>& f) {
  f("sleep", &LifecycleHandler::sleep);
}

void Describe<Lifecycle>::fields(Fields<Lifecycle>& f) {
  f("preStop", &Lifecycle::preStop);
}

void Describe<VolumeMount>::fields(Fields<VolumeMount>& f) {
  f("name", &VolumeMount::name);
  f("mountPath", &VolumeMount::mountPath);
  f("readOnly", &VolumeMount::readOnly);
}

void Describe<Capabilities>::fields(Fields<Capabilities>& f) {
  f("drop", &Capabilities::drop);
}

void Describe<SeccompProfile>::fields(Fields<SeccompProfile>& f) {
  f("type", &SeccompProfile::type);
}

void Describe<SecurityContext>::fields(Fields<SecurityContext>& f) {
  f("runAsNonRoot", &SecurityContext::runAsNonRoot);
  f("runAsUser", &SecurityContext::runAsUser);
  f("runAsGroup", &SecurityContext::runAsGroup);
  f("allowPrivilegeEscalation", &SecurityContext::allowPrivilegeEscalation);
  f("capabilities", &SecurityContext::capabilities);
  f("seccompProfile", &SecurityContext::seccompProfile);
}

void Describe<PodSecurityContext>::fields(Fields<PodSecurityContext>& f) {
  f("runAsNonRoot", &PodSecurityContext::runAsNonRoot);
  f("runAsUser", &PodSecurityContext::runAsUser);
  f("runAsGroup", &PodSecurityContext::runAsGroup);
  f("fsGroup", &PodSecurityContext::fsGroup);
  f("fsGroupChangePolicy", &PodSecurityContext::fsGroupChangePolicy);
  f("seccompProfile", &PodSecurityContext::seccompProfile);
}

void Describe<Container>::fields(Fields<Container>& f) {
  f("name", &Container::name);
  f("image", &Container::image);
  f("imagePullPolicy", &Container::imagePullPolicy);
  f("restartPolicy", &Container::restartPolicy);
  f("command", &Container::command);
  f("args", &Container::args);
  f("env", &Container::env);
  f("ports", &Container::ports);
  f("resources", &Container::resources);
  f("volumeMounts", &Container::volumeMounts);
  f("startupProbe", &Container::startupProbe);
  f("readinessProbe", &Container::readinessProbe);
  f("livenessProbe", &Container::livenessProbe);
  f("lifecycle", &Container::lifecycle);
  f("securityContext", &Container::securityContext);
}

void Describe<KeyToPath>::fields(Fields<KeyToPath>& f) {
  f("key", &KeyToPath::key);
  f("path", &KeyToPath::path);
}

void Describe<PersistentVolumeClaimVolumeSource>::fields(Fields<PersistentVolumeClaimVolumeSource>& f) {
  f("claimName", &PersistentVolumeClaimVolumeSource::claimName);
}

void Describe<ConfigMapVolumeSource>::fields(Fields<ConfigMapVolumeSource>& f) {
  f("name", &ConfigMapVolumeSource::name);
  f("items", &ConfigMapVolumeSource::items);
  f("defaultMode", &ConfigMapVolumeSource::defaultMode);
}

void Describe<SecretVolumeSource>::fields(Fields<SecretVolumeSource>& f) {
  f("secretName", &SecretVolumeSource::secretName);
  f("items", &SecretVolumeSource::items);
  f("defaultMode", &SecretVolumeSource::defaultMode);
}

void Describe<EmptyDirVolumeSource>::fields(Fields<EmptyDirVolumeSource>& f) {
  f("sizeLimit", &EmptyDirVolumeSource::sizeLimit);
}

void Describe<Volume>::fields(Fields<Volume>& f) {
  f("name", &Volume::name);
  f("persistentVolumeClaim", &Volume::persistentVolumeClaim);
  f("configMap", &Volume::configMap);
  f("secret", &Volume::secret);
  f("emptyDir", &Volume::emptyDir);
}

void Describe<LabelSelector>::fields(Fields<LabelSelector>& f) {
  f("matchLabels", &LabelSelector::matchLabels);
}

void Describe<TopologySpreadConstraint>::fields(Fields<TopologySpreadConstraint>& f) {
  f("maxSkew", &TopologySpreadConstraint::maxSkew);
  f("topologyKey", &TopologySpreadConstraint::topologyKey);
  f("whenUnsatisfiable", &TopologySpreadConstraint::whenUnsatisfiable);
  f("labelSelector", &TopologySpreadConstraint::labelSelector);
}

void Describe<PodSpec>::fields(Fields<PodSpec>& f) {
  f("restartPolicy", &PodSpec::restartPolicy);
  f("hostname", &PodSpec::hostname);
  f("subdomain", &PodSpec::subdomain);
  f("automountServiceAccountToken", &PodSpec::automountServiceAccountToken);
  f("enableServiceLinks", &PodSpec::enableServiceLinks);
  f("terminationGracePeriodSeconds", &PodSpec::terminationGracePeriodSeconds);
  f("securityContext", &PodSpec::securityContext);
  f("imagePullSecrets", &PodSpec::imagePullSecrets);
  f("nodeSelector", &PodSpec::nodeSelector);
  f("affinity", &PodSpec::affinity);
  f("tolerations", &PodSpec::tolerations);
  f("topologySpreadConstraints", &PodSpec::topologySpreadConstraints);
  f("priorityClassName", &PodSpec::priorityClassName);
  f("initContainers", &PodSpec::initContainers);
  f("containers", &PodSpec::containers);
  f("volumes", &PodSpec::volumes);
}

void Describe<PodTemplateSpec>::fields(Fields<PodTemplateSpec>& f) {
  f("metadata", &PodTemplateSpec::metadata).ignore_unknown();
  f("spec", &PodTemplateSpec::spec);
}

}  // namespace mg::api
