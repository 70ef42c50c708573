// common/build/backup.hpp
//! The shard's backup repository volume. Multigres bootstraps every pooler by restoring the shard's
//! first pgBackRest backup, so all pool pods of a shard must reach the same repository: with filesystem
//! backups that is one ReadWriteMany PVC per shard, mounted at the same path in every pool pod.
//! Pure: same input, same bytes.
#pragma once

#include <optional>
#include <string>

#include "common/api/children.hpp"
#include "common/api/k8s/core.hpp"

namespace mg::build {

//! Mount path of the backup repository when the spec leaves it empty (and for S3, where it only
//! holds pgBackRest's local spool).
inline constexpr const char* kDefaultBackupPath = "/backups";
inline constexpr const char* kDefaultBackupSize = "10Gi";

//! True unless the backup goes to S3 (filesystem is the default).
bool uses_backup_pvc(const api::BackupSpec& backup);

//! Where pool containers mount the backup repository.
std::string backup_path(const api::BackupSpec& backup);

//! The shard's RWX backup PVC, owned by the Shard; nullopt for S3 backups.
std::optional<api::k8s::PersistentVolumeClaim> backup_pvc(const api::Shard& shard);

}  // namespace mg::build
