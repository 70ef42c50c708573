// common/build/topo_flags.hpp
//! How a Multigres process reaches the global topology: the `--topo-global-*` flags from a resolved
//! TopoReference (never hard-coded, so external and custom-root topologies work), plus the etcd TLS
//! flags and Secret volumes when the reference names a CA or client certificate. Pure: no I/O.
#pragma once

#include <string>
#include <vector>

#include "common/api/children.hpp"
#include "common/api/k8s/pod.hpp"

namespace mg::build {

inline constexpr const char* kTopoCaDir = "/certs/topo-ca";
inline constexpr const char* kTopoClientCertDir = "/certs/topo-client";

struct TopoWiring {
  std::vector<std::string> args;  //!< --topo-global-server-addresses, --topo-global-root, TLS flags
  std::vector<api::k8s::Volume> volumes;
  std::vector<api::k8s::VolumeMount> mounts;
};

//! Addresses are comma-joined in the given order. The CA Secret must hold `ca.crt`; the client Secret
//! is a kubernetes.io/tls Secret (`tls.crt`, `tls.key`).
TopoWiring topo_wiring(const api::TopoReference& topo);

}  // namespace mg::build
