// operator/controllers/shard.cpp
//! Shard: pg_hba ConfigMap, backup PVC, per pool a headless Service, StatefulSet and PDB, one
//! multiorch per cell, and the pgBackRest TLS Secret (issued once; its key never leaves the Secret).
#include "common/build/children.hpp"
#include "common/build/pgbackrest_tls.hpp"
#include "common/crypto/certificates.hpp"
#include "common/status/conditions.hpp"
#include "common/status/rollup.hpp"
#include "operator/controllers/controllers.hpp"

namespace mg::controllers {
namespace {

//! Creates the TLS Secret when the cache does not have it. A Secret made by an earlier pass that the
//! cache has not seen yet makes the create fail with AlreadyExists, which is fine.
Result<void> ensure_tls_secret(Context& ctx, const api::Shard& shard) {
  api::k8s::Secret secret = build::pgbackrest_tls_secret(shard, std::nullopt);
  if (ctx.caches.secrets->get(secret.metadata.namespace_, secret.metadata.name)) return {};
  auto bundle = crypto::issue_tls_bundle(crypto::CertificateRequest{.dns_names = build::pgbackrest_dns_names(shard)});
  if (!bundle.ok()) return bundle.error().with_context("issuing the pgBackRest certificate");
  auto created = ctx.applier.create_once(api::encode(
      build::pgbackrest_tls_secret(shard, build::TlsMaterial{bundle->ca_pem, bundle->cert_pem, bundle->key_pem})));
  if (!created.ok()) return created.error();
  return {};
}

}  // namespace

runtime::Reconciler shard_reconciler(Context& ctx) {
  return [&ctx](const std::string& key) -> Result<runtime::ReconcileResult> {
    auto [ns, name] = runtime::split_key(key);
    ObjectPtr object = ctx.caches.shards->get(ns, name);
    if (!object || deleting(*object)) return runtime::ReconcileResult{};
    auto shard = decode_cached<api::Shard>(*object);
    if (!shard.ok()) return shard.error();

    auto tls = ensure_tls_secret(ctx, *shard);
    std::vector<json::Document> desired = build::shard_children(*shard);
    std::vector<std::pair<std::string, std::string>> workloads;  // kind, name: what the status reads
    for (const auto& doc : desired) {
      std::string kind = json::get_string(doc, "kind");
      if (kind == "StatefulSet" || kind == "Deployment") {
        workloads.emplace_back(kind, json::get_string(*json::find(doc, "metadata"), "name"));
      }
    }
    auto applied = apply_children(ctx, *object, std::move(desired),
                                  {"ConfigMap", "Service", "StatefulSet", "PodDisruptionBudget", "Deployment"});

    std::vector<ObjectPtr> keep;
    std::vector<const json::Value*> pools;
    std::vector<const json::Value*> orchestrators;
    for (const auto& [kind, child] : workloads) {
      (kind == "StatefulSet" ? pools : orchestrators).push_back(cached(ctx, kind, ns, child, keep));
    }
    api::ShardStatus status = status::shard_status(*shard, pools, orchestrators, ctx.now());
    event_on_transition(ctx, *object, shard->status ? shard->status->conditions : std::vector<api::Condition>{},
                        status.conditions, status::kAvailable);
    if (auto written = write_status(ctx, *shard, status); !written.ok()) return written.error();
    if (!tls.ok()) return tls.error();
    if (!applied.ok()) return applied.error();
    return runtime::ReconcileResult{};
  };
}

}  // namespace mg::controllers
