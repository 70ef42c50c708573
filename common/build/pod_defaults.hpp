// common/build/pod_defaults.hpp
//! What every pod and container the operator makes has in common: non-root uid 999 with a locked-down
//! security context, explicit pull policy and pull secrets, no service-account token or service-link
//! env, `/ready` and `/live` probes, and small constructors for env vars, ports and flags.
//! Pure: no I/O, clock, randomness or env.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/api/children.hpp"
#include "common/api/k8s/pod.hpp"

namespace mg::build {

//! uid/gid of the postgres user in the Multigres images; servenv binaries refuse uid 0.
inline constexpr int64_t kRunAsId = 999;
//! Where the ghcr.io/multigres/multigres image keeps its binaries (it has no ENTRYPOINT).
inline constexpr const char* kMultigresBinDir = "/multigres/bin/";

//! runAsNonRoot, uid/gid/fsGroup 999, seccomp RuntimeDefault; fsGroup changes only on mismatch so a
//! large data volume is not walked on every start.
api::k8s::PodSecurityContext pod_security_context();

//! runAsNonRoot, uid/gid 999, no privilege escalation, all capabilities dropped, seccomp RuntimeDefault.
api::k8s::SecurityContext container_security_context();

//! A pod spec carrying the defaults every pod gets (security context, pull secrets, no token, no
//! service links). Callers add containers, volumes and placement.
api::k8s::PodSpec base_pod_spec(const std::vector<api::LocalObjectReference>& pull_secrets);

//! A container with image, pull policy (IfNotPresent when unset) and the container security context.
api::k8s::Container base_container(const std::string& name, const std::string& image,
                                   const std::optional<api::PullPolicy>& pull_policy);

//! httpGet `/ready` on `port`: serving traffic is gated on the component's own checks.
api::k8s::Probe readiness_probe(int32_t port);
//! httpGet `/live` on `port`: 200 as soon as HTTP is up, so safe from the first second.
api::k8s::Probe liveness_probe(int32_t port);
//! httpGet `path` on `port` with the given period and failure threshold.
api::k8s::Probe http_probe(const std::string& path, int32_t port, int32_t period, int32_t failures);

api::k8s::ContainerPort container_port(const std::string& name, int32_t port);
api::k8s::EnvVar env_value(const std::string& name, const std::string& value);
//! An env var from the downward API (`metadata.name`, `metadata.namespace`, `status.podIP`).
api::k8s::EnvVar env_field(const std::string& name, const std::string& field_path);
api::k8s::EnvVar env_secret(const std::string& name, const std::string& secret, const std::string& key);

api::k8s::VolumeMount volume_mount(const std::string& name, const std::string& path, bool read_only = false);

//! `--name=value`.
std::string flag(const std::string& name, const std::string& value);
//! `--log-level=<level>`, the flag every Multigres binary (servenv) takes.
std::string log_level_flag(api::LogLevel level);
std::string flag(const std::string& name, int32_t value);
//! A Go duration of whole seconds: `4s`.
std::string seconds(int32_t value);
std::string join(const std::vector<std::string>& items, const std::string& separator);

//! nodeSelector for a cell: zone → topology.kubernetes.io/zone, else region → topology.kubernetes.io/region.
std::map<std::string, std::string> node_selector(const std::string& zone, const std::string& region);

}  // namespace mg::build
