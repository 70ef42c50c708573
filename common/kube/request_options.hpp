// common/kube/request_options.hpp
//! Options of each verb and their query parameters / bodies, exactly as the API server reads them.
//! Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/kube/resource.hpp"

namespace mg::kube {

//! ?fieldValidation=: how the server treats unknown or duplicate fields in a write.
enum class FieldValidation { ServerDefault, Strict, Warn, Ignore };

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 0;  //!< page size; 0 = no paging
  std::string continue_token;
  std::string resource_version;        //!< "" = consistent read; "0" = any cached state
  std::string resource_version_match;  //!< "NotOlderThan" or "Exact" (needs resource_version)
  int64_t timeout_seconds = 0;         //!< 0 = server default
  //! Pods only: ask for the protobuf encoding, which the API server writes several times faster than
  //! JSON; the items then hold only the fields of common/kube/pod_list.proto (common/kube/pod_list_protobuf.hpp).
  bool compact_pods = false;
};

struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;  //!< start after this version (from a list or the last event)
  bool allow_bookmarks = true;
  int64_t timeout_seconds = 0;       //!< the server ends the watch after this (0 = its own random timeout)
  bool send_initial_events = false;  //!< streaming list: needs resource_version_match NotOlderThan
  std::string resource_version_match;
};

struct WriteOptions {
  std::string field_manager;  //!< ≤128 characters; recorded in managedFields
  bool dry_run = false;       //!< ?dryRun=All: validated and admitted, not persisted
  FieldValidation field_validation = FieldValidation::ServerDefault;
};

struct ApplyOptions {
  std::string field_manager;  //!< required for server-side apply
  bool force = false;         //!< take ownership of fields other managers own (controllers should)
  bool dry_run = false;
  FieldValidation field_validation = FieldValidation::ServerDefault;
};

enum class PatchType { Merge, Json, Strategic };

enum class Propagation { ServerDefault, Foreground, Background, Orphan };

struct DeleteOptions {
  Propagation propagation = Propagation::ServerDefault;
  std::string precondition_uid;               //!< delete only this incarnation
  std::string precondition_resource_version;  //!< delete only this version
  std::optional<int64_t> grace_period_seconds;
  bool dry_run = false;
};

QueryParams list_query(const ListOptions& options);
QueryParams watch_query(const WatchOptions& options);
QueryParams write_query(const WriteOptions& options);
QueryParams apply_query(const ApplyOptions& options);
QueryParams delete_query(const DeleteOptions& options);

//! The DeleteOptions body: {"apiVersion":"v1","kind":"DeleteOptions", propagationPolicy?, preconditions?,
//! gracePeriodSeconds?, dryRun?}.
std::string delete_body(const DeleteOptions& options);

//! Content-Type of each patch type: application/merge-patch+json, application/json-patch+json,
//! application/strategic-merge-patch+json (built-in kinds only; CRDs answer 415).
const char* patch_content_type(PatchType type);

inline constexpr const char* kApplyContentType = "application/apply-patch+yaml";

}  // namespace mg::kube
