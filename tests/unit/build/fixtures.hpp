// tests/unit/build/fixtures.hpp
//! Hand-built resolved inputs for the builder tests, shaped like what common/resolve produces:
//! children in the cluster's namespace, labelled from naming::labels, owned by their parent.
#pragma once

#include <string>
#include <vector>

#include "common/api/k8s/pod.hpp"
#include "common/api/owner.hpp"
#include "common/naming/labels.hpp"
#include "common/naming/names.hpp"
#include "common/resolve/resolved_cluster.hpp"
#include "common/util/json.hpp"

namespace mg::test {

inline const std::string kMultigresImage = "ghcr.io/multigres/multigres:v0.1.0";
inline const std::string kPgctldImage = "ghcr.io/multigres/pgctld:v0.1.0";
inline const std::string kEtcdImage = "gcr.io/etcd-development/etcd:v3.6.7";

//! Any described object as YAML (what the golden files hold).
template <class T>
std::string yaml(const T& object) {
  return json::to_yaml(api::encode(object));
}

//! Several objects as one YAML stream.
template <class T>
std::string yaml(const std::vector<T>& objects) {
  std::string out;
  for (const auto& o : objects) out += "---\n" + yaml(o);
  return out;
}

//! A label scope (designated initialisers with members left out trip -Wmissing-field-initializers).
inline naming::Scope scope(const std::string& cluster, const std::string& component, const std::string& cell = {},
                           const std::string& topo_server = {}) {
  naming::Scope s;
  s.cluster = cluster;
  s.component = component;
  s.cell = cell;
  s.topo_server = topo_server;
  return s;
}

//! The env var `name` of `c`, or nullptr.
inline const api::k8s::EnvVar* find_env(const api::k8s::Container& c, const std::string& name) {
  for (const auto& e : c.env) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

//! The volume `name` of `pod`, or nullptr.
inline const api::k8s::Volume* find_volume(const api::k8s::PodSpec& pod, const std::string& name) {
  for (const auto& v : pod.volumes) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

inline api::OwnerReference cluster_owner(const std::string& cluster) {
  return api::OwnerReference{"multigres.com/v1alpha1", "MultigresCluster", cluster, "uid-" + cluster, true, true};
}

inline api::ObjectMeta child_meta(const std::string& name, const std::string& ns, const naming::Scope& scope,
                                  const api::OwnerReference& owner) {
  api::ObjectMeta m;
  m.name = name;
  m.namespace_ = ns;
  m.uid = "uid-" + name;
  m.labels = naming::labels(scope);
  m.ownerReferences = {owner};
  return m;
}

inline api::TopoReference managed_topo_ref(const std::string& cluster, const std::string& ns) {
  std::string service = naming::etcd_client_service(naming::global_topo_server(cluster));
  return api::TopoReference{{"http://" + service + "." + ns + ".svc:2379"}, "/multigres/global", service, "", ""};
}

inline api::TopoReference external_tls_topo_ref() {
  return api::TopoReference{{"https://etcd-a.example.com:2379", "https://etcd-b.example.com:2379"},
                            "/teams/payments/multigres",
                            "",
                            "etcd-ca",
                            "etcd-client"};
}

inline std::vector<api::LocalObjectReference> pull_secrets() {
  return {{"registry-credentials"}};
}

inline api::TopoServer global_topo_server(const std::string& cluster = "minimal", const std::string& ns = "default") {
  api::TopoServer ts;
  std::string name = naming::global_topo_server(cluster);
  ts.metadata = child_meta(name, ns, scope(cluster, naming::kComponentTopo, "", name), cluster_owner(cluster));
  ts.spec.clusterName = cluster;
  ts.spec.rootPath = "/multigres/global";
  ts.spec.image = kEtcdImage;
  ts.spec.imagePullSecrets = pull_secrets();
  ts.spec.replicas = 3;
  ts.spec.storage = api::Storage{"10Gi", "fast-ssd"};
  ts.spec.resources = api::Resources{{{"cpu", "500m"}, {"memory", "1Gi"}}, {{"cpu", "1"}, {"memory", "2Gi"}}};
  return ts;
}

inline api::Cell cell(const std::string& name, const std::string& zone, const std::string& region,
                      const std::string& cluster = "minimal", const std::string& ns = "default") {
  api::Cell c;
  c.metadata =
      child_meta(naming::cell(cluster, name), ns, scope(cluster, naming::kComponentCell, name), cluster_owner(cluster));
  c.spec.clusterName = cluster;
  c.spec.name = name;
  c.spec.zone = zone;
  c.spec.region = region;
  c.spec.images = api::CellImages{kMultigresImage, api::PullPolicy::IfNotPresent, pull_secrets()};
  c.spec.multiGateway.replicas = 2;
  c.spec.multiGateway.resources = api::Resources{{{"cpu", "100m"}, {"memory", "128Mi"}}, {}};
  c.spec.globalTopoServer = managed_topo_ref(cluster, ns);
  c.spec.allCells = {name};
  return c;
}

//! A local (per-cell) etcd of one member, owned by its Cell.
inline api::TopoServer local_topo_server(const api::Cell& owner) {
  const std::string cluster = owner.spec.clusterName;
  api::TopoServer ts;
  std::string name = naming::local_topo_server(cluster, owner.spec.name);
  ts.metadata = child_meta(name, owner.metadata.namespace_,
                           scope(cluster, naming::kComponentTopo, owner.spec.name, name), api::owner_reference(owner));
  ts.spec.clusterName = cluster;
  ts.spec.cell = owner.spec.name;
  ts.spec.rootPath = "/multigres/" + owner.spec.name;
  ts.spec.image = kEtcdImage;
  ts.spec.imagePullPolicy = api::PullPolicy::Always;
  ts.spec.replicas = 1;
  ts.spec.storage = api::Storage{"1Gi", ""};
  return ts;
}

inline api::ResolvedPool pool(const std::string& cell, int32_t replicas) {
  api::ResolvedPool p;
  p.cell = cell;
  p.replicas = replicas;
  p.storage = api::Storage{"20Gi", "fast-ssd"};
  p.postgres = api::Resources{{{"cpu", "1"}, {"memory", "2Gi"}}, {{"memory", "2Gi"}}};
  p.multipooler = api::Resources{{{"cpu", "200m"}, {"memory", "256Mi"}}, {}};
  return p;
}

//! Shard postgres/default/0-inf with one pool of 2 in zone1, filesystem backups at /backups.
inline api::Shard shard(const std::string& cluster = "minimal", const std::string& db = "postgres",
                        const std::string& ns = "default") {
  api::Shard s;
  const std::string tg = "default";
  const std::string shard_name = "0-inf";
  naming::Scope shard_scope = scope(cluster, naming::kComponentShard);
  shard_scope.database = db;
  shard_scope.tablegroup = tg;
  shard_scope.shard = shard_name;
  api::OwnerReference tg_owner{"multigres.com/v1alpha1", "TableGroup", naming::table_group(cluster, db, tg),
                               "uid-tablegroup",         true,         true};
  s.metadata = child_meta(naming::shard(cluster, db, tg, shard_name), ns, shard_scope, tg_owner);
  s.spec.databaseName = db;
  s.spec.tableGroupName = tg;
  s.spec.shardName = shard_name;
  auto& env = s.spec.environment;
  env.clusterName = cluster;
  env.images =
      api::ShardImages{kMultigresImage, kMultigresImage, kPgctldImage, api::PullPolicy::IfNotPresent, pull_secrets()};
  env.globalTopoServer = managed_topo_ref(cluster, ns);
  env.backup.filesystem = api::FilesystemBackup{"/backups", api::Storage{"50Gi", "nfs-rwx"}};
  env.passwordSecret = api::SecretKeySelector{naming::password_secret(cluster), "password"};
  env.cells = {{"zone1", {"us-east-1a", ""}}, {"zone2", {"", "us-west-2"}}};
  s.spec.multiOrch.replicas = 1;
  s.spec.pools = {{"default", pool("zone1", 2)}};
  return s;
}

//! The same shard backed up to S3 with static credentials, plus a second pool in zone2.
inline api::Shard s3_shard() {
  api::Shard s = shard();
  s.spec.environment.backup =
      api::BackupSpec{std::nullopt, api::S3Backup{"multigres-backups", "us-east-1", "", "prod/", "s3-credentials"}};
  s.spec.environment.passwordSecret = api::SecretKeySelector{"my-postgres-secret", "superuser-password"};
  s.spec.pools["west"] = pool("zone2", 1);
  return s;
}

inline resolve::ResolvedCluster cluster(const std::string& name = "minimal", const std::string& ns = "default") {
  resolve::ResolvedCluster rc;
  rc.name = name;
  rc.namespace_ = ns;
  rc.owner = cluster_owner(name);
  rc.globalTopoServer = global_topo_server(name, ns);
  rc.multiadmin.component.replicas = 2;
  rc.multiadmin.component.resources =
      api::Resources{{{"cpu", "200m"}, {"memory", "256Mi"}}, {{"cpu", "500m"}, {"memory", "512Mi"}}};
  rc.multiadmin.image = kMultigresImage;
  rc.multiadmin.imagePullSecrets = pull_secrets();
  rc.multiadmin.globalTopoServer = managed_topo_ref(name, ns);
  rc.cells = {cell("zone1", "us-east-1a", "", name, ns)};
  rc.shards = {shard(name, "postgres", ns)};
  rc.passwordSecretName = naming::password_secret(name);
  rc.generatePassword = true;
  return rc;
}

//! A cluster whose global topology is an external etcd with TLS and a custom root.
inline resolve::ResolvedCluster external_topo_cluster() {
  resolve::ResolvedCluster rc = cluster();
  rc.globalTopoServer.reset();
  rc.multiadmin.globalTopoServer = external_tls_topo_ref();
  rc.multiadmin.imagePullPolicy = api::PullPolicy::Always;
  return rc;
}

}  // namespace mg::test
