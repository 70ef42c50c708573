// common/build/pod_defaults.cpp
#include "common/build/pod_defaults.hpp"

#include "common/naming/labels.hpp"

namespace mg::build {
namespace k8s = api::k8s;

namespace {
k8s::SeccompProfile runtime_default() {
  return k8s::SeccompProfile{"RuntimeDefault"};
}
}  // namespace

k8s::PodSecurityContext pod_security_context() {
  k8s::PodSecurityContext sc;
  sc.runAsNonRoot = true;
  sc.runAsUser = kRunAsId;
  sc.runAsGroup = kRunAsId;
  sc.fsGroup = kRunAsId;
  sc.fsGroupChangePolicy = "OnRootMismatch";
  sc.seccompProfile = runtime_default();
  return sc;
}

k8s::SecurityContext container_security_context() {
  k8s::SecurityContext sc;
  sc.runAsNonRoot = true;
  sc.runAsUser = kRunAsId;
  sc.runAsGroup = kRunAsId;
  sc.allowPrivilegeEscalation = false;
  sc.capabilities = k8s::Capabilities{{"ALL"}};
  sc.seccompProfile = runtime_default();
  return sc;
}

k8s::PodSpec base_pod_spec(const std::vector<api::LocalObjectReference>& pull_secrets) {
  k8s::PodSpec spec;
  // No Multigres process talks to the Kubernetes API, so no token is mounted.
  spec.automountServiceAccountToken = false;
  // Service links would inject <SERVICE>_PORT variables; a Service named "postgres" would then set
  // POSTGRES_PORT and friends next to the POSTGRES_* variables pgctld reads.
  spec.enableServiceLinks = false;
  spec.securityContext = pod_security_context();
  spec.imagePullSecrets = pull_secrets;
  return spec;
}

k8s::Container base_container(const std::string& name, const std::string& image,
                              const std::optional<api::PullPolicy>& pull_policy) {
  k8s::Container c;
  c.name = name;
  c.image = image;
  // Explicit, so a diff against the live object does not see the API server's default appear.
  c.imagePullPolicy = pull_policy.value_or(api::PullPolicy::IfNotPresent);
  c.securityContext = container_security_context();
  return c;
}

k8s::Probe http_probe(const std::string& path, int32_t port, int32_t period, int32_t failures) {
  k8s::Probe p;
  p.httpGet = k8s::HTTPGetAction{path, api::IntOrString::of(port)};
  p.periodSeconds = period;
  p.failureThreshold = failures;
  return p;
}

k8s::Probe readiness_probe(int32_t port) {
  return http_probe("/ready", port, 5, 3);
}

// A minute of failed checks before a restart: /live only needs the HTTP server, so a failure means
// the process is wedged, not busy starting.
k8s::Probe liveness_probe(int32_t port) {
  return http_probe("/live", port, 10, 6);
}

k8s::ContainerPort container_port(const std::string& name, int32_t port) {
  return k8s::ContainerPort{name, port, "TCP"};
}

k8s::EnvVar env_value(const std::string& name, const std::string& value) {
  return k8s::EnvVar{name, value, {}};
}

k8s::EnvVar env_field(const std::string& name, const std::string& field_path) {
  k8s::EnvVarSource from;
  from.fieldRef = k8s::ObjectFieldSelector{field_path};
  return k8s::EnvVar{name, {}, from};
}

k8s::EnvVar env_secret(const std::string& name, const std::string& secret, const std::string& key) {
  k8s::EnvVarSource from;
  from.secretKeyRef = api::SecretKeySelector{secret, key};
  return k8s::EnvVar{name, {}, from};
}

k8s::VolumeMount volume_mount(const std::string& name, const std::string& path, bool read_only) {
  k8s::VolumeMount m{name, path, {}};
  if (read_only) m.readOnly = true;
  return m;
}

std::string flag(const std::string& name, const std::string& value) {
  return "--" + name + "=" + value;
}
std::string log_level_flag(api::LogLevel level) {
  return flag("log-level", std::string(api::Codec<api::LogLevel>::name(level)));
}

std::string flag(const std::string& name, int32_t value) {
  return flag(name, std::to_string(value));
}

std::string seconds(int32_t value) {
  return std::to_string(value) + "s";
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::map<std::string, std::string> node_selector(const std::string& zone, const std::string& region) {
  if (!zone.empty()) return {{naming::kLabelZone, zone}};
  if (!region.empty()) return {{naming::kLabelRegion, region}};
  return {};
}

}  // namespace mg::build
