// common/api/kinds.cpp
#include "common/api/kinds.hpp"

#include "common/api/backup_types.hpp"
#include "common/api/children.hpp"
#include "common/api/multigres_cluster.hpp"
#include "common/api/postgres_types.hpp"

namespace mg::api {
namespace {

const char* const kReadyPath = ".status.conditions[?(@.type==\"Available\")].status";

PrinterColumn ready() { return {"Ready", "string", kReadyPath, "Whether the object is available.", 0}; }
PrinterColumn phase() { return {"Phase", "string", ".status.phase", "Lifecycle phase.", 0}; }
PrinterColumn age() { return {"Age", "date", ".metadata.creationTimestamp", "", 0}; }

template <class T>
KindEntry entry(Kind kind) {
  return KindEntry{
      std::move(kind),
      [](json::Allocator& a) { return Codec<T>::schema(a); },
      [](const json::Value& v, bool strict) {
        DecodeContext ctx;
        ctx.strict = strict;
        (void)decode<T>(v, ctx);
        return ctx.errors;
      },
  };
}

Kind multigres(std::string kind, std::string plural, std::vector<std::string> short_names,
               std::vector<PrinterColumn> columns, bool has_status = true) {
  Kind k;
  k.group = kGroup;
  k.version = kVersion;
  k.kind = std::move(kind);
  k.plural = std::move(plural);
  k.singular = k.plural.substr(0, k.plural.size() - 1);
  k.short_names = std::move(short_names);
  k.columns = std::move(columns);
  k.has_status = has_status;
  return k;
}

Kind postgres(std::string kind, std::string plural, std::vector<std::string> short_names,
              std::vector<PrinterColumn> columns, bool namespaced) {
  Kind k = multigres(std::move(kind), std::move(plural), std::move(short_names), std::move(columns));
  k.group = kPostgresGroup;
  k.namespaced = namespaced;
  return k;
}

std::vector<KindEntry> make_kinds() {
  std::vector<KindEntry> kinds;
  kinds.push_back(entry<MultigresCluster>(multigres(
      "MultigresCluster", "multigresclusters", {"mgc"},
      {ready(), phase(), age()})));
  kinds.push_back(entry<CellTemplate>(multigres("CellTemplate", "celltemplates", {"cellt"}, {age()}, false)));
  kinds.push_back(entry<ShardTemplate>(multigres("ShardTemplate", "shardtemplates", {"shardt"}, {age()}, false)));
  kinds.push_back(entry<TopoServer>(multigres(
      "TopoServer", "toposervers", {"mgtopo"},
      {ready(), {"Replicas", "integer", ".spec.replicas", "", 0}, {"Ready Replicas", "integer", ".status.readyReplicas", "", 0}, age()})));
  kinds.push_back(entry<Cell>(multigres(
      "Cell", "cells", {"mgcell"},
      {ready(), {"Zone", "string", ".spec.zone", "", 0}, {"Region", "string", ".spec.region", "", 1},
       {"Gateways", "integer", ".status.gatewayReadyReplicas", "Ready gateway pods.", 0}, age()})));
  kinds.push_back(entry<TableGroup>(multigres(
      "TableGroup", "tablegroups", {"mgtg"},
      {ready(), {"Database", "string", ".spec.databaseName", "", 0},
       {"Shards", "integer", ".status.totalShards", "", 0}, {"Ready Shards", "integer", ".status.readyShards", "", 0},
       age()})));
  Kind shard = multigres("Shard", "shards", {"mgshard"},
                         {ready(),
                          phase(),
                          {"Primary Cell", "string", ".status.primaryCell", "", 0},
                          {"Replicas", "integer", ".spec.replicas", "Pods per pool.", 0},
                          {"Ready Pods", "integer", ".status.readyReplicas", "", 0},
                          age()});
  shard.scale = ScaleSubresource{".spec.replicas", ".status.replicas", ".status.selector"};
  kinds.push_back(entry<Shard>(std::move(shard)));
  kinds.push_back(entry<MultigresBackup>(multigres("MultigresBackup", "multigresbackups", {"mgbackup"},
                                                   {phase(),
                                                    {"Cluster", "string", ".spec.clusterName", "", 0},
                                                    {"Size", "integer", ".status.sizeBytes", "Bytes.", 0},
                                                    {"Completed", "string", ".status.completionTime", "", 1},
                                                    age()})));
  kinds.push_back(entry<MultigresRestore>(multigres("MultigresRestore", "multigresrestores", {"mgrestore"},
                                                    {phase(),
                                                     {"Backup", "string", ".spec.backupName", "", 0},
                                                     {"Cluster", "string", ".status.clusterName", "", 0},
                                                     {"Completed", "string", ".status.completionTime", "", 1},
                                                     age()})));
  kinds.push_back(
      entry<MultigresBackupSchedule>(multigres("MultigresBackupSchedule", "multigresbackupschedules", {"mgbackupsched"},
                                               {{"Schedule", "string", ".spec.schedule", "", 0},
                                                {"Suspend", "boolean", ".spec.suspend", "", 0},
                                                {"Last", "string", ".status.lastScheduleTime", "", 0},
                                                {"Next", "string", ".status.nextScheduleTime", "", 1},
                                                age()})));
  kinds.push_back(entry<DatabaseCluster>(postgres(
      "DatabaseCluster", "databaseclusters", {"pgdbc"},
      {ready(), {"Version", "string", ".status.serverVersion", "", 0}, age()}, false)));
  kinds.push_back(entry<Database>(postgres(
      "Database", "databases", {"pgdb"},
      {{"Cluster", "string", ".spec.databaseClusterRef.name", "", 0}, {"PG Name", "string", ".spec.name", "", 0},
       {"Applied", "boolean", ".status.applied", "", 0}, {"Message", "string", ".status.message", "", 1}, age()},
      true)));
  kinds.push_back(entry<DatabaseRole>(postgres(
      "DatabaseRole", "databaseroles", {"pgrole"},
      {{"Cluster", "string", ".spec.databaseClusterRef.name", "", 0}, {"Role", "string", ".spec.roleName", "", 0},
       {"Applied", "boolean", ".status.applied", "", 0}, {"Message", "string", ".status.message", "", 1}, age()},
      true)));
  return kinds;
}

}  // namespace

const std::vector<KindEntry>& all_kinds() {
  static const std::vector<KindEntry> kinds = make_kinds();
  return kinds;
}

const KindEntry* find_kind(std::string_view api_version, std::string_view kind) {
  for (const auto& e : all_kinds()) {
    if (e.kind.kind == kind && e.kind.api_version() == api_version) return &e;
  }
  return nullptr;
}

}  // namespace mg::api
