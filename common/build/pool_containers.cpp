// common/build/pool_containers.cpp
#include "common/build/pool_containers.hpp"

#include "common/build/backup.hpp"
#include "common/build/pg_hba.hpp"
#include "common/build/pod_defaults.hpp"
#include "common/build/pool.hpp"
#include "common/build/postgres_config.hpp"
#include "common/build/shard_common.hpp"
#include "common/build/topo_flags.hpp"

namespace mg::build {
namespace k8s = api::k8s;

namespace {

// Secrets are read by uid 999 through fsGroup; 0440 keeps them from everyone else.
constexpr int32_t kSecretMode = 0440;

std::string path(const std::string& dir, const std::string& file) {
  return dir + "/" + file;
}

//! Env both containers need: PGDATA, the superuser and its password file, and the S3 settings.
std::vector<k8s::EnvVar> postgres_env(const api::Shard& shard) {
  std::vector<k8s::EnvVar> env = {
      env_value("PGDATA", kPgData),
      env_value("POSTGRES_USER", kPostgresUser),
      // A file, never the value: the password must not show up in the pod spec or `kubectl describe`.
      env_value("POSTGRES_PASSWORD_FILE", path(kPasswordDir, "password")),
  };
  const auto& s3 = shard.spec.environment.backup.s3;
  if (!s3) return env;
  // archive-push runs under postgres inside pgctld and backups run from multipooler: both need these.
  if (!s3->region.empty()) env.push_back(env_value("AWS_REGION", s3->region));
  if (!s3->credentialsSecret.empty()) {
    env.push_back(env_secret("AWS_ACCESS_KEY_ID", s3->credentialsSecret, "AWS_ACCESS_KEY_ID"));
    env.push_back(env_secret("AWS_SECRET_ACCESS_KEY", s3->credentialsSecret, "AWS_SECRET_ACCESS_KEY"));
  }
  return env;
}

//! Mounts both containers share: data, backup repository (same path everywhere), certs, password.
std::vector<k8s::VolumeMount> shared_mounts(const api::Shard& shard) {
  return {
      // The parent of pg_data, so initdb can create and chmod PGDATA itself.
      volume_mount(kDataVolume, kPoolerDir),
      volume_mount(kBackupVolume, backup_path(shard.spec.environment.backup)),
      volume_mount(kCertsVolume, kPgBackRestCertDir, true),
      volume_mount(kPasswordVolume, kPasswordDir, true),
  };
}

std::vector<std::string> pgctld_args(const api::Shard& shard, const api::ResolvedPool& pool) {
  std::vector<std::string> args = {
      "server", log_level_flag(pool.pgctldLogLevel), flag("pooler-dir", kPoolerDir), flag("grpc-port", kPgctldGrpcPort),
      flag("http-port", kPgctldHttpPort), flag("pg-port", kPostgresPort), flag("pg-listen-addresses", "*"),
      flag("pg-hba-template", path(kPgHbaDir, kPgHbaTemplateKey)), flag("pgbackrest-port", kPgBackRestPort),
      flag("pgbackrest-cert-dir", kPgBackRestCertDir),
      // Appended to postgresql.conf when pgctld first creates a data directory: the include of the
      // shard's settings file (build/postgres_config.hpp).
      flag("pg-initdb-extra-conf", path(kPostgresConfigDir, kPostgresIncludeKey))};
  // pgctld splits the value at white space (strings.Fields) into initdb's arguments.
  if (!shard.spec.initdbArgs.empty()) args.push_back(flag("pg-initdb-args", shard.spec.initdbArgs));
  return args;
}

std::vector<std::string> multipooler_args(const api::Shard& shard, const std::string& pool_name,
                                          const api::ResolvedPool& pool, const TopoWiring& topo) {
  const auto& spec = shard.spec;
  std::vector<std::string> args = {
      flag("cell", pool.cell),
      flag("database", spec.databaseName),
      flag("table-group", spec.tableGroupName),
      flag("shard", spec.shardName),
      // Short (upstream's application_name `<cell>_<id>` holds 63 bytes; a pod name does not fit) and
      // stable per StatefulSet ordinal, as is the data PVC the pod comes back to.
      flag("service-id",
           naming::pooler_service_id(shard.metadata.namespace_, naming::pool_stateful_set(shard_key(shard), pool_name),
                                     "$(POD_INDEX)")),
      flag("pooler-dir", kPoolerDir),
      // The default (localhost:15200) is multipooler's own port; pgctld listens on 15470.
      flag("pgctld-addr", "localhost:" + std::to_string(kPgctldGrpcPort)),
      flag("pg-port", kPostgresPort),
      flag("socket-file", path(kPoolerDir, "pg_sockets/.s.PGSQL." + std::to_string(kPostgresPort))),
      flag("http-port", kPoolerHttpPort),
      flag("grpc-port", kPoolerGrpcPort),
      log_level_flag(pool.multipoolerLogLevel),
  };
  args.insert(args.end(), topo.args.begin(), topo.args.end());
  args.push_back(flag("pgbackrest-cert-file", path(kPgBackRestCertDir, "pgbackrest.crt")));
  args.push_back(flag("pgbackrest-key-file", path(kPgBackRestCertDir, "pgbackrest.key")));
  args.push_back(flag("pgbackrest-ca-file", path(kPgBackRestCertDir, "ca.crt")));
  args.push_back(flag("pgbackrest-port", kPgBackRestPort));
  args.push_back(flag("connpool-global-capacity", kConnpoolGlobalCapacity));
  // Every upstream launcher (local provisioner, demo, Go operator) enables the pooler gRPC service
  // explicitly; it is harmless where the binary already enables it by default.
  args.push_back(flag("service-map", "grpc-pooler"));
  return args;
}

}  // namespace

k8s::Container pgctld_container(const api::Shard& shard, const std::string& pool_name) {
  const api::ShardEnvironment& env = shard.spec.environment;
  const api::ResolvedPool& pool = shard.spec.pools.at(pool_name);

  k8s::Container c = base_container("pgctld", env.images.postgres, env.images.imagePullPolicy);
  // A native sidecar: started before multipooler, stopped after it, restarted on its own if it dies.
  c.restartPolicy = "Always";
  // The image's ENTRYPOINT is `tail`.
  c.command = {"/usr/local/bin/pgctld"};
  c.args = pgctld_args(shard, pool);
  c.env = postgres_env(shard);
  c.ports = {container_port("pgctld-grpc", kPgctldGrpcPort), container_port("pgctld-http", kPgctldHttpPort),
             container_port("postgres", kPostgresPort), container_port("pgbackrest", kPgBackRestPort)};
  c.resources = pool.postgres;
  c.volumeMounts = shared_mounts(shard);
  c.volumeMounts.push_back(volume_mount(kPgHbaVolume, kPgHbaDir, true));
  // A directory mount (not subPath), so the kubelet refreshes the file when the ConfigMap changes.
  c.volumeMounts.push_back(volume_mount(kPostgresConfigVolume, kPostgresConfigDir, true));
  // The kubelet starts multipooler only after a sidecar's startup probe passes, so multipooler never
  // races pgctld's gRPC server.
  c.startupProbe = http_probe("/live", kPgctldHttpPort, 2, 30);
  c.readinessProbe = readiness_probe(kPgctldHttpPort);
  c.livenessProbe = liveness_probe(kPgctldHttpPort);
  // A sidecar's preStop runs once multipooler has stopped PostgreSQL and exited (kPoolRestartHoldSeconds).
  c.lifecycle = k8s::Lifecycle{k8s::LifecycleHandler{k8s::SleepAction{kPoolRestartHoldSeconds}}};
  return c;
}

k8s::Container multipooler_container(const api::Shard& shard, const std::string& pool_name) {
  const api::ShardEnvironment& env = shard.spec.environment;
  const api::ResolvedPool& pool = shard.spec.pools.at(pool_name);
  const TopoWiring topo = topo_wiring(env.globalTopoServer);

  k8s::Container c = base_container("multipooler", env.images.multipooler, env.images.imagePullPolicy);
  c.command = {std::string(kMultigresBinDir) + "multipooler"};
  c.args = multipooler_args(shard, pool_name, pool, topo);
  // The StatefulSet controller labels each pod with its ordinal (Kubernetes >= 1.28).
  c.env = {env_field("POD_INDEX", "metadata.labels['apps.kubernetes.io/pod-index']")};
  for (auto& e : postgres_env(shard)) c.env.push_back(std::move(e));
  c.ports = {container_port("http", kPoolerHttpPort), container_port("grpc", kPoolerGrpcPort)};
  c.resources = pool.multipooler;
  c.volumeMounts = shared_mounts(shard);
  c.volumeMounts.insert(c.volumeMounts.end(), topo.mounts.begin(), topo.mounts.end());
  // /ready leaves postgres out on purpose: a pooler whose postgres restarts stays routable for repair.
  c.readinessProbe = readiness_probe(kPoolerHttpPort);
  // A first start initialises, backs up and restores the database before it settles: up to 10 minutes
  // before the liveness probe may restart it, so a slow first start is not a crash loop.
  c.startupProbe = http_probe("/live", kPoolerHttpPort, 5, 120);
  c.livenessProbe = liveness_probe(kPoolerHttpPort);
  return c;
}

std::vector<k8s::Volume> pool_volumes(const api::Shard& shard) {
  const api::ShardEnvironment& env = shard.spec.environment;
  const naming::ShardKey key = shard_key(shard);
  std::vector<k8s::Volume> volumes;

  k8s::Volume backup;
  backup.name = kBackupVolume;
  if (uses_backup_pvc(env.backup)) {
    backup.persistentVolumeClaim = k8s::PersistentVolumeClaimVolumeSource{naming::backup_pvc(key)};
  } else {
    backup.emptyDir = k8s::EmptyDirVolumeSource{};  // S3: only pgBackRest's local spool
  }
  volumes.push_back(std::move(backup));

  k8s::Volume certs;
  certs.name = kCertsVolume;
  certs.secret =
      k8s::SecretVolumeSource{naming::pgbackrest_tls_secret(key),
                              {{kTlsCaKey, "ca.crt"}, {kTlsCertKey, "pgbackrest.crt"}, {kTlsKeyKey, "pgbackrest.key"}},
                              kSecretMode};
  volumes.push_back(std::move(certs));

  k8s::Volume hba;
  hba.name = kPgHbaVolume;
  hba.configMap = k8s::ConfigMapVolumeSource{naming::pg_hba_config_map(key), {}, {}};
  volumes.push_back(std::move(hba));

  k8s::Volume settings;
  settings.name = kPostgresConfigVolume;
  settings.configMap = k8s::ConfigMapVolumeSource{naming::postgres_config_map(key), {}, {}};
  volumes.push_back(std::move(settings));

  k8s::Volume password;
  password.name = kPasswordVolume;
  // Whatever the key is called in the user's Secret, the file is always `password`.
  password.secret =
      k8s::SecretVolumeSource{env.passwordSecret.name, {{env.passwordSecret.key, "password"}}, kSecretMode};
  volumes.push_back(std::move(password));

  const TopoWiring topo = topo_wiring(env.globalTopoServer);
  volumes.insert(volumes.end(), topo.volumes.begin(), topo.volumes.end());
  return volumes;
}

}  // namespace mg::build
