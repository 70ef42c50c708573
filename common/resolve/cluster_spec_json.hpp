// common/resolve/cluster_spec_json.hpp
//! Reading and editing a MultigresCluster as JSON the way the plugin's edit commands and the operator's
//! scale write-back need: the effective databases / tablegroups / shards (an empty list means the
//! implicit default: database postgres, tablegroup default, shard 0-inf), and find-or-create of
//! list-map entries. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/util/json.hpp"

namespace mg::resolve::spec_json {

//! Mutable member lookup; nullptr when absent or `v` is not an object.
json::Value* member(json::Value& v, std::string_view key);
//! The object (or array) member `key`, created when absent (or not of that type).
json::Value& ensure_object(json::Value& parent, std::string_view key, json::Allocator& a);
json::Value& ensure_array(json::Value& parent, std::string_view key, json::Allocator& a);
//! Index of the entry whose `name` is `name` (cells: the name defaulted from zone or region); -1 if none.
int index_of(const json::Value* list, std::string_view name, bool cells = false);
//! The entry named `name` of the array, appended as {"name": name} when missing.
json::Value& ensure_entry(json::Value& list, std::string_view name, json::Allocator& a);

//! A cell entry's name: name, else zone, else region.
std::string cell_name(const json::Value& cell);
std::vector<std::string> cell_names(const json::Value& object);

//! The live list at spec.databases / that database's tablegroups / that tablegroup's shards, or
//! nullptr when absent. The parents must exist explicitly for a non-null answer.
const json::Value* databases(const json::Value& object);
const json::Value* tablegroups(const json::Value& object, std::string_view db);
const json::Value* shards(const json::Value& object, std::string_view db, std::string_view tg);

//! The effective names at each level: the explicit entries, or the implicit default when empty.
std::vector<std::string> database_names(const json::Value& object);
std::vector<std::string> tablegroup_names(const json::Value& object, std::string_view db);
std::vector<std::string> shard_names(const json::Value& object, std::string_view db, std::string_view tg);

bool contains(const std::vector<std::string>& names, std::string_view name);
//! "a, b, c" (or "none").
std::string join(const std::vector<std::string>& names);

//! Find-or-create the entries down to a level in `doc` (the intent or the predicted object). Where
//! the LIVE list is empty (an implicit default), the default entry is created too, so the change never
//! drops the database, tablegroup or shard that was running by default.
json::Value& ensure_database(json::Value& doc, const json::Value& live, std::string_view db, json::Allocator& a);
json::Value& ensure_tablegroup(json::Value& doc, const json::Value& live, std::string_view db, std::string_view tg,
                               json::Allocator& a);
json::Value& ensure_shard(json::Value& doc, const json::Value& live, std::string_view db, std::string_view tg,
                          std::string_view shard, json::Allocator& a);

}  // namespace mg::resolve::spec_json
