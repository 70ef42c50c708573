// common/render/render.hpp
//! Offline rendering: manifests (MultigresCluster + templates) in, every object the operator would own
//! out, in a fixed order; and validation, which reports every problem with its source and field path.
//! This is what `kubectl multigres render` and `validate` print. Pure: the caller reads the files.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/api/multigres_cluster.hpp"
#include "common/resolve/resolver.hpp"
#include "common/util/json.hpp"

namespace mg::render {

//! One input file: a name for messages and its text.
struct Source {
  std::string name;
  std::string text;
};

//! The decoded manifests, templates grouped by namespace.
struct Input {
  std::vector<api::MultigresCluster> clusters;
  std::vector<std::string> cluster_sources;             //!< file each cluster came from, same order
  std::map<std::string, resolve::Templates> templates;  //!< by namespace
  std::vector<std::string> errors;                      //!< "<file>: <Kind>/<name>: <path>: <message>"
  //! Problems of objects the schema accepts but the operator refuses (a cron schedule's ranges), as
  //! the resolver's are; render() reports them with its own.
  std::vector<std::string> beyond_schema;
  //! Documents that are Kubernetes objects (have a kind), of any API group.
  size_t objects = 0;
};

//! Decodes every document strictly. Kinds of other API groups are ignored; unknown multigres kinds,
//! unknown fields and bad values are errors.
Input load(const std::vector<Source>& sources);

struct Output {
  std::vector<json::Document> objects;
  std::vector<std::string> errors;
  //! What is valid but will not work with the pinned Multigres (shards it cannot serve), each
  //! "<file>: MultigresCluster/<name>: <path>: <what and why>"; printed on stderr, exit status 0.
  std::vector<std::string> warnings;
};

//! Resolves every cluster of `input` and builds what its controllers would apply.
Output render(const Input& input);

//! Problems reported per object; the rest are counted in one line.
inline constexpr size_t kMaxErrorsPerObject = 100;

//! The namespace objects without one are rendered into.
inline constexpr const char* kDefaultNamespace = "default";

}  // namespace mg::render
