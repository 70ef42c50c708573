// common/build/multiadmin.cpp
#include "common/build/multiadmin.hpp"

#include "common/build/objects.hpp"
#include "common/build/pod_defaults.hpp"
#include "common/build/topo_flags.hpp"
#include "common/naming/names.hpp"

namespace mg::build {
namespace k8s = api::k8s;

namespace {

naming::Scope scope_of(const resolve::ResolvedCluster& rc) {
  naming::Scope s;
  s.cluster = rc.name;
  s.component = naming::kComponentAdmin;
  return s;
}

api::ObjectMeta meta_of(const resolve::ResolvedCluster& rc) {
  return object_meta(naming::multiadmin(rc.name), rc.namespace_, scope_of(rc), controller_ref(rc.owner));
}

std::vector<std::string> admin_args(const resolve::AdminSpec& admin, const TopoWiring& topo) {
  std::vector<std::string> args = {flag("http-port", kAdminHttpPort), flag("grpc-port", kAdminGrpcPort),
                                   log_level_flag(admin.component.logLevel)};
  args.insert(args.end(), topo.args.begin(), topo.args.end());
  // Without it multiadmin registers no API at all.
  args.push_back(flag("service-map", "grpc-multiadmin"));
  return args;
}

}  // namespace

k8s::Deployment multiadmin_deployment(const resolve::ResolvedCluster& rc) {
  const resolve::AdminSpec& admin = rc.multiadmin;
  const TopoWiring topo = topo_wiring(admin.globalTopoServer);

  k8s::Container c = base_container("multiadmin", admin.image, admin.imagePullPolicy);
  c.command = {std::string(kMultigresBinDir) + "multiadmin"};
  c.args = admin_args(admin, topo);
  c.ports = {container_port("http", kAdminHttpPort), container_port("grpc", kAdminGrpcPort)};
  c.resources = admin.component.resources;
  c.volumeMounts = topo.mounts;
  c.readinessProbe = readiness_probe(kAdminHttpPort);
  c.livenessProbe = liveness_probe(kAdminHttpPort);

  k8s::PodSpec pod = base_pod_spec(admin.imagePullSecrets);
  pod.affinity = admin.component.affinity;
  pod.containers = {std::move(c)};
  pod.volumes = topo.volumes;
  return deployment(meta_of(rc), scope_of(rc), admin.component.replicas, std::move(pod), admin.component);
}

k8s::Service multiadmin_service(const resolve::ResolvedCluster& rc) {
  return cluster_ip_service(meta_of(rc), scope_of(rc),
                            {service_port("http", kAdminHttpPort), service_port("grpc", kAdminGrpcPort)});
}

}  // namespace mg::build
