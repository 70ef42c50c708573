// common/build/etcd.cpp
#include "common/build/etcd.hpp"

#include <algorithm>
#include <string>

#include "common/build/objects.hpp"
#include "common/build/pod_defaults.hpp"
#include "common/naming/names.hpp"

namespace mg::build {
namespace k8s = api::k8s;

namespace {

constexpr const char* kDataVolume = "data";
constexpr const char* kDataMount = "/var/lib/etcd";
// A directory etcd creates itself (mode 0700) below the mount, not the volume root with lost+found.
constexpr const char* kDataDir = "/var/lib/etcd/data";

naming::Scope scope_of(const api::TopoServer& ts) {
  naming::Scope s;
  s.cluster = ts.spec.clusterName;
  s.component = naming::kComponentTopo;
  s.cell = ts.spec.cell;
  s.topo_server = ts.metadata.name;
  return s;
}

api::ObjectMeta meta_of(const api::TopoServer& ts, const std::string& name) {
  return object_meta(name, ts.metadata.namespace_, scope_of(ts), api::owner_reference(ts));
}

std::string url(const std::string& host, int32_t port) {
  return "http://" + host + ":" + std::to_string(port);
}

// `<member>.<peer service>.<namespace>.svc`: resolvable through the pod's DNS search path whatever the
// cluster domain is (the Go operator hard-codes cluster.local).
std::string member_host(const std::string& member, const std::string& peer_service) {
  return member + "." + peer_service + ".$(POD_NAMESPACE).svc";
}

std::string initial_cluster(const api::TopoServer& ts) {
  const std::string sts = naming::etcd_stateful_set(ts.metadata.name);
  const std::string peer = naming::etcd_peer_service(ts.metadata.name);
  std::vector<std::string> members;
  for (int32_t i = 0; i < ts.spec.replicas; ++i) {
    std::string member = sts + "-" + std::to_string(i);
    members.push_back(member + "=" + url(member_host(member, peer), kEtcdPeerPort));
  }
  return join(members, ",");
}

std::vector<k8s::EnvVar> etcd_env(const api::TopoServer& ts) {
  const std::string self = member_host("$(POD_NAME)", naming::etcd_peer_service(ts.metadata.name));
  return {
      // Declared first: the ETCD_* values below expand them.
      env_field("POD_NAME", "metadata.name"),
      env_field("POD_NAMESPACE", "metadata.namespace"),
      env_value("ETCD_NAME", "$(POD_NAME)"),
      env_value("ETCD_DATA_DIR", kDataDir),
      env_value("ETCD_LISTEN_CLIENT_URLS", url("0.0.0.0", kEtcdClientPort)),
      env_value("ETCD_LISTEN_PEER_URLS", url("0.0.0.0", kEtcdPeerPort)),
      env_value("ETCD_LISTEN_METRICS_URLS", url("0.0.0.0", kEtcdMetricsPort)),
      env_value("ETCD_ADVERTISE_CLIENT_URLS", url(self, kEtcdClientPort)),
      env_value("ETCD_INITIAL_ADVERTISE_PEER_URLS", url(self, kEtcdPeerPort)),
      env_value("ETCD_INITIAL_CLUSTER", initial_cluster(ts)),
      env_value("ETCD_INITIAL_CLUSTER_TOKEN", ts.metadata.name),
      env_value("ETCD_INITIAL_CLUSTER_STATE", "new"),
  };
}

k8s::Container etcd_container(const api::TopoServer& ts) {
  k8s::Container c = base_container("etcd", ts.spec.image, ts.spec.imagePullPolicy);
  c.env = etcd_env(ts);
  c.ports = {container_port("client", kEtcdClientPort), container_port("peer", kEtcdPeerPort),
             container_port("metrics", kEtcdMetricsPort)};
  c.resources = ts.spec.resources;
  c.volumeMounts = {volume_mount(kDataVolume, kDataMount)};
  c.readinessProbe = http_probe("/readyz", kEtcdMetricsPort, 5, 3);
  c.livenessProbe = http_probe("/livez", kEtcdMetricsPort, 10, 6);
  return c;
}

k8s::PersistentVolumeClaimTemplate data_claim(const api::TopoServer& ts) {
  k8s::PersistentVolumeClaimTemplate pvc;
  pvc.metadata.name = kDataVolume;
  pvc.metadata.labels = naming::labels(scope_of(ts));
  pvc.spec.accessModes = {"ReadWriteOnce"};
  pvc.spec.storageClassName = ts.spec.storage.class_;
  pvc.spec.resources.requests["storage"] = ts.spec.storage.size;
  return pvc;
}

}  // namespace

k8s::StatefulSet etcd_stateful_set(const api::TopoServer& ts) {
  const naming::Scope scope = scope_of(ts);
  k8s::PodSpec pod = base_pod_spec(ts.spec.imagePullSecrets);
  pod.subdomain = naming::etcd_peer_service(ts.metadata.name);
  pod.containers = {etcd_container(ts)};

  k8s::StatefulSet sts;
  sts.metadata = meta_of(ts, naming::etcd_stateful_set(ts.metadata.name));
  sts.spec.serviceName = naming::etcd_peer_service(ts.metadata.name);
  sts.spec.replicas = ts.spec.replicas;
  sts.spec.selector = label_selector(scope);
  // OrderedReady would deadlock: member 0 is not ready until a quorum of members runs.
  sts.spec.podManagementPolicy = "Parallel";
  sts.spec.updateStrategy.type = "RollingUpdate";
  // The topology is rebuilt by the operator; a re-created cluster must not inherit stale records.
  sts.spec.persistentVolumeClaimRetentionPolicy =
      k8s::StatefulSetPersistentVolumeClaimRetentionPolicy{"Delete", "Delete"};
  sts.spec.template_ = pod_template(scope, std::move(pod), ts.spec);
  sts.spec.volumeClaimTemplates = {data_claim(ts)};
  return sts;
}

k8s::Service etcd_peer_service(const api::TopoServer& ts) {
  return headless_service(meta_of(ts, naming::etcd_peer_service(ts.metadata.name)), scope_of(ts),
                          {service_port("client", kEtcdClientPort), service_port("peer", kEtcdPeerPort)});
}

k8s::Service etcd_client_service(const api::TopoServer& ts) {
  return cluster_ip_service(meta_of(ts, naming::etcd_client_service(ts.metadata.name)), scope_of(ts),
                            {service_port("client", kEtcdClientPort)});
}

k8s::PodDisruptionBudget etcd_pdb(const api::TopoServer& ts) {
  int32_t max_unavailable = std::max<int32_t>(1, (ts.spec.replicas - 1) / 2);
  return pod_disruption_budget(meta_of(ts, naming::etcd_pdb(ts.metadata.name)), scope_of(ts), max_unavailable);
}

}  // namespace mg::build
