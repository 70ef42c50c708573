// common/build/shard_common.hpp
//! What the per-shard builders (multiorch, pools, pg_hba, backup PVC) share: the shard's naming key,
//! its label scope, metadata owned by the Shard, and where a cell's pods are scheduled.
//! Pure: no I/O.
#pragma once

#include <map>
#include <string>

#include "common/api/children.hpp"
#include "common/naming/labels.hpp"
#include "common/naming/names.hpp"

namespace mg::build {

naming::ShardKey shard_key(const api::Shard& shard);

//! Labels scope of a shard object; `cell` and `pool` are left out of labels when empty.
naming::Scope shard_scope(const api::Shard& shard, const std::string& component, const std::string& cell = {},
                          const std::string& pool = {});

//! Metadata in the Shard's namespace, controlled by the Shard.
api::ObjectMeta shard_meta(const api::Shard& shard, const std::string& name, const naming::Scope& scope);

//! nodeSelector for `cell` from the shard environment's cell placement (empty when unknown).
std::map<std::string, std::string> cell_node_selector(const api::Shard& shard, const std::string& cell);

}  // namespace mg::build
