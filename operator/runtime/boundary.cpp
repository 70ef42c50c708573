// operator/runtime/boundary.cpp
#include "operator/runtime/boundary.hpp"

#include <algorithm>

namespace mg::runtime {

bool ObjectStore::contains(const std::string& namespace_name, const std::string& name) const {
  return get(namespace_name, name) != nullptr;
}

std::vector<std::string> ObjectStore::keys_owned_by(const std::string& owner_uid) const {
  std::vector<std::string> keys;
  for (const ObjectPtr& object : owned_by(owner_uid)) keys.push_back(object_key(*object));
  return keys;
}

json::Document metadata_patch_body(const json::Value& object, const MetadataPatch& patch) {
  json::Document body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  const json::Value* read = json::find(object, "metadata");
  json::Value meta(rapidjson::kObjectType);
  if (patch.same_uid) meta.AddMember("uid", json::str(read ? json::get_string(*read, "uid") : "", a), a);
  if (patch.same_version) {
    meta.AddMember("resourceVersion", json::str(read ? json::get_string(*read, "resourceVersion") : "", a), a);
  }
  auto add_map = [&](const char* field, const std::map<std::string, std::string>& values) {
    if (values.empty()) return;
    json::Value out(rapidjson::kObjectType);
    for (const auto& [key, value] : values) json::set(out, key, json::str(value, a), a);
    meta.AddMember(json::Value(field, a), out, a);
  };
  add_map("labels", patch.labels);
  add_map("annotations", patch.annotations);
  if (patch.finalizers) {
    json::Value list(rapidjson::kArrayType);
    for (const auto& f : *patch.finalizers) list.PushBack(json::str(f, a), a);
    meta.AddMember("finalizers", list, a);
  }
  body.AddMember("metadata", meta, a);
  return body;
}

namespace {

std::vector<std::string> finalizers_of(const json::Value& object) {
  std::vector<std::string> out;
  if (const json::Value* list = json::at_path(object, "metadata.finalizers"); list != nullptr && list->IsArray()) {
    for (const auto& v : list->GetArray()) {
      if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
    }
  }
  return out;
}

}  // namespace

bool has_finalizer(const json::Value& object, const std::string& finalizer) {
  const std::vector<std::string> all = finalizers_of(object);
  return std::find(all.begin(), all.end(), finalizer) != all.end();
}

std::optional<std::vector<std::string>> finalizers_with(const json::Value& object, const std::string& finalizer,
                                                        bool wanted) {
  std::vector<std::string> now = finalizers_of(object);
  const bool has = std::find(now.begin(), now.end(), finalizer) != now.end();
  if (has == wanted) return std::nullopt;
  if (wanted) {
    now.push_back(finalizer);
  } else {
    std::erase(now, finalizer);
  }
  return now;
}

Result<void> Writer::patch_metadata(const json::Value& object, const MetadataPatch& patch) {
  return merge_patch(object, metadata_patch_body(object, patch), kFieldManager);
}

std::string object_key(const json::Value& object) {
  const json::Value* meta = json::find(object, "metadata");
  if (meta == nullptr) return {};
  return join_key(json::get_string(*meta, "namespace"), json::get_string(*meta, "name"));
}

std::string join_key(const std::string& namespace_name, const std::string& name) {
  return namespace_name.empty() ? name : namespace_name + "/" + name;
}

std::pair<std::string, std::string> split_key(const std::string& key) {
  auto slash = key.find('/');
  if (slash == std::string::npos) return {"", key};
  return {key.substr(0, slash), key.substr(slash + 1)};
}

const json::Value* controller_of(const json::Value& object) {
  const json::Value* refs = json::at_path(object, "metadata.ownerReferences");
  if (refs == nullptr || !refs->IsArray()) return nullptr;
  for (const auto& ref : refs->GetArray()) {
    const json::Value* controller = json::find(ref, "controller");
    if (controller != nullptr && controller->IsBool() && controller->GetBool()) return &ref;
  }
  return nullptr;
}

EventRegarding EventRegarding::of(const json::Value& object) {
  EventRegarding r;
  r.api_version = json::get_string(object, "apiVersion");
  r.kind = json::get_string(object, "kind");
  if (const json::Value* meta = json::find(object, "metadata"); meta != nullptr) {
    r.namespace_name = json::get_string(*meta, "namespace");
    r.name = json::get_string(*meta, "name");
    r.uid = json::get_string(*meta, "uid");
  }
  return r;
}

}  // namespace mg::runtime
