// common/api/postgres_gucs.cpp
#include "common/api/postgres_gucs.hpp"

#include <algorithm>
#include <array>

namespace mg::api {
namespace {

// Sorted, for binary search. `ssl` is here because no server certificate is mounted: ssl = on would
// keep postgres from starting.
constexpr std::array<std::string_view, 30> kPinned{
    "archive_command",
    "archive_library",
    "archive_mode",
    "cluster_name",
    "config_file",
    "data_directory",
    "external_pid_file",
    "full_page_writes",
    "hba_file",
    "hot_standby",
    "ident_file",
    "include",
    "include_dir",
    "include_if_exists",
    "listen_addresses",
    "password_encryption",
    "port",
    "primary_conninfo",
    "primary_slot_name",
    "recovery_target",
    "restore_command",
    "ssl",
    "ssl_cert_file",
    "ssl_key_file",
    "synchronous_standby_names",
    "unix_socket_directories",
    "unix_socket_group",
    "unix_socket_permissions",
    "wal_level",
    "wal_log_hints",
};

// PostgreSQL 17's settings of context `postmaster` (SELECT name FROM pg_settings WHERE context =
// 'postmaster'), without the pinned ones. Sorted.
constexpr std::array<std::string_view, 37> kRestart{
    "autovacuum_max_workers",
    "bonjour",
    "bonjour_name",
    "commit_timestamp_buffers",
    "data_sync_retry",
    "debug_io_direct",
    "dynamic_shared_memory_type",
    "event_source",
    "huge_page_size",
    "huge_pages",
    "jit_provider",
    "logging_collector",
    "max_connections",
    "max_files_per_process",
    "max_locks_per_transaction",
    "max_logical_replication_workers",
    "max_notify_queue_pages",
    "max_pred_locks_per_transaction",
    "max_prepared_transactions",
    "max_replication_slots",
    "max_wal_senders",
    "max_worker_processes",
    "min_dynamic_shared_memory",
    "multixact_member_buffers",
    "multixact_offset_buffers",
    "notify_buffers",
    "reserved_connections",
    "serializable_buffers",
    "shared_buffers",
    "shared_memory_type",
    "shared_preload_libraries",
    "subtransaction_buffers",
    "superuser_reserved_connections",
    "track_activity_query_size",
    "track_commit_timestamp",
    "transaction_buffers",
    "wal_buffers",
};

static_assert(std::ranges::is_sorted(kPinned) && std::ranges::is_sorted(kRestart));

bool sorted_contains(const auto& list, std::string_view name) {
  return std::binary_search(list.begin(), list.end(), name);
}

bool identifier_start(char c) {
  return (c >= 'a' && c <= 'z') || c == '_';
}
bool identifier_char(char c) {
  return identifier_start(c) || (c >= '0' && c <= '9');
}

//! A lower-case identifier, or two joined by one '.'.
bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxGucNameLength) return false;
  bool at_start = true;
  int dots = 0;
  for (char c : name) {
    if (c == '.') {
      if (at_start || ++dots > 1) return false;
      at_start = true;
    } else if (at_start ? !identifier_start(c) : !identifier_char(c)) {
      return false;
    } else {
      at_start = false;
    }
  }
  return !at_start;
}

bool has_line_break_or_nul(std::string_view text) {
  return text.find_first_of(std::string_view("\n\r\0", 3)) != std::string_view::npos;
}

}  // namespace

bool is_pinned_guc(std::string_view name) {
  return sorted_contains(kPinned, name) || name.starts_with("recovery_target");
}

bool guc_needs_restart(std::string_view name) {
  return sorted_contains(kRestart, name);
}

std::optional<std::string> guc_entry_problem(std::string_view name, std::string_view value) {
  if (!valid_name(name)) {
    return "\"" + std::string(name.substr(0, kMaxGucNameLength)) +
           "\" is not a PostgreSQL setting name: use lower-case letters, digits and _ (at most " +
           std::to_string(kMaxGucNameLength) + "), with one . for an extension's setting";
  }
  if (is_pinned_guc(name)) {
    return std::string(name) +
           " is set by Multigres or the operator (data directory, ports, replication, archiving, includes): "
           "remove it";
  }
  if (value.size() > kMaxGucValueLength) {
    return "value of " + std::string(name) + " is " + std::to_string(value.size()) + " bytes, more than " +
           std::to_string(kMaxGucValueLength) + ": shorten it";
  }
  if (has_line_break_or_nul(value)) return "value of " + std::string(name) + " has a line break: write it on one line";
  return std::nullopt;
}

std::optional<std::string> initdb_args_problem(std::string_view args) {
  if (has_line_break_or_nul(args)) return "has a line break: write the arguments on one line";
  return std::nullopt;
}

}  // namespace mg::api
