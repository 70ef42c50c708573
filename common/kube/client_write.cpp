// common/kube/client_write.cpp: create, update, apply, apply_status, patch, remove.
#include "common/kube/client.hpp"

namespace mg::kube {

Result<ObjectReply> Client::create(const json::Value& object, const WriteOptions& options) {
  ObjectRef ref = ObjectRef::of(object);
  std::string what = "creating " + ref.describe();
  auto res = resolve(ref);
  if (!res.ok()) return res.error().with_context(what);
  return object_call(what, create_request(*res, namespace_for(*res, ref), json::to_json(object), options));
}

Result<ObjectReply> Client::update(const json::Value& object, const WriteOptions& options) {
  ObjectRef ref = ObjectRef::of(object);
  std::string what = "updating " + ref.describe();
  if (ref.name.empty()) return make_invalid(what + ": metadata.name is required");
  auto res = resolve(ref);
  if (!res.ok()) return res.error().with_context(what);
  return object_call(what, update_request(*res, namespace_for(*res, ref), ref.name, json::to_json(object), options));
}

Result<ObjectReply> Client::apply_impl(const json::Value& object, const ApplyOptions& options, const char* sub) {
  ObjectRef ref = ObjectRef::of(object);
  ref.subresource = sub;
  std::string what = "applying " + ref.describe();
  if (ref.name.empty()) return make_invalid(what + ": metadata.name is required");
  if (options.field_manager.empty()) return make_invalid(what + ": a field manager is required for server-side apply");
  if (options.field_manager.size() > 128) return make_invalid(what + ": the field manager is longer than 128 characters");
  auto res = resolve(ref);
  if (!res.ok()) return res.error().with_context(what);
  // JSON is YAML, so the object goes as-is with the apply-patch+yaml content type.
  return object_call(
      what, apply_request(*res, namespace_for(*res, ref), ref.name, json::to_json(object), options, ref.subresource));
}

Result<ObjectReply> Client::apply(const json::Value& object, const ApplyOptions& options) {
  return apply_impl(object, options, "");
}

Result<ObjectReply> Client::apply_status(const json::Value& object, const ApplyOptions& options) {
  return apply_impl(object, options, "status");
}

Result<ObjectReply> Client::patch(const ObjectRef& ref, PatchType type, std::string_view body,
                                  const WriteOptions& options) {
  std::string what = "patching " + ref.describe();
  if (ref.name.empty()) return make_invalid(what + ": a name is required");
  auto res = resolve(ref);
  if (!res.ok()) return res.error().with_context(what);
  return object_call(
      what, patch_request(*res, namespace_for(*res, ref), ref.name, type, std::string(body), options, ref.subresource));
}

Result<ObjectReply> Client::remove(const ObjectRef& ref, const DeleteOptions& options) {
  std::string what = "deleting " + ref.describe();
  if (ref.name.empty()) return make_invalid(what + ": a name is required");
  auto res = resolve(ref);
  if (!res.ok()) return res.error().with_context(what);
  return object_call(what, delete_request(*res, namespace_for(*res, ref), ref.name, options));
}

}  // namespace mg::kube
