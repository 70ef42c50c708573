// common/api/component_types.cpp
#include "common/api/component_types.hpp"

#include "common/api/postgres_gucs.hpp"

namespace mg::api {

void Describe<PVCDeletionPolicy>::fields(Fields<PVCDeletionPolicy>& f) {
  f.doc(
      "What happens to a pool's data volumes. Set on the cluster, a tablegroup, a shard or a pool; the "
      "innermost setting of each field wins.");
  f("whenDeleted", &PVCDeletionPolicy::whenDeleted)
      .describe(
          "Retain (default) keeps the volumes when the pool goes (with its cluster, shard or pool): a "
          "re-created pool of the same name finds its data. Delete removes them. The shard's backup volume is "
          "kept either way: backups outlive the cluster.");
  f("whenScaled", &PVCDeletionPolicy::whenScaled)
      .describe(
          "Delete (default) removes the volume of a pod scaled away, so a later scale-up restores a fresh "
          "replica from the backup. Retain keeps it for the pod that comes back.");
}

void Describe<LogLevels>::fields(Fields<LogLevels>& f) {
  f.doc("The --log-level of each Multigres process: debug, info (default), warn or error.");
  f("pgctld", &LogLevels::pgctld).describe("pgctld, which runs PostgreSQL in each pool pod.");
  f("multipooler", &LogLevels::multipooler).describe("multipooler, in each pool pod.");
  f("multiorch", &LogLevels::multiorch).describe("multiorch, per shard and cell.");
  f("multiadmin", &LogLevels::multiadmin).describe("multiadmin.");
  f("multigateway", &LogLevels::multigateway).describe("multigateway, per cell.");
}

void Describe<Toleration>::fields(Fields<Toleration>& f) {
  // The pairing rules (operator Exists takes no value; no key needs Exists) are checked by `validate` and
  // the resolver: as CEL, nested this deep, they exceed the API server's cost budget.
  f.doc("A taint the pods tolerate (Kubernetes Toleration).");
  f("key", &Toleration::key).describe("Taint key; empty with operator Exists matches every taint.").max_len(316);
  f("operator", &Toleration::operator_).describe("Exists or Equal (default).");
  f("value", &Toleration::value).describe("Taint value, for operator Equal.").max_len(63);
  f("effect", &Toleration::effect).describe("NoSchedule, PreferNoSchedule or NoExecute; empty matches all.");
  f("tolerationSeconds", &Toleration::tolerationSeconds)
      .describe("For NoExecute: how long the pod stays bound after the taint appears.");
}

void Describe<Resources>::fields(Fields<Resources>& f) {
  f.doc("Compute resources. An atomic block: an override replaces requests and limits together.");
  f("requests", &Resources::requests).describe("Minimum resources (cpu, memory).").max_props(8);
  f("limits", &Resources::limits).describe("Maximum resources (cpu, memory).").max_props(8);
}

void Describe<Storage>::fields(Fields<Storage>& f) {
  f.doc("A persistent volume. An atomic block: an override replaces size and class together.");
  f("size", &Storage::size).describe("Requested size, e.g. 10Gi.");
  f("class", &Storage::class_).describe("StorageClass name; empty uses the cluster default.").max_len(253);
}

void Describe<Images>::fields(Fields<Images>& f) {
  f.doc("Container images for every component, set once for the whole cluster.");
  f("imagePullPolicy", &Images::imagePullPolicy).describe("Pull policy for every container.");
  f("imagePullSecrets", &Images::imagePullSecrets).describe("Pull secrets added to every pod.").items(0, 16);
  f("multigateway", &Images::multigateway).describe("Image with the multigateway binary.").max_len(512);
  f("multiorch", &Images::multiorch).describe("Image with the multiorch binary.").max_len(512);
  f("multipooler", &Images::multipooler).describe("Image with the multipooler binary.").max_len(512);
  f("multiadmin", &Images::multiadmin).describe("Image with the multiadmin binary.").max_len(512);
  f("postgres", &Images::postgres).describe("Image with postgres and pgctld.").max_len(512);
  f("etcd", &Images::etcd).describe("Image for operator-managed etcd.").max_len(512);
}

void Describe<ManagedTopoSpec>::fields(Fields<ManagedTopoSpec>& f) {
  f.doc("An etcd cluster run by the operator.");
  f("replicas", &ManagedTopoSpec::replicas)
      .describe("Number of etcd members; odd so a quorum survives a failure.")
      .min(1)
      .max(9)
      .validate("self % 2 == 1", "etcd replicas must be odd (1, 3, 5, ...) so a quorum survives a failure");
  f("storage", &ManagedTopoSpec::storage).describe("Volume of each member.").atomic_block();
  f("resources", &ManagedTopoSpec::resources).describe("Resources of each member.").atomic_block();
  pod_option_fields(f);
}

void Describe<ExternalTopoSpec>::fields(Fields<ExternalTopoSpec>& f) {
  f.doc("An etcd cluster the operator does not run.");
  f("endpoints", &ExternalTopoSpec::endpoints)
      .describe("Client URLs, e.g. https://etcd-1:2379.")
      .require()
      .items(1, 20)
      .validate("self.all(e, e.startsWith('http://') || e.startsWith('https://'))",
                "each endpoint must be an http:// or https:// URL");
  f("caSecret", &ExternalTopoSpec::caSecret).describe("Secret with ca.crt to verify etcd.").max_len(253);
  f("clientCertSecret", &ExternalTopoSpec::clientCertSecret)
      .describe("kubernetes.io/tls Secret with the client certificate.")
      .max_len(253);
}

namespace {
template <class T>
void topo_choice(Fields<T>& f, const char* what) {
  f("managedSpec", &T::managedSpec).describe(std::string("An operator-managed ") + what + ".");
  f("external", &T::external).describe(std::string("An external ") + what + ".");
  f("rootPath", &T::rootPath).describe("Root of the Multigres keys in etcd.").max_len(256).match("^/.*");
  f.rule("!(has(self.managedSpec) && has(self.external))", "set managedSpec or external, not both");
}
}  // namespace

void Describe<GlobalTopoServerSpec>::fields(Fields<GlobalTopoServerSpec>& f) {
  f.doc("The global topology server: managed (default) or external. Inline only.");
  topo_choice(f, "global etcd");
}

void Describe<LocalTopoServerSpec>::fields(Fields<LocalTopoServerSpec>& f) {
  f.doc("A cell's own topology server. When absent the cell uses the global one.");
  topo_choice(f, "cell etcd");
}

void Describe<StatelessSpec>::fields(Fields<StatelessSpec>& f) {
  f("replicas", &StatelessSpec::replicas).describe("Number of pods.").min(0).max(128);
  f("resources", &StatelessSpec::resources).describe("Resources of each pod.").atomic_block();
  f("affinity", &StatelessSpec::affinity).describe("Pod affinity (Kubernetes Affinity).").atomic_block();
  pod_option_fields(f);
}

void Describe<PoolSpec>::fields(Fields<PoolSpec>& f) {
  f.doc("A pool of postgres + pgctld + multipooler pods in one cell.");
  f("type", &PoolSpec::type).describe("readWrite or readOnly. Roles are decided by Multigres at run time.");
  f("cell", &PoolSpec::cell).describe("The cell the pool runs in; must be one of spec.cells.").max_len(63);
  f("replicas", &PoolSpec::replicas)
      .describe("Number of pods in the pool.")
      .min(kMinPoolReplicas)
      .max(kMaxPoolReplicas);
  f("storage", &PoolSpec::storage).describe("Data volume of each pod.").atomic_block();
  f("postgres", &PoolSpec::postgres).describe("Resources of the postgres (pgctld) container.").atomic_block();
  f("multipooler", &PoolSpec::multipooler).describe("Resources of the multipooler container.").atomic_block();
  f("affinity", &PoolSpec::affinity).describe("Pod affinity (Kubernetes Affinity).").atomic_block();
  pod_option_fields(f);
  f("pvcDeletionPolicy", &PoolSpec::pvcDeletionPolicy).describe("This pool's data volume policy (innermost wins).");
}

void Describe<CellConfig>::fields(Fields<CellConfig>& f) {
  f.doc("Cell-scoped components: the gateway and an optional local topology server.");
  f("multiGateway", &CellConfig::multiGateway).describe("The multigateway Deployment of the cell.");
  f("localTopoServer", &CellConfig::localTopoServer)
      .describe("A dedicated etcd for the cell; replaced whole by overrides.")
      .atomic_block();
}

void Describe<ShardConfig>::fields(Fields<ShardConfig>& f) {
  f.doc("Shard-scoped components: multiorch and the pools.");
  f("multiOrch", &ShardConfig::multiOrch).describe("multiorch, one Deployment per cell the shard has pools in.");
  f("pools", &ShardConfig::pools)
      .describe("Pools keyed by name; overrides target a pool by its key.")
      .max_props(8)
      .validate("self.all(k, k.matches('" + std::string(kDnsLabelPattern) + "') && size(k) <= 25)",
                "pool names must be DNS labels of at most 25 characters");
  f("pvcDeletionPolicy", &ShardConfig::pvcDeletionPolicy)
      .describe("Data volume policy of the shard's pools (a pool's own setting wins).");
  f("postgresConfig", &ShardConfig::postgresConfig)
      .describe(
          "PostgreSQL settings (GUC name to value, as in postgresql.conf without quotes), merged per key "
          "through template, overrides and spec, over defaults sized from the pools' postgres memory "
          "(shared_buffers, effective_cache_size, max_connections). A setting PostgreSQL reads only at "
          "start rolls the pool pods one at a time, primary last; any other is reloaded live. Settings "
          "Multigres owns (port, data directory, replication, archiving) are refused.")
      .max_props(kMaxPostgresConfigEntries);
  f("initdbArgs", &ShardConfig::initdbArgs)
      .describe(
          "Extra initdb arguments (pgctld --pg-initdb-args), e.g. \"--locale=C --encoding=UTF8\". Used "
          "only when a data directory is first created.")
      .max_len(static_cast<int64_t>(kMaxInitdbArgsLength));
}

void Describe<FilesystemBackup>::fields(Fields<FilesystemBackup>& f) {
  f("path", &FilesystemBackup::path).describe("Mount path of the shared backup volume.").max_len(256).match("^/.*");
  f("storage", &FilesystemBackup::storage)
      .describe("Volume per shard holding the backup repository, mounted by every pool pod of the shard.")
      .atomic_block();
  f("accessMode", &FilesystemBackup::accessMode)
      .describe(
          "Access mode of the backup volume. ReadWriteMany (default): pool pods on any node share it, which "
          "needs a storage class that offers it (NFS, CephFS, EFS...). ReadWriteOnce: for a cluster without "
          "such a class; the volume attaches to one node, so every pool pod of the shard must run on that "
          "node (one node then holds all copies of the data).");
}

void Describe<S3Backup>::fields(Fields<S3Backup>& f) {
  f("bucket", &S3Backup::bucket).require().min_len(3).max_len(63);
  f("region", &S3Backup::region).max_len(64);
  f("endpoint", &S3Backup::endpoint).describe("Custom S3 endpoint URL.").max_len(512);
  f("keyPrefix", &S3Backup::keyPrefix).max_len(512);
  f("credentialsSecret", &S3Backup::credentialsSecret)
      .describe("Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; empty uses the environment.")
      .max_len(253);
}

void Describe<BackupSpec>::fields(Fields<BackupSpec>& f) {
  f.doc("Where pgBackRest keeps backups. Multigres bootstraps replicas from the first backup.");
  f("filesystem", &BackupSpec::filesystem).describe("A shared filesystem volume (default).");
  f("s3", &BackupSpec::s3).describe("An S3 bucket.");
  f.rule("!(has(self.filesystem) && has(self.s3))", "set filesystem or s3, not both");
}

}  // namespace mg::api
