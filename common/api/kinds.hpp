// common/api/kinds.hpp
//! The registry of every kind this project defines: its Kind facts (names, scope, printer columns)
//! and its schema and decoder, all taken from the type descriptions.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "common/api/describe.hpp"
#include "common/api/meta.hpp"

namespace mg::api {

struct KindEntry {
  Kind kind;
  std::function<json::Value(json::Allocator&)> schema;                     //!< OpenAPI v3 of the whole object
  std::function<FieldErrors(const json::Value&, bool strict)> validate;  //!< decode errors only
};

//! Every kind, multigres.com first, in a fixed order.
const std::vector<KindEntry>& all_kinds();

//! The entry for apiVersion + kind, or nullptr.
const KindEntry* find_kind(std::string_view api_version, std::string_view kind);

//! The Kind facts of one described type (looked up by its default apiVersion/kind).
template <class T>
const Kind& kind_of() {
  static const Kind& k = [] {
    T probe;
    const KindEntry* e = find_kind(probe.apiVersion, probe.kind);
    return std::cref(e->kind);
  }();
  return k;
}

}  // namespace mg::api
