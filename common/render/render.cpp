// common/render/render.cpp
#include "common/render/render.hpp"

#include <algorithm>

#include "common/api/kinds.hpp"
#include "common/build/children.hpp"
#include "common/build/password_secret.hpp"
#include "common/build/pgbackrest_tls.hpp"
#include "common/resolve/validate.hpp"
#include "common/util/cron.hpp"

namespace mg::render {
namespace {

std::string describe(const json::Value& doc) {
  std::string kind = json::get_string(doc, "kind");
  std::string name;
  if (const auto* meta = json::find(doc, "metadata")) name = json::get_string(*meta, "name");
  return (kind.empty() ? "object" : kind) + "/" + (name.empty() ? "(unnamed)" : name);
}

bool is_ours(const std::string& api_version) {
  return api_version.rfind("multigres.com/", 0) == 0 || api_version.rfind("postgres.multigres.com/", 0) == 0;
}

// One object may carry any number of unknown fields (a 16 MiB file holds 500,000): report the first
// ones and how many more, so that the messages stay readable and their memory small.
void add_errors(const api::FieldErrors& found, const std::string& where, std::vector<std::string>& errors) {
  size_t shown = std::min(found.size(), kMaxErrorsPerObject);
  for (size_t i = 0; i < shown; ++i) errors.push_back(where + ": " + found[i].str());
  if (found.size() > shown) {
    errors.push_back(where + ": " + std::to_string(found.size() - shown) + " more problem(s) not shown");
  }
}

template <class T>
T decode_object(const json::Value& doc, const std::string& where, std::vector<std::string>& errors) {
  api::DecodeContext ctx;
  T out = api::decode<T>(doc, ctx);
  add_errors(ctx.errors, where, errors);
  if (out.metadata.namespace_.empty()) out.metadata.namespace_ = kDefaultNamespace;
  return out;
}

template <class T>
void check_template(const T& t, const std::string& where, std::vector<std::string>& errors) {
  api::FieldErrors found;
  resolve::validate_template(t, found);
  add_errors(found, where, errors);
}

void load_document(const json::Value& doc, const std::string& source, Input& in) {
  std::string api_version = json::get_string(doc, "apiVersion");
  std::string kind = json::get_string(doc, "kind");
  std::string where = source + ": " + describe(doc);
  if (!is_ours(api_version)) return;  // other objects may sit in the same file
  const api::KindEntry* entry = api::find_kind(api_version, kind);
  if (entry == nullptr) {
    for (const auto& e : api::all_kinds()) {
      if (e.kind.kind == kind) {
        in.errors.push_back(where + ": apiVersion " + api_version + " is not served: use apiVersion " +
                            e.kind.api_version());
        return;
      }
    }
    in.errors.push_back(where + ": kind " + kind + " is not served by " + api_version +
                        ": use MultigresCluster, CellTemplate, ShardTemplate or a postgres.multigres.com kind");
    return;
  }
  if (kind == "MultigresCluster") {
    in.clusters.push_back(decode_object<api::MultigresCluster>(doc, where, in.errors));
    in.cluster_sources.push_back(source);
  } else if (kind == "CellTemplate") {
    auto t = decode_object<api::CellTemplate>(doc, where, in.errors);
    check_template(t, where, in.errors);
    in.templates[t.metadata.namespace_].cell[t.metadata.name] = std::move(t);
  } else if (kind == "ShardTemplate") {
    auto t = decode_object<api::ShardTemplate>(doc, where, in.errors);
    check_template(t, where, in.errors);
    in.templates[t.metadata.namespace_].shard[t.metadata.name] = std::move(t);
  } else {
    add_errors(entry->validate(doc, true), where, in.errors);
    // What the CRD cannot say: the schedule is a cron schedule.
    if (kind == "MultigresBackupSchedule") {
      const json::Value* schedule = json::at_path(doc, "spec.schedule");
      if (schedule != nullptr && schedule->IsString()) {
        auto cron = util::CronSchedule::parse(schedule->GetString());
        if (!cron.ok()) in.beyond_schema.push_back(where + ": spec.schedule: " + cron.error().message);
      }
    }
  }
}

void append(Output& out, std::vector<json::Document>&& docs) {
  for (auto& d : docs) out.objects.push_back(std::move(d));
}

void add_topo_tree(Output& out, const api::TopoServer& topo) {
  append(out, build::topo_server_children(topo));
}

void add_shard_tree(Output& out, const api::Shard& shard) {
  out.objects.push_back(api::encode(build::pgbackrest_tls_secret(shard, std::nullopt)));
  append(out, build::shard_children(shard));
}

//! Every object the controllers would apply, walking owner -> children the way they do.
void add_cluster(Output& out, const resolve::ResolvedCluster& rc) {
  if (rc.generatePassword) out.objects.push_back(api::encode(build::password_secret(rc, std::nullopt)));
  append(out, build::cluster_children(rc));
  if (rc.globalTopoServer) add_topo_tree(out, *rc.globalTopoServer);
  for (const auto& cell : rc.cells) {
    append(out, build::cell_children(cell));
    if (auto local = resolve::local_topo_server_for(cell)) add_topo_tree(out, *local);
  }
  for (const auto& tg : rc.tableGroups) {
    append(out, build::table_group_children(tg));
    for (const auto& shard : resolve::shards_for(tg)) add_shard_tree(out, shard);
  }
}

}  // namespace

Input load(const std::vector<Source>& sources) {
  Input in;
  for (const auto& source : sources) {
    auto docs = json::parse_documents(source.text, source.name);
    if (!docs.ok()) {
      in.errors.push_back(docs.error().message);
      continue;
    }
    for (const auto& doc : *docs) {
      if (!doc.IsObject()) {
        in.errors.push_back(source.name + ": a document is not an object: each must be a Kubernetes object");
        continue;
      }
      if (!json::get_string(doc, "kind").empty()) ++in.objects;
      load_document(doc, source.name, in);
    }
  }
  return in;
}

Output render(const Input& input) {
  Output out;
  out.errors = input.beyond_schema;
  static const resolve::Templates kNone;
  for (size_t i = 0; i < input.clusters.size(); ++i) {
    const auto& cluster = input.clusters[i];
    auto it = input.templates.find(cluster.metadata.namespace_);
    auto resolution = resolve::resolve(cluster, it == input.templates.end() ? kNone : it->second);
    std::string where = (i < input.cluster_sources.size() ? input.cluster_sources[i] + ": " : std::string()) +
                        "MultigresCluster/" + (cluster.metadata.name.empty() ? "(unnamed)" : cluster.metadata.name);
    for (const auto& e : resolution.errors) out.errors.push_back(where + ": " + e.str());
    if (!resolution.cluster) continue;
    for (const auto& s : resolution.cluster->unservedShards) {
      out.warnings.push_back(where + ": " + resolve::unserved_shard_warning(s));
    }
    for (const auto& w : resolution.cluster->dataPlaneWarnings) out.warnings.push_back(where + ": " + w.str());
    add_cluster(out, *resolution.cluster);
  }
  return out;
}

}  // namespace mg::render
