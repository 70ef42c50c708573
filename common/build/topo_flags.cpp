// common/build/topo_flags.cpp
#include "common/build/topo_flags.hpp"

#include "common/build/pod_defaults.hpp"

namespace mg::build {
namespace k8s = api::k8s;

namespace {
// Certificates are read by uid 999 through fsGroup; 0440 keeps them away from everyone else.
constexpr int32_t kSecretMode = 0440;

k8s::Volume secret_volume(const std::string& name, const std::string& secret) {
  k8s::Volume v;
  v.name = name;
  v.secret = k8s::SecretVolumeSource{secret, {}, kSecretMode};
  return v;
}
}  // namespace

TopoWiring topo_wiring(const api::TopoReference& topo) {
  TopoWiring w;
  w.args.push_back(flag("topo-global-server-addresses", join(topo.addresses, ",")));
  w.args.push_back(flag("topo-global-root", topo.rootPath));
  if (!topo.caSecret.empty()) {
    w.args.push_back(flag("topo-etcd-tls-ca", std::string(kTopoCaDir) + "/ca.crt"));
    w.volumes.push_back(secret_volume("topo-ca", topo.caSecret));
    w.mounts.push_back(volume_mount("topo-ca", kTopoCaDir, true));
  }
  if (!topo.clientCertSecret.empty()) {
    w.args.push_back(flag("topo-etcd-tls-cert", std::string(kTopoClientCertDir) + "/tls.crt"));
    w.args.push_back(flag("topo-etcd-tls-key", std::string(kTopoClientCertDir) + "/tls.key"));
    w.volumes.push_back(secret_volume("topo-client-cert", topo.clientCertSecret));
    w.mounts.push_back(volume_mount("topo-client-cert", kTopoClientCertDir, true));
  }
  return w;
}

}  // namespace mg::build
