// plugin/edit_checks.hpp
//! What the plugin checks around a write, offline: the problems of a MultigresCluster object with its
//! namespace's templates (strict decoding of the spec, then the resolver), the problems an edit would
//! add, a shard's pools, and the one-line report of a server-side apply conflict. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/resolve/resolver.hpp"
#include "common/util/json.hpp"

namespace mg::plugin {

//! The templates of one namespace from CellTemplate and ShardTemplate objects read from a server
//! (decoded leniently: server-added fields are ignored).
resolve::Templates templates_from(const std::vector<json::Document>& cell_templates,
                                  const std::vector<json::Document>& shard_templates);

//! Every problem of a MultigresCluster object, each "path: what is wrong and what to do".
std::vector<std::string> cluster_problems(const json::Value& object, const resolve::Templates& templates);

//! The problems of `after` that `before` does not have: an edit is refused only for what it breaks.
std::vector<std::string> new_problems(const json::Value& before, const json::Value& after,
                                      const resolve::Templates& templates);

//! The pools of shard db/tg/shard after template layering; nullopt when the cluster does not resolve.
std::optional<std::vector<std::string>> shard_pools(const json::Value& object, const resolve::Templates& templates,
                                                    const std::string& db, const std::string& tg,
                                                    const std::string& shard);

//! A pool of a shard, by names, and the cell it names after template layering ("" when none).
struct PoolName {
  std::string database, tablegroup, shard, pool;
  std::string cell;
};

//! Every pool of every shard (the implicit default shard included). Empty when the cluster does not
//! decode.
std::vector<PoolName> pools_of(const json::Value& object, const resolve::Templates& templates);

//! The pools that name no cell: with one cell they run in it; with two or more each needs a cell.
std::vector<PoolName> pools_without_cell(const json::Value& object, const resolve::Templates& templates);

//! A 409 from a server-side apply: the other field managers and the fields they hold.
struct ApplyConflict {
  std::vector<std::string> managers;
  std::vector<std::string> fields;
};

//! Parses the API server's conflict message ("conflict with \"kubectl\" using ...: .spec.x").
ApplyConflict parse_apply_conflict(const std::string& message);

//! One line naming the fields and their managers and suggesting --force-conflicts.
std::string conflict_line(const ApplyConflict& conflict);

}  // namespace mg::plugin
