// common/status/rollup.cpp
#include "common/status/rollup.hpp"

#include "common/naming/labels.hpp"
#include "common/resolve/defaults.hpp"
#include "common/status/conditions.hpp"

namespace mg::status {
namespace {

int32_t int_at(const json::Value& object, const char* path) {
  const json::Value* v = json::at_path(object, path);
  return v != nullptr && v->IsInt() ? v->GetInt() : 0;
}

int64_t generation_of(const api::ObjectMeta& meta) { return meta.generation.value_or(0); }

template <class Status>
std::vector<api::Condition> previous_conditions(const std::optional<Status>& status) {
  return status ? status->conditions : std::vector<api::Condition>{};
}

//! Whether the object has never been Available since it was created: its Available condition is
//! absent or still carries a start-up reason. Not-ready while starting is progress, not degradation.
bool still_starting(const std::vector<api::Condition>& previous) {
  const api::Condition* c = find_condition(previous, kAvailable);
  return c == nullptr || (c->status == kFalse && (c->reason == "Creating" || c->reason == "Starting"));
}

//! Available and Progressing for a child kind from "ready" and "rolling". Returns whether it is
//! progressing (rolling out a change, or still starting for the first time).
bool set_readiness(std::vector<api::Condition>& out, const std::vector<api::Condition>& previous, bool ready,
                   bool rolling, const std::string& not_ready_reason, const std::string& not_ready_message,
                   int64_t generation, const std::string& now) {
  const bool starting = !ready && still_starting(previous);
  const std::string reason = ready ? "AllReady" : (starting && not_ready_reason != "Creating") ? "Starting" : not_ready_reason;
  set_condition(out, previous, kAvailable, ready, reason, ready ? "every replica is ready" : not_ready_message,
                generation, now);
  const bool progressing = rolling || starting;
  set_condition(out, previous, kProgressing, progressing, progressing ? (starting ? "Starting" : "RollingOut") : "Stable",
                progressing ? (starting ? "starting for the first time" : "a change is rolling out") : "no change in flight",
                generation, now);
  return progressing;
}

std::string count(int32_t ready, int32_t desired) { return std::to_string(ready) + "/" + std::to_string(desired); }

}  // namespace

WorkloadState workload_state(const json::Value* object) {
  WorkloadState s;
  if (object == nullptr) return s;
  s.exists = true;
  const json::Value* replicas = json::at_path(*object, "spec.replicas");
  s.desired = replicas != nullptr && replicas->IsInt() ? replicas->GetInt() : 1;
  s.ready = int_at(*object, "status.readyReplicas");
  s.available = int_at(*object, "status.availableReplicas");
  s.updated = int_at(*object, "status.updatedReplicas");
  const json::Value* strategy = json::at_path(*object, "spec.updateStrategy.type");
  s.on_delete = strategy != nullptr && strategy->IsString() && std::string_view(strategy->GetString()) == "OnDelete";
  const json::Value* generation = json::at_path(*object, "metadata.generation");
  const json::Value* observed = json::at_path(*object, "status.observedGeneration");
  s.observed = generation == nullptr ||
               (observed != nullptr && observed->IsInt64() && generation->IsInt64() &&
                observed->GetInt64() >= generation->GetInt64());
  return s;
}

api::TopoServerStatus topo_server_status(const api::TopoServer& topo, const json::Value* stateful_set,
                                         const std::string& now) {
  const WorkloadState etcd = workload_state(stateful_set);
  api::TopoServerStatus out;
  out.observedGeneration = generation_of(topo.metadata);
  out.readyReplicas = etcd.ready;
  if (topo.status) {
    out.clientService = topo.status->clientService;
    out.peerService = topo.status->peerService;
  }
  // etcd serves once a quorum of members runs.
  const int32_t quorum = topo.spec.replicas / 2 + 1;
  const bool ready = etcd.exists && etcd.ready >= quorum;
  set_readiness(out.conditions, previous_conditions(topo.status), ready, etcd.rolling() || !etcd.exists,
                etcd.exists ? "NoQuorum" : "Creating",
                "etcd members ready " + count(etcd.ready, topo.spec.replicas) + ", quorum is " + std::to_string(quorum),
                generation_of(topo.metadata), now);
  return out;
}

api::CellStatus cell_status(const api::Cell& cell, const json::Value* gateway, const api::TopoServer* local_topo,
                            const std::string& now) {
  const WorkloadState gw = workload_state(gateway);
  api::CellStatus out;
  out.observedGeneration = generation_of(cell.metadata);
  out.gatewayReplicas = cell.spec.multiGateway.replicas;
  out.gatewayReadyReplicas = gw.ready;
  if (cell.status) out.gatewayServiceName = cell.status->gatewayServiceName;
  const bool expects_local = cell.spec.topoServer.managedSpec.has_value();
  const bool local_ready = !expects_local || (local_topo != nullptr && local_topo->status &&
                                              is_true(local_topo->status->conditions, kAvailable));
  const bool ready = gw.ready_all() && local_ready;
  std::string why = "gateway ready " + count(gw.ready, out.gatewayReplicas);
  if (!local_ready) why += "; the cell's topology server is not available";
  set_readiness(out.conditions, previous_conditions(cell.status), ready, gw.rolling() || !gw.exists,
                gw.exists ? "GatewayNotReady" : "Creating", why, generation_of(cell.metadata), now);
  return out;
}

api::ShardStatus shard_status(const api::Shard& shard, const std::vector<const json::Value*>& pools,
                              const std::vector<const json::Value*>& orchestrators, const std::string& now) {
  api::ShardStatus out;
  out.observedGeneration = generation_of(shard.metadata);
  out.selector = naming::selector_text(naming::selector(naming::shard_pools_scope(
      shard.spec.environment.clusterName, shard.spec.databaseName, shard.spec.tableGroupName, shard.spec.shardName)));
  if (shard.status) {
    out.primaryCell = shard.status->primaryCell;
    out.podRoles = shard.status->podRoles;
  }
  bool rolling = false;
  bool all_exist = true;
  int32_t stale = 0;
  out.poolsReady = true;
  for (const json::Value* pool : pools) {
    const WorkloadState s = workload_state(pool);
    out.replicas += s.exists ? s.desired : 0;
    out.readyReplicas += s.ready;
    out.poolsReady = out.poolsReady && s.ready_all();
    rolling = rolling || s.rolling();
    all_exist = all_exist && s.exists;
    if (s.restart_pending()) stale += s.desired - s.updated;
  }
  out.orchReady = true;
  for (const json::Value* orch : orchestrators) {
    const WorkloadState s = workload_state(orch);
    out.orchReady = out.orchReady && s.ready_all();
    rolling = rolling || s.rolling();
    all_exist = all_exist && s.exists;
  }
  const bool ready = out.poolsReady && out.orchReady;
  std::string why = "pool pods ready " + count(out.readyReplicas, out.replicas);
  if (!out.orchReady) why += "; multiorch not ready";
  const bool progressing = set_readiness(out.conditions, previous_conditions(shard.status), ready, rolling || !all_exist,
                                         all_exist ? "PodsNotReady" : "Creating", why, generation_of(shard.metadata), now);
  out.phase = ready ? "Healthy" : progressing ? "Progressing" : "Degraded";
  // Pool pods restart only through the operator (replicas first, the primary after a switchover), so
  // a template change leaves them serving on the old one: reported, not counted against readiness.
  set_condition(out.conditions, previous_conditions(shard.status), kPodsUpToDate, stale == 0,
                stale == 0 ? "UpToDate" : "RestartPending",
                stale == 0 ? "every pool pod runs the current template"
                           : std::to_string(stale) + " pool pod(s) run an older template and wait for a restart",
                generation_of(shard.metadata), now);
  return out;
}

void set_draining(std::vector<api::Condition>& conditions, const std::vector<api::Condition>& previous,
                  const std::vector<const json::Value*>& pool_pods, int64_t generation, const std::string& now) {
  std::string draining;
  bool timed_out = false;
  for (const json::Value* pod : pool_pods) {
    const std::string state = json::annotation(*pod, naming::kDrainAnnotation);
    if (state != naming::kDrainRequested && state != naming::kDrainAcknowledged) continue;
    const std::string message = json::annotation(*pod, naming::kDrainMessageAnnotation);
    timed_out = timed_out || message.starts_with(naming::kDrainTimedOutPrefix);
    draining += (draining.empty() ? "" : "; ") + json::get_string(*json::find(*pod, "metadata"), "name") + " " + state +
                (message.empty() ? "" : ": " + message);
  }
  set_condition(conditions, previous, kDraining, !draining.empty(),
                draining.empty() ? kReasonNoDrain : timed_out ? kReasonDrainTimeout : kReasonDrainInProgress,
                draining.empty() ? "no pool pod is being drained" : draining, generation, now);
}

api::TableGroupStatus table_group_status(const api::TableGroup& table_group,
                                         const std::vector<const api::Shard*>& shards, const std::string& now) {
  api::TableGroupStatus out;
  out.observedGeneration = generation_of(table_group.metadata);
  out.totalShards = static_cast<int32_t>(shards.size());
  bool rolling = false;
  for (const api::Shard* shard : shards) {
    if (shard == nullptr || !shard->status) {
      rolling = true;
      continue;
    }
    if (is_true(shard->status->conditions, kAvailable)) ++out.readyShards;
    rolling = rolling || is_true(shard->status->conditions, kProgressing);
  }
  const bool ready = out.readyShards == out.totalShards;
  set_readiness(out.conditions, previous_conditions(table_group.status), ready, rolling, "ShardsNotReady",
                "shards ready " + count(out.readyShards, out.totalShards), generation_of(table_group.metadata), now);
  return out;
}

api::ExternalGatewayStatus external_gateway_status(const json::Value& service) {
  api::ExternalGatewayStatus out;
  if (const json::Value* name = json::at_path(service, "metadata.name"); name != nullptr && name->IsString()) {
    out.service = name->GetString();
  }
  const json::Value* ports = json::at_path(service, "spec.ports");
  int32_t port = resolve::kPostgresPort;
  if (ports != nullptr && ports->IsArray()) {
    for (const auto& p : ports->GetArray()) {
      if (json::get_string(p, "name") != "postgres") continue;
      if (const json::Value* n = json::find(p, "nodePort"); n != nullptr && n->IsInt()) out.nodePort = n->GetInt();
      if (const json::Value* n = json::find(p, "port"); n != nullptr && n->IsInt()) port = n->GetInt();
    }
  }
  std::string host;
  const json::Value* ingress = json::at_path(service, "status.loadBalancer.ingress");
  if (ingress != nullptr && ingress->IsArray() && !ingress->Empty()) {
    host = json::get_string((*ingress)[0], "ip");
    if (host.empty()) host = json::get_string((*ingress)[0], "hostname");
  }
  const json::Value* external = json::at_path(service, "spec.externalIPs");
  if (host.empty() && external != nullptr && external->IsArray() && !external->Empty() && (*external)[0].IsString()) {
    host = (*external)[0].GetString();
  }
  // An IPv6 address is bracketed so host:port stays unambiguous.
  if (!host.empty())
    out.endpoint = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  return out;
}

api::MultigresClusterStatus cluster_status(const api::MultigresCluster& cluster, const ClusterObservation& seen,
                                           const std::string& now) {
  api::MultigresClusterStatus out;
  const int64_t generation = generation_of(cluster.metadata);
  const std::vector<api::Condition> previous = previous_conditions(cluster.status);
  out.observedGeneration = generation;

  std::vector<std::string> not_ready;
  bool rolling = false;
  if (seen.global_topo_expected) {
    const bool topo_ready = seen.global_topo != nullptr && seen.global_topo->status &&
                            is_true(seen.global_topo->status->conditions, kAvailable);
    if (!topo_ready) not_ready.push_back("global topology server");
    rolling = rolling || seen.global_topo == nullptr ||
              (seen.global_topo->status && is_true(seen.global_topo->status->conditions, kProgressing));
  }
  if (seen.external_gateway != nullptr) out.externalGateway = external_gateway_status(*seen.external_gateway);
  const WorkloadState admin = workload_state(seen.admin);
  if (!admin.ready_all()) not_ready.push_back("multiadmin");
  rolling = rolling || admin.rolling() || !admin.exists;

  for (const auto& [name, cell] : seen.cells) {
    api::CellSummary summary;
    if (cell != nullptr && cell->status) {
      summary.ready = is_true(cell->status->conditions, kAvailable);
      summary.gatewayReplicas = cell->status->gatewayReplicas;
      summary.gatewayReadyReplicas = cell->status->gatewayReadyReplicas;
      rolling = rolling || is_true(cell->status->conditions, kProgressing);
    } else {
      rolling = true;
    }
    if (!summary.ready) not_ready.push_back("cell " + name);
    out.cells[name] = summary;
  }
  for (const auto& [database, tg] : seen.table_groups) {
    api::DatabaseSummary& summary = out.databases[database];
    if (tg != nullptr && tg->status) {
      summary.readyShards += tg->status->readyShards;
      summary.totalShards += tg->status->totalShards;
      rolling = rolling || is_true(tg->status->conditions, kProgressing);
    } else {
      summary.totalShards += tg != nullptr ? static_cast<int32_t>(tg->spec.shards.size()) : 0;
      rolling = true;
    }
  }
  for (const auto& [database, summary] : out.databases) {
    if (summary.readyShards < summary.totalShards) not_ready.push_back("database " + database);
  }

  const resolve::Resolution* r = seen.resolution;
  const bool resolved = r != nullptr && r->cluster.has_value();
  if (resolved) out.resolvedTemplates = r->cluster->templates;
  else if (cluster.status) out.resolvedTemplates = cluster.status->resolvedTemplates;

  std::string resolve_message;
  if (r != nullptr) {
    for (const auto& e : r->errors) resolve_message += (resolve_message.empty() ? "" : "; ") + e.str();
  }
  set_condition(out.conditions, previous, kTemplatesResolved, resolved,
                resolved ? "Resolved" : (r != nullptr && !r->missingTemplates.empty() ? "TemplateMissing" : "InvalidSpec"),
                resolved ? "every template and override resolved" : resolve_message, generation, now);

  const bool ready = not_ready.empty();
  std::string waiting;
  for (const auto& n : not_ready) waiting += (waiting.empty() ? "" : ", ") + n;
  // Until the cluster is Available once, whatever is not ready is still starting.
  const bool starting = !ready && still_starting(previous);
  rolling = rolling || starting;
  set_condition(out.conditions, previous, kAvailable, ready, ready ? "AllReady" : starting ? "Starting" : "ComponentsNotReady",
                ready ? "every component is ready" : "not ready: " + waiting, generation, now);
  set_condition(out.conditions, previous, kProgressing, rolling,
                rolling ? "RollingOut" : "Stable", rolling ? "a change is rolling out" : "no change in flight",
                generation, now);
  const bool initializing = starting;
  std::string refused;
  for (const auto& r : seen.refused) refused += (refused.empty() ? "" : "; ") + r;
  const bool degraded = !resolved || !refused.empty() || (!ready && !rolling);
  set_condition(out.conditions, previous, kDegraded, degraded,
                !resolved          ? "SpecNotApplied"
                : !refused.empty() ? "ApplyFailed"
                : degraded         ? "ComponentsFailing"
                                   : "AsExpected",
                !resolved          ? "the spec cannot be applied; what runs is left as it was: " + resolve_message
                : !refused.empty() ? "the API server refused a change; what runs is left as it was: " + refused
                : degraded         ? "not ready and nothing is rolling out: " + waiting
                                   : "no problem found",
                generation, now);

  if (!resolved || degraded) out.phase = "Degraded";
  else if (ready) out.phase = "Healthy";
  else if (initializing) out.phase = "Initializing";
  else out.phase = "Progressing";
  return out;
}

}  // namespace mg::status
