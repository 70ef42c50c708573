// common/build/backup.cpp
#include "common/build/backup.hpp"

#include "common/build/shard_common.hpp"

namespace mg::build {

bool uses_backup_pvc(const api::BackupSpec& backup) {
  return !backup.s3.has_value();
}

std::string backup_path(const api::BackupSpec& backup) {
  if (backup.filesystem && !backup.filesystem->path.empty()) return backup.filesystem->path;
  return kDefaultBackupPath;
}

std::optional<api::k8s::PersistentVolumeClaim> backup_pvc(const api::Shard& shard) {
  const api::BackupSpec& backup = shard.spec.environment.backup;
  if (!uses_backup_pvc(backup)) return std::nullopt;
  api::Storage storage;
  if (backup.filesystem && backup.filesystem->storage) storage = *backup.filesystem->storage;
  if (storage.size.value.empty()) storage.size = kDefaultBackupSize;

  api::k8s::PersistentVolumeClaim pvc;
  pvc.metadata = shard_meta(shard, naming::backup_pvc(shard_key(shard)), shard_scope(shard, naming::kComponentShard));
  // Backups must outlive the cluster (the pool data PVCs are retained too): no owner reference, so the
  // garbage collector never takes them; they are found by their labels.
  pvc.metadata.ownerReferences.clear();
  // Every pool pod of the shard, in every cell, mounts it at once: shared across nodes unless the user
  // chose ReadWriteOnce (no RWX storage class; all the shard's pool pods then share one node).
  const auto mode = backup.filesystem ? backup.filesystem->accessMode : std::nullopt;
  pvc.spec.accessModes = {std::string(api::Codec<api::BackupAccessMode>::name(mode.value_or(api::BackupAccessMode::ReadWriteMany)))};
  pvc.spec.storageClassName = storage.class_;
  pvc.spec.resources.requests["storage"] = storage.size;
  return pvc;
}

}  // namespace mg::build
