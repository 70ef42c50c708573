// operator/controllers/pool_restart.hpp
//! The Shard controller's restarts of pool pods onto the current template: one step per pass
//! (restart_plan.hpp decides; this reads the cache and writes the drain request or the delete).
#pragma once

#include <vector>

#include "common/api/children.hpp"
#include "operator/controllers/context.hpp"
#include "operator/controllers/restart_plan.hpp"

namespace mg::controllers {

//! Takes the next step for `shard` (`spec`: the same Shard, parsed) pool pods. `pools` are the shard's
//! pool StatefulSets from the cache (null when absent), `pods` its pool pods. Before a drain it asks the
//! primary's cohort (topology.hpp, read_primary_cohort). Returns the step taken (for the status message).
Result<RestartStep> restart_pool_pods(Context& ctx, const json::Value& shard, const api::Shard& spec,
                                      const std::vector<const json::Value*>& pools, const std::vector<ObjectPtr>& pods);

}  // namespace mg::controllers
