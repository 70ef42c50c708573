// operator/controllers/rbac.cpp
#include "operator/controllers/rbac.hpp"

#include <algorithm>

#include "common/util/json.hpp"

namespace mg::controllers {
namespace {

using Verbs = std::vector<std::string>;

// Verb sets, named by what the operator does with them.
const Verbs kRead = {"get", "list", "watch"};                                      // informers (list + watch)
const Verbs kOwn = {"get", "list", "watch", "create", "patch", "delete"};          // server-side apply + prune
const Verbs kStatus = {"patch"};                                                   // server-side apply on /status
const Verbs kFinalizers = {"update"};                                              // blockOwnerDeletion on children

const char* kMultigres = "multigres.com";
const char* kPostgres = "postgres.multigres.com";

//! One entry per kind the operator owns: the resource, its /status and its /finalizers.
void owned_kind(std::vector<AccessRule>& rules, const std::string& group, const std::string& plural,
                const std::string& kind, const std::string& made_by) {
  rules.push_back({group, plural, kind, kOwn,
                   made_by + " applies " + kind + "s (server-side apply creates them) and deletes the ones that leave the spec"});
  rules.push_back({group, plural + "/status", "", kStatus, "the " + kind + " controller writes the status"});
  rules.push_back({group, plural + "/finalizers", "", kFinalizers,
                   "children point at a " + kind + " with blockOwnerDeletion, which the OwnerReferencesPermissionEnforcement "
                   "admission plugin allows only to who may update its finalizers"});
}

//! Read, update and status of the postgres.multigres.com kinds, which users create.
void postgres_kind(std::vector<AccessRule>& rules, const std::string& plural, const std::string& kind) {
  rules.push_back({kPostgres, plural, kind, {"get", "list", "watch", "update", "patch"},
                   "the " + kind + " controller reads every " + kind + " and sets its finalizer (cleanup in PostgreSQL)"});
  rules.push_back({kPostgres, plural + "/status", "", {"update", "patch"}, "the " + kind + " controller writes the status"});
  rules.push_back({kPostgres, plural + "/finalizers", "", kFinalizers,
                   "objects the " + kind + " controller makes point at it with blockOwnerDeletion"});
}

std::vector<AccessRule> make_cluster_access() {
  std::vector<AccessRule> r;
  r.push_back({kMultigres,
               "multigresclusters",
               "MultigresCluster",
               {"get", "list", "watch", "patch"},
               "the MultigresCluster controller reads every cluster and patches its finalizer "
               "(multigres.com/cluster-cleanup); the TableGroup controller applies the pool replicas of a scale "
               "request on a Shard (field manager multigres-operator-scale); users own the rest of the spec"});
  r.push_back({kMultigres, "multigresclusters/status", "", kStatus, "the MultigresCluster controller writes the status"});
  r.push_back({kMultigres, "multigresclusters/finalizers", "", kFinalizers,
               "TopoServers, Cells, TableGroups, Services and Deployments point at their cluster with blockOwnerDeletion"});
  r.push_back({kMultigres, "celltemplates", "CellTemplate", kRead, "templates are resolved into clusters; never written"});
  r.push_back({kMultigres, "shardtemplates", "ShardTemplate", kRead, "templates are resolved into clusters; never written"});
  owned_kind(r, kMultigres, "toposervers", "TopoServer", "the MultigresCluster and Cell controllers");
  owned_kind(r, kMultigres, "cells", "Cell", "the MultigresCluster controller");
  owned_kind(r, kMultigres, "tablegroups", "TableGroup", "the MultigresCluster controller");
  owned_kind(r, kMultigres, "shards", "Shard", "the TableGroup controller");
  r.push_back({kMultigres,
               "multigresbackups",
               "MultigresBackup",
               {"get", "list", "watch", "create", "delete"},
               "the MultigresBackup controller follows each backup; the MultigresBackupSchedule controller creates "
               "one per run and deletes those beyond its history limits"});
  r.push_back({kMultigres, "multigresbackups/status", "", kStatus, "the MultigresBackup controller writes the status"});
  r.push_back({kMultigres, "multigresrestores", "MultigresRestore", kRead,
               "the MultigresRestore controller carries out each restore; users create and delete them"});
  r.push_back(
      {kMultigres, "multigresrestores/status", "", kStatus, "the MultigresRestore controller writes the status"});
  r.push_back({kMultigres, "multigresrestores/finalizers", "", kFinalizers,
               "a restore's repository Jobs point at it with blockOwnerDeletion"});
  r.push_back({"batch",
               "jobs",
               "Job",
               {"get", "list", "watch", "create", "delete"},
               "a MultigresRestore's Job cuts a shard's repository back to the backup; deleted once it succeeded "
               "(a failed one stays for its log until the restore is deleted)"});
  r.push_back({kMultigres, "multigresbackupschedules", "MultigresBackupSchedule", kRead,
               "the MultigresBackupSchedule controller runs each schedule; users create and delete them"});
  r.push_back({kMultigres, "multigresbackupschedules/status", "", kStatus,
               "the MultigresBackupSchedule controller writes the status"});
  r.push_back({kMultigres, "multigresbackupschedules/finalizers", "", kFinalizers,
               "the MultigresBackups a schedule makes point at it with blockOwnerDeletion"});
  postgres_kind(r, "databaseclusters", "DatabaseCluster");
  postgres_kind(r, "databases", "Database");
  postgres_kind(r, "databaseroles", "DatabaseRole");
  r.push_back({"apps", "statefulsets", "StatefulSet", kOwn,
               "etcd and pool StatefulSets are applied; one is deleted (orphaning its pods) and re-created to grow "
               "its volumes, and deleted when its pool leaves the spec"});
  r.push_back({"apps", "deployments", "Deployment", kOwn, "multiadmin, multigateway and multiorch Deployments"});
  r.push_back({"policy", "poddisruptionbudgets", "PodDisruptionBudget", kOwn, "one PodDisruptionBudget per pool"});
  r.push_back({"", "services", "Service", kOwn,
               "Services of every component, and the optional ExternalName Service per Database"});
  r.push_back({"", "configmaps", "ConfigMap", kOwn, "per-shard configuration (pg_hba, PostgreSQL settings)"});
  r.push_back({"", "secrets", "Secret", {"get", "list", "watch", "create", "update", "patch"},
               "creates the cluster's password Secret and per-shard pgBackRest TLS Secrets once, writes one application "
               "connection Secret per DatabaseRole, reads DSN and password Secrets users name; update and patch are "
               "limited to Secrets it created by config/policies/secrets.yaml; never deletes (garbage collection does)"});
  r.push_back({"",
               "persistentvolumeclaims",
               "PersistentVolumeClaim",
               {"get", "list", "watch", "create", "patch", "delete"},
               "applies each shard's backup volume claim and grows a pool's data volumes when its storage size goes up "
               "(the StatefulSet cannot); deletes only the data volume claims of a shard a MultigresRestore stopped "
               "(the restore brings the data back): backups and data outlive a removed shard"});
  r.push_back({"", "pods", "Pod", {"get", "list", "watch", "patch", "delete"},
               "watches pool pods (by label) for their roles and drains; patches only the multigres.com/role label "
               "(when it differs from the topology's role) and the drain.multigres.com annotations; deletes a pool pod "
               "only when it runs an older template and its drain finished (not primary), so its StatefulSet "
               "re-creates it"});
  r.push_back({"events.k8s.io", "events", "Event", {"create", "patch"},
               "events about the objects it manages; patch updates the series count of a repeated event"});
  return r;
}

std::vector<AccessRule> make_leader_election_access() {
  return {{"coordination.k8s.io", "leases", "Lease", {"get", "create", "update"},
           "--leader-elect: one replica at a time holds the Lease multigres-operator and renews it"}};
}

json::Value strings(const std::vector<std::string>& items, json::Allocator& a) {
  json::Value list(rapidjson::kArrayType);
  for (const auto& s : items) list.PushBack(json::str(s, a), a);
  return list;
}

//! `yaml` (a block mapping) as one item of a list indented by two spaces.
std::string list_item(const std::string& yaml) {
  std::string out = "  - ";
  for (size_t i = 0; i < yaml.size(); ++i) {
    out += yaml[i];
    if (yaml[i] == '\n' && i + 1 < yaml.size()) out += "    ";
  }
  return out;
}

}  // namespace

const std::vector<AccessRule>& cluster_access() {
  static const std::vector<AccessRule> rules = make_cluster_access();
  return rules;
}

const std::vector<AccessRule>& leader_election_access() {
  static const std::vector<AccessRule> rules = make_leader_election_access();
  return rules;
}

std::string rbac_role_yaml(const std::string& kind, const std::string& name, const std::vector<AccessRule>& rules) {
  json::Document head(rapidjson::kObjectType);
  auto& a = head.GetAllocator();
  head.AddMember("apiVersion", "rbac.authorization.k8s.io/v1", a);
  head.AddMember("kind", json::str(kind, a), a);
  json::Value meta(rapidjson::kObjectType);
  meta.AddMember("name", json::str(name, a), a);
  json::Value labels(rapidjson::kObjectType);
  labels.AddMember("app.kubernetes.io/name", "multigres-operator", a);
  labels.AddMember("app.kubernetes.io/part-of", "multigres", a);
  meta.AddMember("labels", labels, a);
  head.AddMember("metadata", meta, a);

  std::string out = "# Generated from operator/controllers/rbac.cpp by MG_UPDATE_GOLDEN=1 unit_tests \"[rbac]\"; do not edit.\n";
  out += json::to_yaml(head) + "rules:\n";
  for (const auto& rule : rules) {
    json::Document doc(rapidjson::kObjectType);
    auto& da = doc.GetAllocator();
    doc.AddMember("apiGroups", strings({rule.group}, da), da);
    doc.AddMember("resources", strings({rule.resource}, da), da);
    doc.AddMember("verbs", strings(rule.verbs, da), da);
    out += "  # " + rule.why + "\n" + list_item(json::to_yaml(doc));
  }
  return out;
}

std::string cluster_role_yaml() { return rbac_role_yaml("ClusterRole", "multigres-operator", cluster_access()); }

std::string leader_election_role_yaml() {
  return rbac_role_yaml("Role", "multigres-operator-leader-election", leader_election_access());
}

bool allows(const std::vector<AccessRule>& rules, const std::string& group, const std::string& resource,
            const std::string& verb) {
  return std::any_of(rules.begin(), rules.end(), [&](const AccessRule& r) {
    return r.group == group && r.resource == resource && std::find(r.verbs.begin(), r.verbs.end(), verb) != r.verbs.end();
  });
}

}  // namespace mg::controllers
