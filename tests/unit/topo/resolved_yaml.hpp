// tests/unit/topo/resolved_yaml.hpp: a MultigresCluster manifest (YAML) resolved without templates,
// for the topology tests (unit and integration); the manifest must be valid and resolve.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "common/api/multigres_cluster.hpp"
#include "common/resolve/resolver.hpp"
#include "common/util/json.hpp"

namespace mg::testing {

inline resolve::ResolvedCluster resolved_yaml(const std::string& yaml) {
  auto docs = mg::json::parse_documents(yaml, "cluster.yaml");
  REQUIRE(docs.ok());
  api::DecodeContext ctx;
  auto cluster = api::decode<api::MultigresCluster>(docs->front(), ctx);
  INFO(api::format_errors(ctx.errors));
  REQUIRE(ctx.errors.empty());
  auto r = resolve::resolve(cluster, {});
  INFO(api::format_errors(r.errors));
  REQUIRE(r.cluster);
  return *r.cluster;
}

}  // namespace mg::testing
