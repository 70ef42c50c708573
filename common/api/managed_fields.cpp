// plugin/managed_fields.cpp
#include "common/api/managed_fields.hpp"

namespace mg::api {
namespace {

std::string_view name_of(const json::Value& member_name) {
  return {member_name.GetString(), member_name.GetStringLength()};
}

//! Whether a fieldsV1 "k:{...}" key selects `item` (every key field equal).
bool key_matches(std::string_view fields_key, const json::Value& item) {
  if (fields_key.substr(0, 2) != "k:" || !item.IsObject()) return false;
  auto keys = json::parse_json(fields_key.substr(2), "fieldsV1 key");
  if (!keys.ok() || !keys->IsObject() || keys->MemberCount() == 0) return false;
  for (const auto& k : keys->GetObject()) {
    const json::Value* v = json::find(item, name_of(k.name));
    if (v == nullptr || json::to_json(*v) != json::to_json(k.value)) return false;
  }
  return true;
}

bool key_selects(std::string_view fields_key, const PathStep& step) {
  if (fields_key.substr(0, 2) != "k:") return false;
  auto keys = json::parse_json(fields_key.substr(2), "fieldsV1 key");
  if (!keys.ok() || !keys->IsObject() || keys->MemberCount() != 1) return false;
  const json::Value* v = json::find(*keys, step.key_name);
  return v != nullptr && v->IsString() && v->GetString() == step.key_value;
}

//! A fieldsV1 node with no children other than "." owns the whole value below it.
bool is_leaf(const json::Value& set) {
  if (!set.IsObject()) return true;
  for (const auto& m : set.GetObject()) {
    if (name_of(m.name) != ".") return false;
  }
  return set.MemberCount() == 0;
}

//! The part of `live` that the field set `set` covers.
json::Value project(const json::Value& live, const json::Value& set, json::Allocator& a) {
  if (is_leaf(set)) return json::Value(live, a);
  if (live.IsObject()) {
    json::Value out(rapidjson::kObjectType);
    for (const auto& m : set.GetObject()) {
      std::string_view key = name_of(m.name);
      if (key.substr(0, 2) != "f:") continue;
      const json::Value* child = json::find(live, key.substr(2));
      if (child == nullptr) continue;
      out.AddMember(json::str(key.substr(2), a), project(*child, m.value, a), a);
    }
    return out;
  }
  if (live.IsArray()) {
    json::Value out(rapidjson::kArrayType);
    for (const auto& item : live.GetArray()) {
      for (const auto& m : set.GetObject()) {
        std::string_view key = name_of(m.name);
        if (key.substr(0, 2) == "k:" && key_matches(key, item)) {
          json::Value projected = project(item, m.value, a);
          // The key fields identify the entry; an apply without them is rejected.
          auto keys = json::parse_json(key.substr(2), "fieldsV1 key");
          if (keys.ok() && keys->IsObject() && projected.IsObject()) {
            for (const auto& k : keys->GetObject()) {
              if (!projected.HasMember(k.name.GetString())) {
                json::set(projected, name_of(k.name), json::Value(k.value, a), a);
              }
            }
          }
          out.PushBack(std::move(projected), a);
          break;
        }
        if (key.substr(0, 2) == "v:") {
          auto value = json::parse_json(key.substr(2), "fieldsV1 value");
          if (value.ok() && json::to_json(*value) == json::to_json(item)) {
            out.PushBack(json::Value(item, a), a);
            break;
          }
        }
      }
    }
    return out;
  }
  return json::Value(live, a);
}

//! Whether the field set `set` reaches `path` from `start` (owns it, below it, or an atomic ancestor).
bool reaches(const json::Value& set, const FieldPath& path, size_t start) {
  const json::Value* node = &set;
  for (size_t i = start; i < path.size(); ++i) {
    if (is_leaf(*node)) return true;  // an atomic ancestor: the whole value is owned
    const auto& step = path[i];
    const json::Value* next = nullptr;
    for (const auto& m : node->GetObject()) {
      std::string_view key = name_of(m.name);
      if (step.is_entry() ? key_selects(key, step) : key == "f:" + step.field) {
        next = &m.value;
        break;
      }
    }
    if (next == nullptr) return false;
    node = next;
  }
  return true;
}

}  // namespace

std::string describe_path(const FieldPath& path) {
  std::string out;
  for (const auto& step : path) {
    if (step.is_entry()) {
      out += "[" + step.key_name + "=" + step.key_value + "]";
    } else {
      out += "." + step.field;
    }
  }
  return out;
}

std::vector<FieldManager> owners_of(const json::Value& object, const FieldPath& path) {
  std::vector<FieldManager> out;
  const json::Value* entries = json::at_path(object, "metadata.managedFields");
  if (entries == nullptr || !entries->IsArray()) return out;
  for (const auto& e : entries->GetArray()) {
    if (!json::get_string(e, "subresource").empty()) continue;  // status writes own no spec
    const json::Value* fields = json::find(e, "fieldsV1");
    if (fields == nullptr || !fields->IsObject()) continue;
    if (!reaches(*fields, path, 0)) continue;
    FieldManager m{json::get_string(e, "manager"), json::get_string(e, "operation")};
    bool seen = false;
    for (const auto& o : out) seen = seen || o == m;
    if (!seen) out.push_back(std::move(m));
  }
  return out;
}

json::Document extract_applied(const json::Value& object, std::string_view manager) {
  json::Document out;
  out.SetObject();
  auto& a = out.GetAllocator();
  json::set(out, "apiVersion", json::str(json::get_string(object, "apiVersion"), a), a);
  json::set(out, "kind", json::str(json::get_string(object, "kind"), a), a);
  json::Value meta(rapidjson::kObjectType);
  if (const json::Value* m = json::find(object, "metadata")) {
    json::set(meta, "name", json::str(json::get_string(*m, "name"), a), a);
    std::string ns = json::get_string(*m, "namespace");
    if (!ns.empty()) json::set(meta, "namespace", json::str(ns, a), a);
  }
  json::set(out, "metadata", std::move(meta), a);
  const json::Value* entries = json::at_path(object, "metadata.managedFields");
  const json::Value* spec = json::find(object, "spec");
  if (entries == nullptr || !entries->IsArray() || spec == nullptr) return out;
  for (const auto& e : entries->GetArray()) {
    if (json::get_string(e, "manager") != manager || json::get_string(e, "operation") != "Apply" ||
        !json::get_string(e, "subresource").empty()) {
      continue;
    }
    const json::Value* set = json::at_path(e, "fieldsV1.f:spec");
    if (set != nullptr) json::set(out, "spec", project(*spec, *set, a), a);
  }
  return out;
}

}  // namespace mg::api
