// common/build/pool_containers.hpp
//! The two containers of a pool pod and the volumes they share. pgctld owns postgres and runs as a
//! native sidecar (an init container with restartPolicy Always), so it starts first and stops last;
//! multipooler is the main container and gets SIGTERM first, drains, then lets pgctld stop postgres.
//! Paths, ports and flags follow the Multigres launch facts (shared/reference/multigres-runtime.md §7).
//! Pure: no I/O.
#pragma once

#include <string>
#include <vector>

#include "common/api/children.hpp"
#include "common/api/k8s/pod.hpp"
#include "common/resolve/defaults.hpp"

namespace mg::build {

inline constexpr const char* kPoolerDir = "/var/lib/pooler";
inline constexpr const char* kPgData = "/var/lib/pooler/pg_data";
inline constexpr const char* kPgBackRestCertDir = "/certs/pgbackrest";
inline constexpr const char* kPgHbaDir = "/etc/pgctld";
inline constexpr const char* kPasswordDir = "/etc/postgres-password";
inline constexpr const char* kPostgresUser = "postgres";
inline constexpr int32_t kPgctldGrpcPort = 15470;
inline constexpr int32_t kPgctldHttpPort = 15400;
inline constexpr int32_t kPoolerHttpPort = 15200;
inline constexpr int32_t kPoolerGrpcPort = 15270;
using resolve::kPostgresPort;
inline constexpr int32_t kPgBackRestPort = 8432;
//! Must stay below postgres max_connections.
inline constexpr int32_t kConnpoolGlobalCapacity = 40;

//! The pgBackRest TLS Secret (naming::pgbackrest_tls_secret) is a kubernetes.io/tls Secret plus the CA;
//! its keys are renamed to the file names pgctld and multipooler expect.
inline constexpr const char* kTlsCertKey = "tls.crt";
inline constexpr const char* kTlsKeyKey = "tls.key";
inline constexpr const char* kTlsCaKey = "ca.crt";

//! Volume names inside a pool pod.
inline constexpr const char* kDataVolume = "data";
inline constexpr const char* kBackupVolume = "backup";
inline constexpr const char* kCertsVolume = "pgbackrest-certs";
inline constexpr const char* kPgHbaVolume = "pg-hba";
inline constexpr const char* kPasswordVolume = "postgres-password";

//! pgctld as a native sidecar (init container, restartPolicy Always) of `pool`.
api::k8s::Container pgctld_container(const api::Shard& shard, const std::string& pool);

//! multipooler, the main container of `pool`.
api::k8s::Container multipooler_container(const api::Shard& shard, const std::string& pool);

//! Every pod volume except the data PVC (a volumeClaimTemplate): backup, certs, pg_hba, password and
//! the topology TLS Secrets when the topology uses TLS.
std::vector<api::k8s::Volume> pool_volumes(const api::Shard& shard);

}  // namespace mg::build
