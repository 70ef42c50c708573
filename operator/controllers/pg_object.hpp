// operator/controllers/pg_object.hpp
//! The steps a Database and a DatabaseRole reconcile take the same way: the reclaim finalizer (only
//! with `reclaimPolicy: Delete`; the drop runs on delete, and a DatabaseCluster that no longer exists
//! releases it with a Warning), validation before any server call, waiting while the DatabaseCluster
//! is missing or not Available, the status and its events, and drift correction every checkInterval.
//! The kind supplies what differs: how to validate, reconcile and drop.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "common/status/postgres.hpp"
#include "operator/controllers/pg_shared.hpp"
#include "operator/runtime/controller.hpp"

namespace mg::controllers {

struct PostgresObject {
  const json::Value& object;  //!< as cached
  std::string cluster;        //!< spec.databaseClusterRef.name
  bool reclaim_delete = false;
  std::optional<api::PostgresObjectStatus> status;
  int64_t generation = 0;
  //! Field errors of the spec; `managing_user` is the DSN's user ("" before the server is known).
  std::function<api::FieldErrors(const std::string& managing_user)> validate;
  //! Reconciles the server (and the object's Kubernetes children) with the spec.
  std::function<status::ObjectOutcome(const ServerTarget&)> reconcile;
  //! Drops the object from the server (reclaimPolicy Delete).
  std::function<Result<void>(const ServerTarget&)> drop;
  //! Writes the status (unless unchanged).
  std::function<Result<void>(const api::PostgresObjectStatus&)> write_status;
};

//! One reconcile of a Database or DatabaseRole.
Result<runtime::ReconcileResult> reconcile_postgres_object(Context& ctx, const PostgresObject& o);

//! A cached object the operator's types refuse (a value the CRD lets through, e.g. a name of 63
//! characters but 64 bytes): Ready=False, reason InvalidSpec, the decoder's message, a Warning event.
//! Returns the status to write; the caller writes it and does not retry (the next change comes back).
api::PostgresObjectStatus undecodable_status(Context& ctx, const json::Value& object, const Error& error);

//! On delete of such an object: nothing can be dropped without a spec; a Warning says so and the
//! finalizer is released, so the delete is not held forever.
Result<runtime::ReconcileResult> release_undecodable(Context& ctx, const json::Value& object);

//! Writes undecodable_status on `object` as a T (Database or DatabaseRole).
template <class T>
Result<runtime::ReconcileResult> report_undecodable(Context& ctx, const json::Value& object, const Error& error) {
  if (deleting(object)) return release_undecodable(ctx, object);
  T partial;
  const json::Value* meta = json::find(object, "metadata");
  partial.metadata.name = json::get_string(*meta, "name");
  partial.metadata.namespace_ = json::get_string(*meta, "namespace");
  if (auto written = write_status(ctx, partial, undecodable_status(ctx, object, error)); !written.ok()) return written.error();
  return runtime::ReconcileResult{};
}

//! Applies `desired` and reports it as one more object, named `<kind lowercased>/<name>`. With
//! `prune`, what `owner` has of `kind` and `desired` no longer names is deleted (Services; Secrets are
//! never deleted by the operator, their owner's deletion collects them).
api::AppliedObject apply_owned(Context& ctx, const json::Value& owner, std::optional<json::Document> desired,
                               const std::string& kind, const std::string& name, bool prune);

//! The outcome of a pg::reconcile_* call: Reconciled with its objects, or Failed with the error.
status::ObjectOutcome outcome_of(const Result<pg::Outcome>& reconciled);

}  // namespace mg::controllers
