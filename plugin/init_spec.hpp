// plugin/init_spec.hpp
//! The MultigresCluster `kubectl multigres init` creates, from its options (flags or the wizard's
//! answers). Pure: the caller reads the namespace's templates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/resolve/resolver.hpp"
#include "common/util/json.hpp"
#include "common/util/result.hpp"

namespace mg::plugin {

struct InitOptions {
  std::string name;
  std::string namespace_name;
  std::vector<std::string> zones;    //!< a cell per zone, named after it
  std::vector<std::string> regions;  //!< a cell per region, named after it
  std::vector<std::string> databases;    //!< empty: postgres
  std::vector<std::string> tablegroups;  //!< in every database; empty: default
  std::string shards;                    //!< per tablegroup: a count ("4") or names ("a,b"); empty: 1
  std::string shard_template;            //!< every shard's template; empty: the namespace's default or built-in
  std::string cell_template;             //!< every cell's template
  std::optional<int32_t> replicas;       //!< every pool's replicas (overrides)
  std::string storage;                   //!< every pool's volume size (overrides)
  std::vector<std::string> images;       //!< "COMPONENT=REF" (spec.images; e.g. a mirror or a local build)
  std::vector<std::string> log_levels;   //!< "LEVEL" (every process) or "PROCESS=LEVEL" (spec.logLevels)
};

//! "a, b,,c" -> {a, b, c}.
std::vector<std::string> split_list(const std::string& text);

//! Shard names: a count N (1..32) gives equal key ranges named like Multigres' full range 0-inf
//! (1: 0-inf; 2: 0-80, 80-inf; 4: 0-40, 40-80, 80-c0, c0-inf); otherwise comma-separated names.
Result<std::vector<std::string>> shard_names_for(const std::string& shards);

//! A pool the shards will have: from the named ShardTemplate, else the namespace's `default` one,
//! else the built-in pool `default`.
struct InitPool {
  std::string name;
  bool has_cell = false;  //!< the template places it in a cell already
  std::optional<int32_t> replicas;
  std::string storage;
  std::string storage_class;  //!< kept when --storage replaces the (atomic) storage block
};
std::vector<InitPool> init_pools(const resolve::Templates& templates, const std::string& shard_template);

//! The cluster, in field order. Pools get `overrides` for --replicas and --storage, and with several
//! cells a pool the template leaves without a cell goes to the cells in turn (shard i -> cell i mod n).
//! Errors: a missing name or cells, bad shard counts (usage problems, said as what to pass).
Result<json::Document> build_init_cluster(const InitOptions& options, const resolve::Templates& templates);

}  // namespace mg::plugin
