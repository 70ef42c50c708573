// common/resolve/resolver.hpp
//! Turns a MultigresCluster and its namespace's templates into every child it owns, fully resolved:
//! hard-coded defaults -> `default` template (when none is named) -> named template -> overrides ->
//! inline spec. Atomic blocks (resources, storage, affinity) replace whole; pools merge by key.
//! Every problem is reported at once, with the field path and what to do. Pure: no I/O.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "common/api/field_error.hpp"
#include "common/api/multigres_cluster.hpp"
#include "common/resolve/resolved_cluster.hpp"

namespace mg::resolve {

//! The templates of the cluster's namespace, by name.
struct Templates {
  std::map<std::string, api::CellTemplate> cell;
  std::map<std::string, api::ShardTemplate> shard;
};

struct Resolution {
  std::optional<ResolvedCluster> cluster;  //!< set only when there are no errors
  api::FieldErrors errors;
  std::vector<std::string> missingTemplates;  //!< "CellTemplate/x", "ShardTemplate/y"
};

Resolution resolve(const api::MultigresCluster& cluster, const Templates& templates);

//! "<path>: shard <db/tg/shard> cannot be served by Multigres <version>: ..." for `validate`/`render`.
std::string unserved_shard_warning(const UnservedShard& shard);

//! The ShardsServable condition's message when some shards cannot be served (empty list: "").
std::string unserved_shards_message(const std::vector<UnservedShard>& shards);

//! The Shards a TableGroup makes (what the TableGroup controller applies).
std::vector<api::Shard> shards_for(const api::TableGroup& table_group);

//! The TopoServer a Cell makes when its topology server is managed.
std::optional<api::TopoServer> local_topo_server_for(const api::Cell& cell);

}  // namespace mg::resolve
