// common/api/meta.hpp
//! Kubernetes object metadata and the small shared types every kind uses (conditions, references),
//! plus `Kind`, the facts about one API kind that the CRD generator and the client need.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/api/describe.hpp"

namespace mg::api {

//! The two API groups, their one version, and each as an apiVersion: the kinds' registry, the types'
//! apiVersion defaults, the informers and every request of the plugin use these.
inline constexpr const char* kGroup = "multigres.com";
inline constexpr const char* kPostgresGroup = "postgres.multigres.com";
inline constexpr const char* kVersion = "v1alpha1";
inline constexpr const char* kGroupVersion = "multigres.com/v1alpha1";
inline constexpr const char* kPostgresGroupVersion = "postgres.multigres.com/v1alpha1";

struct OwnerReference {
  std::string apiVersion;
  std::string kind;
  std::string name;
  std::string uid;
  std::optional<bool> controller;
  std::optional<bool> blockOwnerDeletion;
  bool operator==(const OwnerReference&) const = default;
};

struct ObjectMeta {
  std::string name;
  std::string generateName;
  std::string namespace_;
  std::string uid;
  std::string resourceVersion;
  std::optional<int64_t> generation;
  std::string creationTimestamp;
  std::string deletionTimestamp;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::vector<OwnerReference> ownerReferences;
  std::vector<std::string> finalizers;
  bool operator==(const ObjectMeta&) const = default;
};

//! The longest condition message the schema takes, in characters (metav1.Condition's limit). A status
//! with a longer one is refused whole by the API server.
inline constexpr int64_t kMaxConditionMessage = 32768;

//! A standard condition (`metav1.Condition`).
struct Condition {
  std::string type;
  std::string status;  //!< "True", "False" or "Unknown"
  std::optional<int64_t> observedGeneration;
  std::string lastTransitionTime;
  std::string reason;
  std::string message;
  bool operator==(const Condition&) const = default;
};

struct LocalObjectReference {
  std::string name;
  bool operator==(const LocalObjectReference&) const = default;
};

struct SecretKeySelector {
  std::string name;
  std::string key;
  bool operator==(const SecretKeySelector&) const = default;
};

MG_DESCRIBE(OwnerReference);
MG_DESCRIBE(ObjectMeta);
MG_DESCRIBE(Condition);
MG_DESCRIBE(LocalObjectReference);
MG_DESCRIBE(SecretKeySelector);

//! Adds the conditions list (keyed by type) to a status description.
template <class T>
FieldOptions& conditions_field(Fields<T>& f) {
  return f("conditions", &T::conditions)
      .describe("Standard conditions, one per type.")
      .keyed_by({"type"})
      .items(0, 16);
}

//! Adds apiVersion, kind, metadata, spec and (when T has one) status to a top-level kind.
template <class T>
void object_fields(Fields<T>& f) {
  f("apiVersion", &T::apiVersion).describe("APIVersion of this object.");
  f("kind", &T::kind).describe("Kind of this object.");
  f("metadata", &T::metadata).opaque_schema().ignore_unknown();
  f("spec", &T::spec).require();
  if constexpr (requires { &T::status; }) f("status", &T::status);
}

//! A printer column for `kubectl get`.
struct PrinterColumn {
  std::string name;
  std::string type;
  std::string json_path;
  std::string description;
  int priority = 0;
};

//! What the API server and kubectl need to know about one kind.
//! The `scale` subresource of a kind: where /scale reads and writes (kubectl scale, autoscalers).
struct ScaleSubresource {
  std::string spec_replicas_path;
  std::string status_replicas_path;
  std::string label_selector_path;
};

struct Kind {
  std::string group;
  std::string version;
  std::string kind;
  std::string plural;
  std::string singular;
  std::vector<std::string> short_names;
  bool namespaced = true;
  bool has_status = true;
  std::vector<PrinterColumn> columns;
  std::optional<ScaleSubresource> scale;

  std::string api_version() const { return group + "/" + version; }
  std::string crd_name() const { return plural + "." + group; }
};

}  // namespace mg::api
