// operator/controllers/volume_growth.cpp
#include "operator/controllers/volume_growth.hpp"

#include "common/api/value_types.hpp"
#include "operator/controllers/context.hpp"

namespace mg::controllers {
namespace {

const json::Value* claim_template(const json::Value& sts) {
  const json::Value* claims = json::at_path(sts, "spec.volumeClaimTemplates");
  return claims != nullptr && claims->IsArray() && !claims->Empty() ? &(*claims)[0] : nullptr;
}

std::string json_at(const json::Value& v, const char* path) {
  const json::Value* found = json::at_path(v, path);
  return found != nullptr ? json::to_json(*found) : std::string();
}

}  // namespace

std::optional<VolumeGrowth> plan_volume_growth(const json::Value& desired, const json::Value* actual,
                                               const runtime::ObjectStore& pvcs) {
  if (actual == nullptr || deleting(*actual)) return std::nullopt;
  const json::Value* want_claim = claim_template(desired);
  const json::Value* have_claim = claim_template(*actual);
  if (want_claim == nullptr || have_claim == nullptr) return std::nullopt;
  const std::string size = json::string_at(*want_claim, "spec.resources.requests.storage");
  const auto want = api::parse_quantity(size);
  const auto have = api::parse_quantity(json::string_at(*have_claim, "spec.resources.requests.storage"));
  if (!want || !have || *want <= *have) return std::nullopt;
  if (json_at(desired, "spec.selector") != json_at(*actual, "spec.selector") ||
      json::string_at(*want_claim, "spec.storageClassName") != json::string_at(*have_claim, "spec.storageClassName")) {
    return std::nullopt;
  }
  VolumeGrowth growth{.size = size, .claims = {}};
  // PVCs of a claim template are named <claim>-<statefulset>-<ordinal>, in the StatefulSet's namespace.
  const std::string ns = json::string_at(*actual, "metadata.namespace");
  const std::string prefix =
      json::string_at(*have_claim, "metadata.name") + "-" + json::string_at(*actual, "metadata.name") + "-";
  for (runtime::ObjectPtr& pvc : pvcs.list(ns)) {
    if (!json::string_at(*pvc, "metadata.name").starts_with(prefix)) continue;
    const auto current = api::parse_quantity(json::string_at(*pvc, "spec.resources.requests.storage"));
    if (current && *current >= *want) continue;
    growth.claims.push_back(std::move(pvc));
  }
  return growth;
}

json::Document storage_request_patch(const std::string& size) {
  json::Document body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  json::Value requests(rapidjson::kObjectType);
  requests.AddMember("storage", json::str(size, a), a);
  json::Value resources(rapidjson::kObjectType);
  resources.AddMember("requests", requests, a);
  json::Value spec(rapidjson::kObjectType);
  spec.AddMember("resources", resources, a);
  body.AddMember("spec", spec, a);
  return body;
}

}  // namespace mg::controllers
