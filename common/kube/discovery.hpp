// common/kube/discovery.hpp
//! API discovery: which group-versions the server serves (GET /api, /apis) and the resources of each
//! (GET /api/v1, /apis/<group>/<version>: plural name, kind, namespaced, verbs, subresources), parsed
//! by pure functions and cached per group-version by `Discovery`. A kind missing from a cached list is
//! looked up again (a CRD may have just been installed), at most once per `kRefreshInterval`.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/kube/resource.hpp"
#include "common/util/json.hpp"
#include "common/util/result.hpp"

namespace mg::kube {

//! GET /api → {"kind":"APIVersions","versions":["v1"]}: the core group-versions.
std::vector<GroupVersion> parse_core_versions(const json::Value& api_versions);

//! GET /apis → APIGroupList: every group-version, each group's preferred version first.
std::vector<GroupVersion> parse_api_group_list(const json::Value& group_list);

//! GET /api/v1 or /apis/<g>/<v> → APIResourceList. Entries "x/status" become subresources of "x";
//! `gv` fills group/version (the list's groupVersion wins when present).
std::vector<ApiResource> parse_api_resource_list(const json::Value& list, const GroupVersion& gv);

//! The resource of a kind (case-sensitive), or nullptr.
const ApiResource* find_kind(const std::vector<ApiResource>& resources, std::string_view kind);

//! The resource by plural or singular name (case-insensitive), or nullptr.
const ApiResource* find_resource(const std::vector<ApiResource>& resources, std::string_view name);

//! Where the resource lists of group-versions are kept between runs, as kubectl keeps its own under
//! ~/.kube/cache: one file per group-version, used while younger than `ttl`. A kind missing from a
//! cached list is fetched again at once (a CRD may be new), so a stale file costs one request.
struct DiscoveryDiskCache {
  std::string dir;  //!< "" = no disk cache
  std::chrono::seconds ttl{std::chrono::hours(6)};
};

//! The cache directory for `server` under `base` (e.g. ~/.kube/cache/multigres/discovery): one
//! sub-directory per server and CA, the URL with every character outside [A-Za-z0-9.-] as '_' and a
//! hash of `ca_pem`, so a new cluster behind the same address (a test plane made again) starts empty.
std::string discovery_cache_dir(const std::string& base, const std::string& server, const std::string& ca_pem);

class Discovery {
 public:
  //! GETs a discovery path and parses the JSON body.
  using Fetch = std::function<Result<json::Document>(const std::string& path)>;
  static constexpr std::chrono::seconds kRefreshInterval{5};

  explicit Discovery(Fetch fetch, DiscoveryDiskCache disk = {});

  //! Every served group-version (core first). Cached until invalidate().
  Result<std::vector<GroupVersion>> group_versions();

  //! The resources of one group-version. Cached. NotFound when the group-version is not served.
  Result<std::vector<ApiResource>> resources(const GroupVersion& gv);

  //! The resource for apiVersion + kind (or + plural/singular resource name). NotFound names what
  //! is missing and suggests the CRD may not be installed.
  Result<ApiResource> for_kind(std::string_view api_version, std::string_view kind);
  Result<ApiResource> for_resource(std::string_view api_version, std::string_view resource);

  //! Drops every cached answer, on disk too.
  void invalidate();

 private:
  struct Entry {
    std::vector<ApiResource> resources;
    std::chrono::steady_clock::time_point fetched_at;
  };
  Result<Entry> load(const GroupVersion& gv, bool force);
  //! The group-version's list from the disk cache when fresh, else nullopt (any problem: nullopt).
  std::optional<json::Document> read_disk(const GroupVersion& gv) const;
  void write_disk(const GroupVersion& gv, const json::Value& list) const;

  const DiscoveryDiskCache disk_;
  Result<ApiResource> lookup(std::string_view api_version, std::string_view name, bool by_kind);

  Fetch fetch_;
  std::mutex mu_;
  std::map<std::string, Entry> by_group_version_;            // guarded by mu_
  std::optional<std::vector<GroupVersion>> group_versions_;  // guarded by mu_
};

}  // namespace mg::kube
