// common/kube/resource.hpp
//! API resources and their URL paths: what discovery says about a resource (plural name, kind,
//! namespaced, verbs) and the paths of collections, objects and subresources for core ("/api/v1")
//! and grouped ("/apis/<group>/<version>") APIs. Pure.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mg::kube {

//! "apps/v1" → {"apps", "v1"}; "v1" → {"", "v1"}.
struct GroupVersion {
  std::string group;
  std::string version;

  static GroupVersion parse(std::string_view api_version);
  std::string str() const;  //!< back to "apps/v1" or "v1"
};

//! One resource of one group-version, as discovery describes it.
struct ApiResource {
  std::string group;
  std::string version;
  std::string name;  //!< plural, lower case: "statefulsets"
  std::string singular;
  std::string kind;  //!< "StatefulSet"
  bool namespaced = false;
  std::vector<std::string> verbs;         //!< get, list, watch, create, update, patch, delete, ...
  std::vector<std::string> subresources;  //!< "status", "scale", ...

  std::string api_version() const { return GroupVersion{group, version}.str(); }
  bool supports(std::string_view verb) const;
  bool has_subresource(std::string_view sub) const;
};

//! "/api/v1" for the core group, "/apis/<group>/<version>" otherwise.
std::string group_version_path(const GroupVersion& gv);

//! The path of a collection (name empty) or an object, optionally a subresource of it. The namespace
//! is used only for namespaced resources (empty = all namespaces, for list and watch). Segments are
//! percent-encoded.
std::string resource_path(const ApiResource& resource, std::string_view namespace_name, std::string_view name = {},
                          std::string_view subresource = {});

using QueryParams = std::vector<std::pair<std::string, std::string>>;

//! path + "?" + k=v&... with keys and values percent-encoded; the path alone when params is empty.
std::string with_query(std::string path, const QueryParams& params);

}  // namespace mg::kube
