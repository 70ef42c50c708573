// operator/runtime/applier.cpp
#include "operator/runtime/applier.hpp"

#include "common/kube/api_error.hpp"
#include "common/kube/compare.hpp"

namespace mg::runtime {

Applier::Applier(kube::Client& client, std::string field_manager)
    : client_(client), field_manager_(std::move(field_manager)) {}

json::Document Applier::with_hash(json::Document desired) {
  const std::string hash = kube::content_hash(desired);
  auto& a = desired.GetAllocator();
  if (!desired.HasMember("metadata")) desired.AddMember("metadata", json::Value(rapidjson::kObjectType), a);
  json::Value& meta = desired["metadata"];
  if (!meta.HasMember("annotations")) meta.AddMember("annotations", json::Value(rapidjson::kObjectType), a);
  json::set(meta["annotations"], kAppliedHashAnnotation, json::str(hash, a), a);
  return desired;
}

bool Applier::up_to_date(const json::Value& desired_with_hash, const json::Value& actual) {
  return json::annotation(actual, kAppliedHashAnnotation) == json::annotation(desired_with_hash, kAppliedHashAnnotation) &&
         kube::covers(actual, desired_with_hash);
}

Result<Applier::Outcome> Applier::apply(json::Document desired, const json::Value* actual) {
  json::Document hashed = with_hash(std::move(desired));
  if (actual != nullptr && up_to_date(hashed, *actual)) return Outcome::Unchanged;
  auto reply = client_.apply(hashed, kube::ApplyOptions{.field_manager = field_manager_, .force = true});
  if (!reply.ok()) return reply.error().with_context("applying " + kube::ObjectRef::of(hashed).describe());
  return reply->http_status == 201 ? Outcome::Created : Outcome::Updated;
}

Result<void> Applier::apply_status(const json::Value& object) {
  auto reply = client_.apply_status(object, kube::ApplyOptions{.field_manager = field_manager_, .force = true});
  if (!reply.ok() && reply.error().code != ErrorCode::NotFound) return reply.error().with_context("applying the status of " + kube::ObjectRef::of(object).describe());
  return {};
}

Result<bool> Applier::create_once(const json::Value& object) {
  auto reply = client_.create(object);
  if (reply.ok()) return true;
  if (kube::has_reason(reply.error(), "AlreadyExists")) return false;
  return reply.error().with_context("creating " + kube::ObjectRef::of(object).describe());
}

Result<void> Applier::apply_as(const json::Value& desired, std::string_view field_manager) {
  auto reply = client_.apply(desired, kube::ApplyOptions{.field_manager = std::string(field_manager), .force = true});
  if (!reply.ok()) return reply.error().with_context("applying " + kube::ObjectRef::of(desired).describe());
  return {};
}

Result<void> Applier::merge_patch(const json::Value& object, const json::Value& body, std::string_view field_manager) {
  const kube::ObjectRef ref = kube::ObjectRef::of(object);
  auto reply = client_.patch(ref, kube::PatchType::Merge, json::to_json(body),
                             kube::WriteOptions{.field_manager = std::string(field_manager)});
  if (!reply.ok()) return reply.error().with_context("patching " + ref.describe());
  return {};
}

Result<void> Applier::remove(const json::Value& object, const Removal& how) {
  kube::DeleteOptions options{.propagation = how.orphan ? kube::Propagation::Orphan : kube::Propagation::Background};
  if (how.same_uid) options.precondition_uid = json::string_at(object, "metadata.uid");
  auto reply = client_.remove(kube::ObjectRef::of(object), options);
  if (reply.ok() || reply.error().code == ErrorCode::NotFound) return {};
  return reply.error().with_context("deleting " + kube::ObjectRef::of(object).describe());
}

}  // namespace mg::runtime
