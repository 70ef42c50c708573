// common/build/multigateway.cpp
#include "common/build/multigateway.hpp"

#include "common/build/objects.hpp"
#include "common/build/pod_defaults.hpp"
#include "common/build/topo_flags.hpp"
#include "common/naming/names.hpp"

namespace mg::build {
namespace k8s = api::k8s;

namespace {

naming::Scope scope_of(const api::Cell& cell) {
  naming::Scope s;
  s.cluster = cell.spec.clusterName;
  s.component = naming::kComponentGateway;
  s.cell = cell.spec.name;
  return s;
}

api::ObjectMeta meta_of(const api::Cell& cell) {
  return object_meta(naming::multigateway(cell.spec.clusterName, cell.spec.name), cell.metadata.namespace_,
                     scope_of(cell), api::owner_reference(cell));
}

std::vector<std::string> gateway_args(const api::Cell& cell, const TopoWiring& topo) {
  std::vector<std::string> args = {flag("cell", cell.spec.name),
                                   flag("http-port", kGatewayHttpPort),
                                   flag("grpc-port", kGatewayGrpcPort),
                                   flag("pg-port", kPostgresPort),
                                   flag("pg-replica-port", kGatewayPgReplicaPort),
                                   log_level_flag(cell.spec.multiGateway.logLevel)};
  args.insert(args.end(), topo.args.begin(), topo.args.end());
  // Registered in the topology and dialled by peers; the pod IP needs no extra DNS records.
  args.push_back(flag("hostname", "$(POD_IP)"));
  return args;
}

}  // namespace

k8s::Deployment multigateway_deployment(const api::Cell& cell) {
  const TopoWiring topo = topo_wiring(cell.spec.globalTopoServer);
  const api::ComponentSpec& gw = cell.spec.multiGateway;

  k8s::Container c = base_container("multigateway", cell.spec.images.multigateway, cell.spec.images.imagePullPolicy);
  c.command = {std::string(kMultigresBinDir) + "multigateway"};
  c.args = gateway_args(cell, topo);
  c.env = {env_field("POD_IP", "status.podIP")};
  c.ports = {container_port("http", kGatewayHttpPort), container_port("grpc", kGatewayGrpcPort),
             container_port("postgres", kPostgresPort), container_port("pg-replica", kGatewayPgReplicaPort)};
  c.resources = gw.resources;
  c.volumeMounts = topo.mounts;
  c.readinessProbe = readiness_probe(kGatewayHttpPort);
  c.livenessProbe = liveness_probe(kGatewayHttpPort);

  k8s::PodSpec pod = base_pod_spec(cell.spec.images.imagePullSecrets);
  pod.nodeSelector = node_selector(cell.spec.zone, cell.spec.region);
  pod.affinity = gw.affinity;
  pod.containers = {std::move(c)};
  pod.volumes = topo.volumes;
  return deployment(meta_of(cell), scope_of(cell), gw.replicas, std::move(pod), gw);
}

// Only the PostgreSQL ports: peers reach gateways at the pod IPs they register, never through this.
k8s::Service multigateway_service(const api::Cell& cell) {
  return cluster_ip_service(
      meta_of(cell), scope_of(cell),
      {service_port("postgres", kPostgresPort), service_port("pg-replica", kGatewayPgReplicaPort)});
}

}  // namespace mg::build
