// common/api/crd.cpp
#include "common/api/crd.hpp"

namespace mg::api {
namespace {

json::Value strings(const std::vector<std::string>& items, json::Allocator& a) {
  json::Value arr(rapidjson::kArrayType);
  for (const auto& s : items) arr.PushBack(json::str(s, a), a);
  return arr;
}

json::Value names(const Kind& k, json::Allocator& a) {
  json::Value n(rapidjson::kObjectType);
  n.AddMember("kind", json::str(k.kind, a), a);
  n.AddMember("listKind", json::str(k.kind + "List", a), a);
  n.AddMember("plural", json::str(k.plural, a), a);
  n.AddMember("singular", json::str(k.singular, a), a);
  if (!k.short_names.empty()) n.AddMember("shortNames", strings(k.short_names, a), a);
  n.AddMember("categories", strings({k.group == "multigres.com" ? "multigres" : "multigres-postgres"}, a), a);
  return n;
}

json::Value columns(const Kind& k, json::Allocator& a) {
  json::Value arr(rapidjson::kArrayType);
  for (const auto& c : k.columns) {
    json::Value col(rapidjson::kObjectType);
    col.AddMember("name", json::str(c.name, a), a);
    col.AddMember("type", json::str(c.type, a), a);
    col.AddMember("jsonPath", json::str(c.json_path, a), a);
    if (!c.description.empty()) col.AddMember("description", json::str(c.description, a), a);
    if (c.priority != 0) col.AddMember("priority", c.priority, a);
    arr.PushBack(std::move(col), a);
  }
  return arr;
}

}  // namespace

json::Document crd(const KindEntry& entry) {
  const Kind& k = entry.kind;
  json::Document doc;
  auto& a = doc.GetAllocator();
  doc.SetObject();
  doc.AddMember("apiVersion", "apiextensions.k8s.io/v1", a);
  doc.AddMember("kind", "CustomResourceDefinition", a);
  json::Value meta(rapidjson::kObjectType);
  meta.AddMember("name", json::str(k.crd_name(), a), a);
  json::Value labels(rapidjson::kObjectType);
  labels.AddMember("app.kubernetes.io/name", "multigres-operator", a);
  labels.AddMember("app.kubernetes.io/part-of", "multigres", a);
  meta.AddMember("labels", std::move(labels), a);
  doc.AddMember("metadata", std::move(meta), a);

  json::Value spec(rapidjson::kObjectType);
  spec.AddMember("group", json::str(k.group, a), a);
  spec.AddMember("names", names(k, a), a);
  spec.AddMember("scope", json::str(k.namespaced ? "Namespaced" : "Cluster", a), a);

  json::Value version(rapidjson::kObjectType);
  version.AddMember("name", json::str(k.version, a), a);
  version.AddMember("served", true, a);
  version.AddMember("storage", true, a);
  if (!k.columns.empty()) version.AddMember("additionalPrinterColumns", columns(k, a), a);
  json::Value schema(rapidjson::kObjectType);
  schema.AddMember("openAPIV3Schema", entry.schema(a), a);
  version.AddMember("schema", std::move(schema), a);
  if (k.has_status) {
    json::Value sub(rapidjson::kObjectType);
    sub.AddMember("status", json::Value(rapidjson::kObjectType), a);
    if (k.scale) {
      json::Value scale(rapidjson::kObjectType);
      scale.AddMember("specReplicasPath", json::str(k.scale->spec_replicas_path, a), a);
      scale.AddMember("statusReplicasPath", json::str(k.scale->status_replicas_path, a), a);
      scale.AddMember("labelSelectorPath", json::str(k.scale->label_selector_path, a), a);
      sub.AddMember("scale", std::move(scale), a);
    }
    version.AddMember("subresources", std::move(sub), a);
  }
  json::Value versions(rapidjson::kArrayType);
  versions.PushBack(std::move(version), a);
  spec.AddMember("versions", std::move(versions), a);
  doc.AddMember("spec", std::move(spec), a);
  return doc;
}

std::string crd_yaml(const KindEntry& entry) {
  return "# Generated from the type descriptions in common/api. Do not edit: regenerate with\n"
         "# MG_UPDATE_GOLDEN=1 build/tests/unit_tests \"[crd]\"\n---\n" +
         json::to_yaml(crd(entry));
}

std::string crd_file_name(const Kind& kind) { return kind.group + "_" + kind.plural + ".yaml"; }

}  // namespace mg::api
