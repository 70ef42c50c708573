// operator/controllers/database_role.cpp
//! DatabaseRole: a role inside a DatabaseCluster's server (attributes, password from a Secret sent as
//! a SCRAM verifier, membership, permissions, revoking what the spec no longer grants), plus an
//! optional connection Secret for applications. A change of the password Secret is applied (the
//! Secret informer routes it here). The password is never logged nor put in an event or the status.
#include "common/build/postgres_objects.hpp"
#include "operator/controllers/controllers.hpp"
#include "operator/controllers/pg_object.hpp"

namespace mg::controllers {
namespace {

using State = status::ObjectOutcome::State;

status::ObjectOutcome reconcile_role(Context& ctx, const json::Value& object, const api::DatabaseRole& role,
                                     const ServerTarget& target) {
  std::optional<std::string> password;
  std::string version;
  if (const auto& ref = role.spec.passwordSecretRef) {
    auto value = secret_value(ctx, role.metadata.namespace_, ref->name, ref->key, &version);
    if (!value.ok()) {
      return status::ObjectOutcome{.state = State::Failed, .reason = status::kReasonSecretMissing,
                                   .message = "spec.passwordSecretRef: " + value.error().message, .objects = {},
                                   .secret_resource_version = {}};
    }
    password = std::move(*value);
  }
  status::ObjectOutcome outcome = outcome_of(pg::reconcile_role(pg_pool(), target.target, role.spec, password));
  if (outcome.state != State::Reconciled) return outcome;
  outcome.secret_resource_version = version;
  // A Secret left out of the spec stays until the role goes (the operator never deletes Secrets).
  if (const auto& spec = role.spec.connectionSecret) {
    outcome.objects.push_back(apply_owned(ctx, object,
                                          api::encode(build::connection_secret(role, target.address, password)),
                                          "Secret", spec->name, /*prune=*/false));
  }
  return outcome;
}

}  // namespace

runtime::Reconciler database_role_reconciler(Context& ctx) {
  return [&ctx](const std::string& key) -> Result<runtime::ReconcileResult> {
    auto [ns, name] = runtime::split_key(key);
    ObjectPtr object = ctx.caches.database_roles->get(ns, name);
    if (!object) return runtime::ReconcileResult{};
    auto role = decode_cached<api::DatabaseRole>(*object);
    if (!role.ok()) return report_undecodable<api::DatabaseRole>(ctx, *object, role.error());
    const api::DatabaseRoleSpec& spec = role->spec;
    return reconcile_postgres_object(
        ctx, PostgresObject{
                 .object = *object,
                 .cluster = spec.databaseClusterRef.name,
                 .reclaim_delete = spec.reclaimPolicy == api::ReclaimPolicy::Delete,
                 .status = role->status,
                 .generation = role->metadata.generation.value_or(0),
                 .validate = [&](const std::string& user) { return pg::validate_role_spec(spec, user); },
                 .reconcile = [&](const ServerTarget& target) { return reconcile_role(ctx, *object, *role, target); },
                 .drop = [&](const ServerTarget& target) { return pg::drop_role(pg_pool(), target.target, spec); },
                 .write_status = [&](const api::PostgresObjectStatus& status) { return write_status(ctx, *role, status); },
             });
  };
}

}  // namespace mg::controllers
