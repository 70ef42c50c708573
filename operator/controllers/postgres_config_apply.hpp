// operator/controllers/postgres_config_apply.hpp
//! The Shard controller's live apply of postgresConfig: for each pool pod not yet on the shard's
//! settings file, it asks that pod's PostgreSQL what it reads from the file and to reload, and once the
//! answer matches, marks the pod with the file's hash (kPostgresConfigAppliedAnnotation). Settings read
//! only at start go through the ordered restart instead (the pod template carries their hash).
#pragma once

#include <vector>

#include "operator/controllers/context.hpp"

namespace mg::controllers {

//! At most this many pods are reached per pass (each is a connection of its own).
inline constexpr size_t kMaxReloadsPerPass = 8;

//! Applies `shard`'s settings (`object` is the cached Shard) to `pods` (its pool pods from the cache)
//! and says where that stands.
api::PostgresConfigStatus apply_postgres_config(Context& ctx, const json::Value& object, const api::Shard& shard,
                                                const std::vector<ObjectPtr>& pods);

}  // namespace mg::controllers
