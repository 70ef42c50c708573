// operator/controllers/topology.cpp
#include "operator/controllers/topology.hpp"

#include <algorithm>
#include <memory>
#include <set>

#include "common/build/shard_common.hpp"
#include "common/kube/encoding.hpp"
#include "common/naming/labels.hpp"
#include "common/naming/names.hpp"
#include "common/status/conditions.hpp"
#include "common/topo/registry.hpp"
#include "common/util/time.hpp"
#include "operator/runtime/log.hpp"

namespace mg::controllers {
namespace {

// Per request and endpoint: long enough for a loaded etcd, short enough for shared workers.
constexpr std::chrono::milliseconds kEtcdTimeout{3'000};
constexpr std::chrono::milliseconds kResync{std::chrono::minutes(5)};

//! A client for the etcd `topo` names; its TLS material comes from the Secrets it references (keys
//! ca.crt, tls.crt, tls.key: the ones the components mount, see build/topo_flags.cpp), read from the
//! cache; a missing Secret or key is an error naming it.
Result<std::unique_ptr<topo::Etcd>> etcd_for(Context& ctx, const std::string& ns, const api::TopoReference& topo) {
  topo::EtcdOptions options{.endpoints = topo.addresses, .timeout = kEtcdTimeout};
  if (!topo.caSecret.empty()) {
    auto ca = secret_value(ctx, ns, topo.caSecret, "ca.crt");
    if (!ca.ok()) return ca.error();
    options.ca_pem = *ca;
  }
  if (!topo.clientCertSecret.empty()) {
    auto cert = secret_value(ctx, ns, topo.clientCertSecret, "tls.crt");
    if (!cert.ok()) return cert.error();
    auto key = secret_value(ctx, ns, topo.clientCertSecret, "tls.key");
    if (!key.ok()) return key.error();
    options.cert_pem = *cert;
    options.key_pem = *key;
  }
  return ctx.connect_etcd(std::move(options));
}

std::string owner_of(const std::string& ns, const std::string& cluster) {
  return ns + "/" + cluster;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : "; ") + i;
  return out;
}

//! The outcome of one pass, as condition TopologyRegistered says it.
struct Outcome {
  bool registered = false;
  std::string reason;  //!< Registered, EtcdUnreachable, EtcdError, RecordNotOwned, CellInUse, WaitingForEtcd
  std::string message;
};

constexpr const char* kWaitingForEtcd = "WaitingForEtcd";

Outcome failure(const Error& e) {
  return {false, e.code == ErrorCode::Transient ? "EtcdUnreachable" : "EtcdError", e.message};
}

Outcome sync(Context& ctx, const std::string& ns, const std::string& cluster, const api::TopoReference& global,
             const std::vector<topo::DesiredRecord>& records) {
  if (global.addresses.empty()) return {false, "EtcdError", "the cluster's global topology has no address"};
  auto etcd = etcd_for(ctx, ns, global);
  if (!etcd.ok()) return failure(etcd.error());
  auto report = topo::sync_records(**etcd, owner_of(ns, cluster), records);
  if (!report.ok()) return failure(report.error());
  if (report->writes() > 0) {
    runtime::log_info("topology", "records written",
                      {{"cluster", owner_of(ns, cluster)},
                       {"created", std::to_string(report->created)},
                       {"updated", std::to_string(report->updated)},
                       {"deleted", std::to_string(report->deleted)}});
  }
  if (!report->foreign.empty()) {
    return {false, "RecordNotOwned",
            "records written by someone else are left as they are (remove them or change the root path): " +
                joined(report->foreign)};
  }
  if (!report->blocked.empty()) {
    return {false, "CellInUse", "cell records kept while a database still lists the cell: " + joined(report->blocked)};
  }
  return {true, "Registered",
          std::to_string(records.size()) + " records in " + joined(global.addresses) + " under " + global.rootPath};
}

//! An etcd never reached yet is still starting (the operator's own etcd comes up with the cluster; an
//! external one may wait for its Secrets): the condition says why, but it is not news for an event.
bool still_starting(const std::vector<api::Condition>& before, const Outcome& o) {
  if (o.reason != "EtcdUnreachable" && o.reason != "EtcdError") return false;
  const api::Condition* was = status::find_condition(before, status::kTopologyRegistered);
  return was == nullptr || was->reason == kWaitingForEtcd;
}

std::chrono::milliseconds record(Context& ctx, const json::Value& object, const std::vector<api::Condition>& before,
                                 std::vector<api::Condition>& conditions, Outcome o, bool starting,
                                 int64_t generation) {
  if (starting) o.reason = kWaitingForEtcd;
  // A retry that fails for the same reason keeps the message it had: network error texts vary from try
  // to try (a DNS timeout, then "could not resolve"), and rewriting the status for that is churn
  // without news. The log has each attempt's own error.
  if (const api::Condition* was = status::find_condition(before, status::kTopologyRegistered);
      !o.registered && was != nullptr && was->status == status::kFalse && was->reason == o.reason) {
    o.message = was->message;
  }
  status::set_condition(conditions, before, status::kTopologyRegistered, o.registered, o.reason, o.message, generation,
                        ctx.stamp());
  if (!starting) event_on_transition(ctx, object, before, conditions, status::kTopologyRegistered);
  if (o.registered) return kResync;
  // Backoff without state: the longer the condition has been False, the longer the wait.
  const api::Condition* c = status::find_condition(conditions, status::kTopologyRegistered);
  return registration_backoff(c != nullptr ? c->lastTransitionTime : "", ctx.now());
}

}  // namespace

std::chrono::seconds registration_backoff(std::string_view false_since, Clock::time_point now) {
  constexpr std::chrono::seconds kMin{2}, kMax{60};
  auto since = util::parse_rfc3339(false_since);
  if (!since.ok()) return kMin;
  return std::clamp(std::chrono::floor<std::chrono::seconds>(now - *since), kMin, kMax);
}

std::chrono::milliseconds register_topology(Context& ctx, const json::Value& object,
                                            const resolve::ResolvedCluster& cluster,
                                            const std::vector<api::Condition>& before,
                                            std::vector<api::Condition>& conditions, int64_t generation) {
  topo::Registration wanted = topo::desired_registration(cluster);
  Outcome o = sync(ctx, cluster.namespace_, cluster.name, wanted.global, wanted.records);
  return record(ctx, object, before, conditions, o, still_starting(before, o), generation);
}

std::optional<std::chrono::milliseconds> unregister_topology(Context& ctx, const json::Value& object,
                                                             const api::MultigresCluster& cluster,
                                                             const std::optional<resolve::ResolvedCluster>& resolved) {
  const auto before = cluster.status ? cluster.status->conditions : std::vector<api::Condition>{};
  const api::Condition* was = status::find_condition(before, status::kTopologyRegistered);
  if (!resolved) return std::nullopt;  // no etcd address to clean up in
  const api::TopoReference global = topo::desired_registration(*resolved).global;
  if (was == nullptr || was->reason == kWaitingForEtcd) {
    // Never registered: at most a first pass was cut short. One attempt, and the cluster goes.
    sync(ctx, cluster.metadata.namespace_, cluster.metadata.name, global, {});
    return std::nullopt;
  }
  if (resolved->globalTopoServer) {
    // The records live in the operator's own etcd: once that goes, so do they.
    ObjectPtr topo =
        ctx.caches.topo_servers->get(cluster.metadata.namespace_, resolved->globalTopoServer->metadata.name);
    if (!topo || deleting(*topo)) return std::nullopt;
  }
  Outcome o = sync(ctx, cluster.metadata.namespace_, cluster.metadata.name, global, {});
  if (o.registered) return std::nullopt;
  std::vector<api::Condition> conditions = before;
  auto again = record(ctx, object, before, conditions, o, false, cluster.metadata.generation.value_or(0));
  api::MultigresClusterStatus status = *cluster.status;
  status.conditions = conditions;
  if (auto written = write_status(ctx, cluster, status); !written.ok()) {
    runtime::log_warn("topology", "writing the cleanup condition failed", {{"error", written.error().message}});
  }
  return again;
}

namespace {

//! Pods of the shard's pools, by name, from the pool pod cache.
std::map<std::string, ObjectPtr> shard_pods(Context& ctx, const api::Shard& shard) {
  std::map<std::string, ObjectPtr> pods;
  for (ObjectPtr& pod : pool_pods_of(ctx, shard)) {
    pods.emplace(json::get_string(*json::find(*pod, "metadata"), "name"), std::move(pod));
  }
  return pods;
}

//! Patches multigres.com/role on the pod when it differs.
void label_role(Context& ctx, const json::Value& pod, const std::string& role) {
  const json::Value* labels = json::at_path(pod, "metadata.labels");
  if (labels != nullptr && json::get_string(*labels, naming::kLabelRole) == role) return;
  // The role comes from etcd: the JSON library quotes it, whatever it holds.
  auto patched = ctx.writer.patch_metadata(pod, {.labels = {{naming::kLabelRole, role}}});
  if (!patched.ok()) {
    runtime::log_warn("topology", "labelling the pod's role failed",
                      {{"pod", kube::ObjectRef::of(pod).describe()}, {"error", patched.error().message}});
  }
}

bool prunes(Context& ctx, const api::Shard& shard, const std::string& cell) {
  ObjectPtr object =
      ctx.caches.cells->get(shard.metadata.namespace_, naming::cell(shard.spec.environment.clusterName, cell));
  if (!object) return false;  // unknown cell: never prune on a guess
  auto decoded = decode_cached<api::Cell>(*object);
  return decoded.ok() && decoded->spec.topologyReconciliation.pruneTablets;
}

//! One cell's pooler records of a shard, with the client that read them (to prune through).
struct CellPoolers {
  std::unique_ptr<topo::Etcd> etcd;
  std::vector<topo::PoolerRecord> poolers;
  bool prune = false;
};

//! The shard's pooler records in every cell it has pools in, read now; an error when the topology cannot be read.
Result<std::vector<CellPoolers>> read_shard_poolers(Context& ctx, const api::Shard& shard) {
  const auto& global = shard.spec.environment.globalTopoServer;
  if (global.addresses.empty()) return make_invalid("the shard's global topology has no address");
  const std::string& ns = shard.metadata.namespace_;
  auto etcd = etcd_for(ctx, ns, global);
  if (!etcd.ok()) return etcd.error();
  std::set<std::string> cells;
  for (const auto& [_, pool] : shard.spec.pools) cells.insert(pool.cell);

  // Each cell's poolers, from the cell topology its Cell record names.
  std::vector<CellPoolers> found;
  for (const auto& cell : cells) {
    auto record = topo::read_cell(**etcd, global.rootPath, cell);
    if (!record.ok()) return record.error();
    if (!*record) continue;  // not registered yet: no pooler can be either
    api::TopoReference local{{(*record)->server_addresses().begin(), (*record)->server_addresses().end()},
                             (*record)->root(),
                             "",
                             global.caSecret,
                             global.clientCertSecret};
    auto cell_etcd = etcd_for(ctx, ns, local);
    if (!cell_etcd.ok()) return cell_etcd.error();
    auto poolers = topo::read_poolers(**cell_etcd, local.rootPath, shard.spec.databaseName, shard.spec.tableGroupName,
                                      shard.spec.shardName);
    if (!poolers.ok()) return poolers.error();
    found.push_back(CellPoolers{std::move(*cell_etcd), std::move(*poolers), prunes(ctx, shard, cell)});
  }
  return found;
}

//! The pod a pooler record belongs to: its service id read back against the shard's pool StatefulSets
//! (naming::pooler_service_id); a record of an older operator, whose service id was the pod name, maps to
//! itself.
std::string pod_of_pooler(const api::Shard& shard, const std::string& service_id) {
  std::vector<std::string> sets;
  for (const auto& [pool, _] : shard.spec.pools) sets.push_back(naming::pool_stateful_set(build::shard_key(shard), pool));
  std::string pod = naming::pool_pod_of_service_id(shard.metadata.namespace_, sets, service_id);
  return pod.empty() ? service_id : pod;
}

}  // namespace

CohortFacts read_primary_cohort(Context& ctx, const api::Shard& shard) {
  CohortFacts facts;
  auto found = read_shard_poolers(ctx, shard);
  if (!found.ok()) {
    facts.error = found.error().message;
    return facts;
  }
  std::vector<const topo::PoolerRecord*> primaries;
  for (const auto& cell : *found) {
    for (const auto& p : cell.poolers) {
      if (topo::role_name(p.pooler.type()) == "PRIMARY") primaries.push_back(&p);
    }
  }
  // Two say PRIMARY right after a failover: the old primary comes back as one until multiorch demotes it.
  if (primaries.size() != 1) {
    facts.error = std::to_string(primaries.size()) + " poolers of the shard are PRIMARY in the topology";
    return facts;
  }
  const topo::PoolerRecord* primary = primaries.front();
  if (ctx.drain.multiadmin == nullptr) {
    facts.error = "the operator has no multiadmin client";
    return facts;
  }
  auto rule = ctx.drain.multiadmin->pooler_rule(
      multiadmin_address(ctx, shard.metadata.namespace_, shard.spec.environment.clusterName),
      primary->pooler.id().cell(), primary->pooler.id().name());
  if (!rule.ok()) {
    facts.error = rule.error().message;
    return facts;
  }
  for (const auto& name : rule->cohort) facts.pods.push_back(pod_of_pooler(shard, name));
  if (auto created = util::parse_rfc3339(rule->created); created.ok()) {
    facts.age = std::chrono::floor<std::chrono::seconds>(ctx.now() - *created);
  }
  return facts;
}

Result<std::string> pooler_role(Context& ctx, const api::Shard& shard, const std::string& pod) {
  auto found = read_shard_poolers(ctx, shard);
  if (!found.ok()) return found.error();
  for (const auto& cell : *found) {
    for (const auto& p : cell.poolers) {
      if (pod_of_pooler(shard, p.pooler.id().name()) == pod) return topo::role_name(p.pooler.type());
    }
  }
  return std::string();
}

std::optional<std::map<std::string, api::PodRole>> observe_shard_roles(Context& ctx, const json::Value& object,
                                                                       const api::Shard& shard) {
  if (shard.spec.pools.empty()) return std::nullopt;
  auto read = read_shard_poolers(ctx, shard);
  if (!read.ok()) return std::nullopt;
  std::vector<CellPoolers>& found = *read;
  std::map<std::string, api::PodRole> roles;
  bool any = false;
  for (const auto& f : found) any = any || !f.poolers.empty();
  if (!any) return roles;

  const auto pods = shard_pods(ctx, shard);
  for (auto& cell : found) {
    for (const auto& p : cell.poolers) {
      const std::string pod = pod_of_pooler(shard, p.pooler.id().name());
      auto it = pods.find(pod);
      if (it == pods.end()) {
        auto removed = cell.prune ? topo::remove_pooler(*cell.etcd, p) : Result<bool>(false);
        if (removed.ok() && *removed) {
          ctx.events.event(runtime::EventRegarding::of(object), runtime::EventType::Normal, "PoolerPruned", "Prune",
                           "removed the topology record of pooler " + pod + ": its pod is gone");
        }
        continue;
      }
      api::PodRole role{topo::role_name(p.pooler.type()), topo::serving_name(p.pooler.serving_status())};
      label_role(ctx, *it->second, role.role);
      roles[pod] = role;
    }
  }
  return roles;
}

}  // namespace mg::controllers
