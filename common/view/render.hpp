// common/view/render.hpp
//! What `kubectl multigres status` and `topology` print for cluster views (cluster_view.hpp). Pure:
//! ages are computed against view.now; colour (ANSI) only when `color` is true.
//! The JSON shape is documented in docs/plugin.md ("status -o json"); fields are only ever added.
#pragma once

#include <string>
#include <vector>

#include "common/util/json.hpp"
#include "common/view/cluster_view.hpp"

namespace mg::view {

//! Phase, conditions, cells, databases, topology servers, pods and problems with hints.
std::string status_text(const ClusterView& view, bool color);

//! The stable machine shape of status_text (every field always present).
json::Document status_document(const ClusterView& view);

//! status_document as indented JSON, with a final newline.
std::string status_json(const ClusterView& view);

//! {"clusters": [status_document...]} for several clusters.
json::Document status_list_document(const std::vector<ClusterView>& views);

//! One line per cluster: (NAMESPACE) NAME PHASE AVAILABLE CELLS SHARDS PODS PROBLEMS AGE.
std::string clusters_table(const std::vector<ClusterView>& views, bool with_namespace, bool color);

//! The tree cluster -> cells -> databases -> tablegroups -> shards -> pools -> pods.
std::string topology_text(const ClusterView& view, bool color);

}  // namespace mg::view
