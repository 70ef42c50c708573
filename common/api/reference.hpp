// common/api/reference.hpp
//! The API reference (docs/api-reference.md), generated from the same type descriptions as the CRDs:
//! for every kind, one table row per field with its path, type, whether it is required, its default,
//! its constraints and its documentation. Pure: no I/O.
#pragma once

#include <string>

namespace mg::api {

//! The whole reference as Markdown, kinds in all_kinds() order.
std::string api_reference_markdown();

}  // namespace mg::api
