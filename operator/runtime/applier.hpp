// operator/runtime/applier.hpp
//! Applier: how the operator writes what it owns. Server-side apply under one field manager with
//! force, and only when the cached object does not already say what we would apply (kube::covers) or
//! was applied from different intent (the content hash annotation differs). A steady-state reconcile
//! therefore writes nothing, and a child edited by hand is put back on the next pass.
//! Must not: decide what to apply (the controllers do) or read from the API server.
#pragma once

#include <string>

#include "common/kube/client.hpp"
#include "operator/runtime/boundary.hpp"

namespace mg::runtime {

//! The annotation holding the hash of what we last applied.
inline constexpr const char* kAppliedHashAnnotation = "multigres.com/applied-hash";

class Applier final : public Writer {
 public:
  explicit Applier(kube::Client& client, std::string field_manager = kFieldManager);

  using Outcome = ApplyOutcome;
  //! Applies `desired` unless `actual` (the cached object, or null when absent) already matches.
  //! Created only when the server says it created the object (HTTP 201): a cache that has not seen
  //! our last write yet must not make a second "created". Errors carry the object.
  Result<Outcome> apply(json::Document desired, const json::Value* actual) override;
  //! Applies the `status` of `object` through /status (the caller compared it already). An object
  //! deleted since the cache last saw it is success: there is nobody left to report to, and its
  //! deletion event ends the reconciling (a /status apply cannot create, so 404 is all it can do).
  Result<void> apply_status(const json::Value& object) override;
  //! Creates `object` unless it exists; AlreadyExists is success. For objects written once (Secrets
  //! with generated data). Returns whether it created.
  Result<bool> create_once(const json::Value& object) override;
  //! Server-side apply under another field manager, with force; no cache comparison (rare writes).
  Result<void> apply_as(const json::Value& desired, std::string_view field_manager) override;
  //! Merge patch (the body built with the JSON library; see writer.hpp).
  Result<void> merge_patch(const json::Value& object, const json::Value& body, std::string_view field_manager) override;
  //! Deletes (background propagation unless `how.orphan`); already gone is success.
  Result<void> remove(const json::Value& object, const Removal& how = {}) override;

  //! True when `actual` carries the hash of `desired` and holds every field of it.
  static bool up_to_date(const json::Value& desired_with_hash, const json::Value& actual);
  //! `desired` with the applied-hash annotation set to the hash of its content.
  static json::Document with_hash(json::Document desired);

 private:
  kube::Client& client_;
  const std::string field_manager_;
};

}  // namespace mg::runtime
