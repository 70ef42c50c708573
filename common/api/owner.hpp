// common/api/owner.hpp
//! Owner references: every child points at the object that owns it (controller, blocks deletion).
#pragma once

#include "common/api/meta.hpp"

namespace mg::api {

//! A controller owner reference to `owner` (any kind with apiVersion, kind and metadata).
template <class T>
OwnerReference owner_reference(const T& owner) {
  return OwnerReference{owner.apiVersion, owner.kind, owner.metadata.name, owner.metadata.uid, true, true};
}

}  // namespace mg::api
