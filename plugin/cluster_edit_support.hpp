// plugin/cluster_edit_support.hpp
//! What the plans of cluster_edit.hpp share (not part of its interface): the pair of documents each
//! plan edits, the existence checks with their messages, and small JSON helpers. Pure.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/api/managed_fields.hpp"
#include "plugin/cluster_edit.hpp"
#include "plugin/connection.hpp"

namespace mg::plugin::edit::detail {

using api::extract_applied;
using api::FieldManager;
using api::FieldPath;
using api::owners_of;
using api::PathStep;

//! The two documents every plan edits: the predicted live object and the plugin's intent.
struct Edit {
  const json::Value& live;
  Plan plan;

  explicit Edit(const json::Value& l) : live(l) {
    plan.predicted = json::clone(live);
    plan.apply = extract_applied(live, kPluginFieldManager);
  }
  json::Value& predicted() { return plan.predicted; }
  json::Value& intent() { return plan.apply; }
  json::Allocator& pa() { return plan.predicted.GetAllocator(); }
  json::Allocator& ia() { return plan.apply.GetAllocator(); }
  //! Runs `change` on both documents, each with its own allocator.
  void both(const std::function<void(json::Value& doc, json::Allocator& a)>& change) {
    change(predicted(), pa());
    change(intent(), ia());
  }
};

//! "\"s\"" for messages.
std::string q(std::string_view s);

//! The notes for levels a change makes explicit (an empty list there meant the default entry).
void note_materialized(Plan& plan, const json::Value& live, const std::string* db, const std::string* tg);

//! Invalid errors naming what is missing, what exists and what to do.
Result<void> need_database(const json::Value& live, const std::string& db);
Result<void> need_tablegroup(const json::Value& live, const TableGroupRef& ref);
Result<void> need_shard(const json::Value& live, const ShardRef& ref);

//! The live entry of a shard, or nullptr when it exists only by default.
const json::Value* live_shard(const json::Value& live, const ShardRef& ref);

//! Removes the entry named `name` (cells: by defaulted name) from `list`; false when absent.
bool erase_entry(json::Value* list, std::string_view name, bool cells = false);

}  // namespace mg::plugin::edit::detail
