// operator/controllers/volume_growth.hpp
//! Whether a pool's data volumes grow, decided from the desired and the cached StatefulSet and the
//! PVC cache, with no I/O (the shard controller carries it out). A StatefulSet's claim template
//! cannot change in place, so growing means: expand each existing data PVC of the pool (the storage
//! class must allow expansion), then delete the StatefulSet with orphan propagation; the next pass
//! re-creates it with the new template and it adopts the running pods, which never stop. Only growth
//! is handled; for a smaller size or another class the Shard controller keeps the claim templates the
//! StatefulSet has (event VolumesKept), so the rest of the StatefulSet still applies.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/util/json.hpp"
#include "operator/runtime/boundary.hpp"

namespace mg::controllers {

struct VolumeGrowth {
  std::string size;                        //!< the new storage request, as the desired template says it
  std::vector<runtime::ObjectPtr> claims;  //!< the pool's PVCs still below it
};

//! The growth to carry out, or nullopt: no StatefulSet yet or it is being deleted, no claim template,
//! a size that does not parse or does not grow, or another selector or storage class.
std::optional<VolumeGrowth> plan_volume_growth(const json::Value& desired, const json::Value* actual,
                                               const runtime::ObjectStore& pvcs);

//! The merge patch that sets a PVC's storage request to `size`.
json::Document storage_request_patch(const std::string& size);

//! The field manager of the expansion: the PVC belongs to the StatefulSet, the operator only grows it.
inline constexpr const char* kVolumeExpansionManager = "multigres-volume-expansion";

}  // namespace mg::controllers
