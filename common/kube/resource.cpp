// common/kube/resource.cpp
#include "common/kube/resource.hpp"

#include <algorithm>

#include "common/kube/encoding.hpp"

namespace mg::kube {

GroupVersion GroupVersion::parse(std::string_view api_version) {
  size_t slash = api_version.find('/');
  if (slash == std::string_view::npos) return {"", std::string(api_version)};
  return {std::string(api_version.substr(0, slash)), std::string(api_version.substr(slash + 1))};
}

std::string GroupVersion::str() const {
  return group.empty() ? version : group + "/" + version;
}

bool ApiResource::supports(std::string_view verb) const {
  return std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
}

bool ApiResource::has_subresource(std::string_view sub) const {
  return std::find(subresources.begin(), subresources.end(), sub) != subresources.end();
}

std::string group_version_path(const GroupVersion& gv) {
  if (gv.group.empty()) return "/api/" + percent_encode(gv.version);
  return "/apis/" + percent_encode(gv.group) + "/" + percent_encode(gv.version);
}

std::string resource_path(const ApiResource& resource, std::string_view namespace_name, std::string_view name,
                          std::string_view subresource) {
  std::string path = group_version_path(GroupVersion{resource.group, resource.version});
  if (resource.namespaced && !namespace_name.empty()) path += "/namespaces/" + percent_encode(namespace_name);
  path += "/" + percent_encode(resource.name);
  if (!name.empty()) {
    path += "/" + percent_encode(name);
    if (!subresource.empty()) path += "/" + percent_encode(subresource);
  }
  return path;
}

std::string with_query(std::string path, const QueryParams& params) {
  char sep = '?';
  for (const auto& [k, v] : params) {
    path += sep;
    path += percent_encode(k);
    path += '=';
    path += percent_encode(v);
    sep = '&';
  }
  return path;
}

}  // namespace mg::kube
