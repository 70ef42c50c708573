// common/build/postgres_config.hpp
//! A shard's PostgreSQL settings file: its ConfigMap (mounted into pgctld at kPostgresConfigDir), the
//! one-line snippet pgctld appends to postgresql.conf when it first creates a data directory (an
//! include of that file, so later edits reach every pod through the mount and a reload), and the hashes
//! that say when pods must restart (settings read only at start) or reload (any other). Restored pods
//! carry the include too: it is part of the data directory a backup holds. Pure: same input, same bytes.
#pragma once

#include <map>
#include <string>

#include "common/api/children.hpp"
#include "common/api/k8s/core.hpp"

namespace mg::build {

inline constexpr const char* kPostgresConfigDir = "/etc/postgres-config";
inline constexpr const char* kPostgresConfigKey = "postgresql.conf";
inline constexpr const char* kPostgresIncludeKey = "include.conf";
inline constexpr const char* kPostgresConfigVolume = "postgres-config";

//! The settings as postgresql.conf lines, sorted by name, values single-quoted (' and \ doubled).
std::string render_postgres_config(const std::map<std::string, std::string>& settings);

//! The path of the rendered file inside pgctld, which the include names.
std::string postgres_config_path();

//! Hash of the rendered file: what a pod's kPostgresConfigAppliedAnnotation is compared with.
std::string postgres_config_hash(const api::Shard& shard);

//! Hash of the settings PostgreSQL reads only at start: on the pool pod template, so a change rolls them.
std::string postgres_restart_hash(const api::Shard& shard);

api::k8s::ConfigMap postgres_config_map(const api::Shard& shard);

}  // namespace mg::build
