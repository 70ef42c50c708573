// common/kube/compare.hpp
//! Does an object on the server already say what we would apply? The rule behind "write only where
//! desired and actual differ": every field we set must be present with the same value; fields the
//! server or other managers added are ignored. Quantities compare by amount ("1000m" == "1"), numbers
//! by value, and an empty object or list we set may be absent (the server drops some). Pure.
#pragma once

#include <string>

#include "common/util/json.hpp"

namespace mg::kube {

//! True when `actual` holds every field of `desired` with an equal value (lists element by element,
//! same length).
bool covers(const json::Value& actual, const json::Value& desired);

//! 16 hex digits of a hash of `value`'s compact JSON: recorded in an annotation on each applied object,
//! so removing a field from what we apply (which `covers` cannot see) still triggers a write.
std::string content_hash(const json::Value& value);

}  // namespace mg::kube
