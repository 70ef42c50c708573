// operator/controllers/database.cpp
//! Database: a database inside a DatabaseCluster's server (owner, schemas, extensions), created when
//! missing and corrected when drifted, never dropped on its own (only `reclaimPolicy: Delete` on
//! delete), plus an optional ExternalName Service for in-cluster clients. The PostgreSQL name cannot
//! change: the CRD refuses it (CEL `self == oldSelf`), so a rename never reaches the operator.
#include "common/build/postgres_objects.hpp"
#include "operator/controllers/controllers.hpp"
#include "operator/controllers/pg_object.hpp"

namespace mg::controllers {

runtime::Reconciler database_reconciler(Context& ctx) {
  return [&ctx](const std::string& key) -> Result<runtime::ReconcileResult> {
    auto [ns, name] = runtime::split_key(key);
    ObjectPtr object = ctx.caches.databases->get(ns, name);
    if (!object) return runtime::ReconcileResult{};
    auto db = decode_cached<api::Database>(*object);
    if (!db.ok()) return report_undecodable<api::Database>(ctx, *object, db.error());
    const api::DatabaseSpec& spec = db->spec;
    return reconcile_postgres_object(
        ctx, PostgresObject{
                 .object = *object,
                 .cluster = spec.databaseClusterRef.name,
                 .reclaim_delete = spec.reclaimPolicy == api::ReclaimPolicy::Delete,
                 .status = db->status,
                 .generation = db->metadata.generation.value_or(0),
                 .validate = [&](const std::string& user) { return pg::validate_database_spec(spec, user); },
                 .reconcile =
                     [&](const ServerTarget& target) {
                       status::ObjectOutcome outcome = outcome_of(pg::reconcile_database(pg_pool(), target.target, spec));
                       // The Service follows once the database is there; without one nothing is removed.
                       if (outcome.state == status::ObjectOutcome::State::Reconciled &&
                           (spec.service || !ctx.caches.services->keys_owned_by(db->metadata.uid).empty())) {
                         outcome.objects.push_back(apply_owned(
                             ctx, *object,
                             spec.service
                                 ? std::optional(api::encode(build::external_name_service(*db, target.address.host)))
                                 : std::nullopt,
                             "Service", spec.service ? spec.service->name : "", /*prune=*/true));
                       }
                       return outcome;
                     },
                 .drop = [&](const ServerTarget& target) { return pg::drop_database(pg_pool(), target.target, spec.name); },
                 .write_status = [&](const api::PostgresObjectStatus& status) { return write_status(ctx, *db, status); },
             });
  };
}

}  // namespace mg::controllers
