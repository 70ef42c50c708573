// common/build/pg_hba.hpp
//! The pg_hba template ConfigMap of a shard, mounted into pgctld (only) at /etc/pgctld. Multigres'
//! built-in template allows replication only from localhost, so standbys in other pods could not
//! stream WAL without this one. Owned by the Shard. Pure: same input, same bytes.
#pragma once

#include "common/api/children.hpp"
#include "common/api/k8s/core.hpp"

namespace mg::build {

inline constexpr const char* kPgHbaTemplateKey = "pg_hba_template.conf";

//! The template text (also what the ConfigMap holds).
const char* pg_hba_template();

api::k8s::ConfigMap pg_hba_config_map(const api::Shard& shard);

}  // namespace mg::build
