// common/naming/labels.hpp
//! Labels on everything the operator makes, and the selectors built only from labels that never change
//! for an object's lifetime. Pure: no I/O.
#pragma once

#include <map>
#include <string>

namespace mg::naming {

using Labels = std::map<std::string, std::string>;

inline constexpr const char* kLabelName = "app.kubernetes.io/name";
inline constexpr const char* kLabelInstance = "app.kubernetes.io/instance";
inline constexpr const char* kLabelComponent = "app.kubernetes.io/component";
inline constexpr const char* kLabelPartOf = "app.kubernetes.io/part-of";
inline constexpr const char* kLabelManagedBy = "app.kubernetes.io/managed-by";
inline constexpr const char* kLabelCluster = "multigres.com/cluster";
inline constexpr const char* kLabelCell = "multigres.com/cell";
inline constexpr const char* kLabelDatabase = "multigres.com/database";
inline constexpr const char* kLabelTableGroup = "multigres.com/tablegroup";
inline constexpr const char* kLabelShard = "multigres.com/shard";
inline constexpr const char* kLabelPool = "multigres.com/pool";
inline constexpr const char* kLabelTopoServer = "multigres.com/topo-server";
inline constexpr const char* kLabelRole = "multigres.com/role";
inline constexpr const char* kManagerName = "multigres-operator";
// Well-known node labels (Kubernetes sets them on nodes).
inline constexpr const char* kLabelZone = "topology.kubernetes.io/zone";
inline constexpr const char* kLabelRegion = "topology.kubernetes.io/region";
inline constexpr const char* kLabelHostname = "kubernetes.io/hostname";

//! How the running operator identifies itself to the plugin: its leader-election Lease carries
//! kLabelName=kManagerName and these annotations (`version`, `drain`, `install` read them).
inline constexpr const char* kOperatorLeaseSelector = "app.kubernetes.io/name=multigres-operator";
inline constexpr const char* kOperatorVersionAnnotation = "multigres.com/operator-version";
inline constexpr const char* kOperatorCapabilitiesAnnotation = "multigres.com/capabilities";  //!< comma list
//! The field manager under which the operator copies a scale request (a write of a Shard's spec.replicas
//! through /scale) into the MultigresCluster; the plugin's own edits supersede it without --force-conflicts.
inline constexpr const char* kScaleFieldManager = "multigres-operator-scale";
//! On a Shard: the spec.replicas the operator applied (a scale request is a spec.replicas that differs).
inline constexpr const char* kAppliedReplicasAnnotation = "multigres.com/applied-replicas";
//! On a pool pod template: a hash of the postgresConfig settings PostgreSQL reads only at start, so a
//! change of one rolls the pods (the ordered restart). On a pool pod: the hash of the settings file its
//! PostgreSQL loaded (written by the operator after a reload it checked).
inline constexpr const char* kPostgresRestartHashAnnotation = "multigres.com/postgres-restart-hash";
inline constexpr const char* kPostgresConfigAppliedAnnotation = "multigres.com/postgres-config-applied";
//! On a Shard: the MultigresRestore that holds its pool pods stopped (their StatefulSets at 0 replicas).
inline constexpr const char* kRestoreHoldAnnotation = "multigres.com/restore-hold";
//! On a MultigresBackup a MultigresBackupSchedule made: the scheduled time of its run (RFC 3339).
inline constexpr const char* kScheduledAtAnnotation = "multigres.com/scheduled-at";
//! The drain protocol on a pool pod (docs/operations.md): annotation kDrainAnnotation goes
//! requested (plugin or user) -> acknowledged (operator) -> finished (no longer primary; safe to delete).
inline constexpr const char* kDrainAnnotation = "drain.multigres.com/state";
inline constexpr const char* kDrainRequested = "requested";
inline constexpr const char* kDrainAcknowledged = "acknowledged";
inline constexpr const char* kDrainFinished = "finished";
//! What the operator writes beside the state: when it acknowledged (starts its timeout), when it last
//! asked multiadmin for a switchover and why that failed, and its latest word on the drain (why it waits).
inline constexpr const char* kDrainAcknowledgedAtAnnotation = "drain.multigres.com/acknowledged-at";
inline constexpr const char* kDrainSwitchoverAtAnnotation = "drain.multigres.com/switchover-at";
inline constexpr const char* kDrainSwitchoverErrorAnnotation = "drain.multigres.com/switchover-error";
inline constexpr const char* kDrainMessageAnnotation = "drain.multigres.com/message";
//! How the operator's message begins once a drain took longer than its --drain-timeout.
inline constexpr const char* kDrainTimedOutPrefix = "timed out";
//! The capability an operator implementing its side advertises on its Lease.
inline constexpr const char* kDrainCapability = "drain";

//! Components (values of app.kubernetes.io/component).
inline constexpr const char* kComponentTopo = "toposerver";
inline constexpr const char* kComponentAdmin = "multiadmin";
inline constexpr const char* kComponentGateway = "multigateway";
inline constexpr const char* kComponentOrch = "multiorch";
inline constexpr const char* kComponentPool = "shard-pool";
inline constexpr const char* kComponentCell = "cell";
inline constexpr const char* kComponentTableGroup = "tablegroup";
inline constexpr const char* kComponentShard = "shard";
inline constexpr const char* kComponentRestore = "restore";

//! What identifies one workload; empty fields are left out of labels and selectors.
struct Scope {
  std::string cluster;
  std::string component;
  std::string cell;
  std::string database;
  std::string tablegroup;
  std::string shard;
  std::string pool;
  std::string topo_server;
};

//! Every label for objects of this scope (standard app.kubernetes.io labels plus multigres.com ones).
Labels labels(const Scope& scope);

//! The stable subset used in selectors: instance, component and the multigres.com identity labels.
Labels selector(const Scope& scope);

//! The scope of every pool pod of one shard (any pool, any cell).
Scope shard_pools_scope(const std::string& cluster, const std::string& database, const std::string& tablegroup,
                        const std::string& shard);

//! A selector as text, "k=v,k=v" in key order (what a scale subresource's labelSelectorPath holds).
std::string selector_text(const Labels& selector);

}  // namespace mg::naming
