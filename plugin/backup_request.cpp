// plugin/backup_request.cpp
#include "plugin/backup_request.hpp"

#include "common/view/text.hpp"
#include "common/view/time_format.hpp"

namespace mg::plugin {
namespace {

//! "2026-12-06T10:15:00Z" -> "20261206-101500".
std::string compact_time(const std::string& now) {
  std::string out;
  for (char c : now.substr(0, 19)) {
    if (c >= '0' && c <= '9') out += c;
    if (c == 'T') out += '-';
  }
  return out;
}

//! 40513857 -> "38.6Mi".
std::string human_size(int64_t bytes) {
  const char* units[] = {"B", "Ki", "Mi", "Gi", "Ti"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f%s" : "%.1f%s", value, units[unit]);
  return buf;
}

}  // namespace

Result<api::MultigresBackup> backup_request(const std::string& cluster, const std::string& namespace_name,
                                            const BackupFlags& flags, const std::string& now) {
  api::MultigresBackup b;
  b.metadata.name = flags.name.empty() ? cluster + "-" + compact_time(now) : flags.name;
  b.metadata.namespace_ = namespace_name;
  b.spec.clusterName = cluster;
  std::vector<std::string> parts;
  for (size_t start = 0; !flags.shard.empty() && start <= flags.shard.size();) {
    size_t slash = flags.shard.find('/', start);
    if (slash == std::string::npos) slash = flags.shard.size();
    parts.push_back(flags.shard.substr(start, slash - start));
    start = slash + 1;
  }
  for (const auto& p : parts) {
    if (p.empty() || parts.size() > 3) {
      return make_invalid("--shard " + flags.shard.substr(0, 200) +
                          ": write DATABASE, DATABASE/TABLEGROUP or DATABASE/TABLEGROUP/SHARD");
    }
  }
  if (!parts.empty()) b.spec.database = parts[0];
  if (parts.size() > 1) b.spec.tablegroup = parts[1];
  if (parts.size() > 2) b.spec.shard = parts[2];
  bool known = false;
  for (const auto& [value, text] : api::EnumValues<api::BackupType>::kValues) {
    if (flags.type == text) {
      b.spec.type = value;
      known = true;
    }
  }
  if (!known) return make_invalid("--type " + flags.type.substr(0, 40) + ": use full, differential or incremental");
  b.spec.forcePrimary = flags.force_primary;
  return b;
}

std::string backups_table(const std::vector<api::MultigresBackup>& backups, const std::string& now, bool color) {
  view::Table table({"NAME", "CLUSTER", "PHASE", "SHARDS", "BACKUP", "SIZE", "AGE"});
  for (const auto& b : backups) {
    const api::MultigresBackupStatus status = b.status.value_or(api::MultigresBackupStatus{});
    std::string ids;
    for (const auto& s : status.shards) {
      if (!s.backupId.empty()) ids += (ids.empty() ? "" : ",") + s.backupId;
    }
    const std::string phase = status.phase.empty() ? api::kBackupPending : status.phase;
    table.row({{b.metadata.name},
               {b.spec.clusterName},
               {phase, phase == api::kBackupCompleted ? view::Color::Green
                       : phase == api::kBackupFailed  ? view::Color::Red
                                                      : view::Color::Yellow},
               {std::to_string(status.shards.size())},
               {ids.empty() ? "-" : ids},
               {status.sizeBytes > 0 ? human_size(status.sizeBytes) : "-"},
               {view::age(b.metadata.creationTimestamp, now)}});
  }
  return table.str(color);
}

Result<api::MultigresRestore> restore_request(const json::Value& backup, const std::string& name,
                                              const std::string& shard) {
  const std::string backup_name = json::string_at(backup, "metadata.name");
  const std::string phase = json::string_at(backup, "status.phase");
  if (phase != api::kBackupCompleted) {
    return make_error(ErrorCode::Invalid, "multigresbackup/" + backup_name + " is " +
                                              (phase.empty() ? "not started" : phase) +
                                              ": only a Completed backup can be restored");
  }
  api::MultigresRestore restore;
  restore.metadata.name = name.empty() ? backup_name + "-restore" : name;
  restore.metadata.namespace_ = json::string_at(backup, "metadata.namespace");
  restore.spec.backupName = backup_name;
  restore.spec.shard = shard;
  return restore;
}

}  // namespace mg::plugin
