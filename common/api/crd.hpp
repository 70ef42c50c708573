// common/api/crd.hpp
//! Generates the CustomResourceDefinition of each kind from its type description. The files under
//! config/crd/bases are this output, committed; a test fails when they drift.
#pragma once

#include <string>

#include "common/api/kinds.hpp"

namespace mg::api {

//! The CRD object for one kind.
json::Document crd(const KindEntry& entry);

//! The CRD as YAML, as committed under config/crd/bases/<group>_<plural>.yaml.
std::string crd_yaml(const KindEntry& entry);

//! The committed file name for a kind's CRD.
std::string crd_file_name(const Kind& kind);

}  // namespace mg::api
