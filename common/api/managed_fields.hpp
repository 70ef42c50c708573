// common/api/managed_fields.hpp
//! Reading `metadata.managedFields` (fieldsV1) of an object: which field managers own a field, and
//! the applied configuration one manager owns (client-go's `Extract...` functions). The plugin applies
//! its previous intent plus each change, so one command never drops what an earlier one set; the
//! operator tells a scale request (a write of Shard spec.replicas by someone else) from its own value.
//! Pure: no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/util/json.hpp"

namespace mg::api {

//! One step of a field path: an object member, or the entry of a `listType: map` list with a key.
struct PathStep {
  std::string field;      //!< member name (when key_name is empty)
  std::string key_name;   //!< list-map key field, e.g. "name"
  std::string key_value;  //!< its value

  static PathStep member(std::string name) { return {std::move(name), {}, {}}; }
  static PathStep entry(std::string key, std::string value) { return {{}, std::move(key), std::move(value)}; }
  bool is_entry() const { return !key_name.empty(); }
};
using FieldPath = std::vector<PathStep>;

//! ".spec.databases[name=db].tablegroups" for messages.
std::string describe_path(const FieldPath& path);

//! A managedFields entry.
struct FieldManager {
  std::string manager;
  std::string operation;  //!< Apply or Update
  bool operator==(const FieldManager&) const = default;
};

//! Every manager (any operation, main resource only) that owns `path` itself, something under it, or
//! an atomic ancestor of it.
std::vector<FieldManager> owners_of(const json::Value& object, const FieldPath& path);

//! The fields `manager` set with server-side apply, projected from the live object: apiVersion, kind,
//! metadata.name and metadata.namespace, plus the owned part of `spec`. List-map entries keep their
//! key fields. An object the manager never applied gives just the header.
json::Document extract_applied(const json::Value& object, std::string_view manager);

}  // namespace mg::api
