// common/kube/discovery.cpp
#include "common/kube/discovery.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/naming/names.hpp"

namespace mg::kube {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::vector<std::string> strings(const json::Value* arr) {
  std::vector<std::string> out;
  if (arr == nullptr || !arr->IsArray()) return out;
  for (const auto& v : arr->GetArray()) {
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

}  // namespace

std::vector<GroupVersion> parse_core_versions(const json::Value& api_versions) {
  std::vector<GroupVersion> out;
  for (auto& v : strings(json::find(api_versions, "versions"))) out.push_back({"", v});
  return out;
}

std::vector<GroupVersion> parse_api_group_list(const json::Value& group_list) {
  std::vector<GroupVersion> out;
  const json::Value* groups = json::find(group_list, "groups");
  if (groups == nullptr || !groups->IsArray()) return out;
  for (const auto& g : groups->GetArray()) {
    std::string name = json::get_string(g, "name");
    std::string preferred;
    if (const json::Value* p = json::find(g, "preferredVersion")) preferred = json::get_string(*p, "version");
    std::vector<GroupVersion> versions;
    if (const json::Value* vs = json::find(g, "versions"); vs != nullptr && vs->IsArray()) {
      for (const auto& v : vs->GetArray()) {
        GroupVersion gv{name, json::get_string(v, "version")};
        if (gv.version.empty()) gv = GroupVersion::parse(json::get_string(v, "groupVersion"));
        if (gv.version == preferred) {
          versions.insert(versions.begin(), gv);
        } else {
          versions.push_back(gv);
        }
      }
    }
    out.insert(out.end(), versions.begin(), versions.end());
  }
  return out;
}

std::vector<ApiResource> parse_api_resource_list(const json::Value& list, const GroupVersion& gv) {
  GroupVersion effective = gv;
  if (std::string listed = json::get_string(list, "groupVersion"); !listed.empty()) {
    effective = GroupVersion::parse(listed);
  }
  std::vector<ApiResource> out;
  std::vector<std::pair<std::string, std::string>> subresources;  // parent, sub
  const json::Value* resources = json::find(list, "resources");
  if (resources == nullptr || !resources->IsArray()) return out;
  for (const auto& r : resources->GetArray()) {
    std::string name = json::get_string(r, "name");
    if (name.empty()) continue;
    if (auto slash = name.find('/'); slash != std::string::npos) {
      subresources.emplace_back(name.substr(0, slash), name.substr(slash + 1));
      continue;
    }
    ApiResource res;
    res.group = json::get_string(r, "group");
    res.version = json::get_string(r, "version");
    if (res.group.empty() && res.version.empty()) {
      res.group = effective.group;
      res.version = effective.version;
    }
    res.name = name;
    res.singular = json::get_string(r, "singularName");
    res.kind = json::get_string(r, "kind");
    const json::Value* ns = json::find(r, "namespaced");
    res.namespaced = ns != nullptr && ns->IsBool() && ns->GetBool();
    res.verbs = strings(json::find(r, "verbs"));
    out.push_back(std::move(res));
  }
  for (const auto& [parent, sub] : subresources) {
    for (auto& res : out) {
      if (res.name == parent) res.subresources.push_back(sub);
    }
  }
  return out;
}

const ApiResource* find_kind(const std::vector<ApiResource>& resources, std::string_view kind) {
  for (const auto& r : resources) {
    if (r.kind == kind) return &r;
  }
  return nullptr;
}

const ApiResource* find_resource(const std::vector<ApiResource>& resources, std::string_view name) {
  for (const auto& r : resources) {
    if (iequals(r.name, name) || (!r.singular.empty() && iequals(r.singular, name))) return &r;
  }
  return nullptr;
}

std::string discovery_cache_dir(const std::string& base, const std::string& server, const std::string& ca_pem) {
  std::string name = server;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') c = '_';
  }
  return base + "/" + name + "_" + naming::hash_parts({ca_pem});
}

Discovery::Discovery(Fetch fetch, DiscoveryDiskCache disk) : disk_(std::move(disk)), fetch_(std::move(fetch)) {}

namespace {

//! "multigres.com_v1alpha1.json", "v1.json".
std::string disk_file(const std::string& dir, const GroupVersion& gv) {
  std::string name = gv.str();
  std::replace(name.begin(), name.end(), '/', '_');
  return dir + "/" + name + ".json";
}

}  // namespace

std::optional<json::Document> Discovery::read_disk(const GroupVersion& gv) const {
  if (disk_.dir.empty()) return std::nullopt;
  namespace fs = std::filesystem;
  const std::string path = disk_file(disk_.dir, gv);
  std::error_code ec;
  const auto written = fs::last_write_time(path, ec);
  if (ec || fs::file_time_type::clock::now() - written > disk_.ttl) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  // A file we wrote, but read as what it is: bytes on disk, within the limits of a server reply.
  auto doc = json::parse_json(text.str(), path, json::kServerLimits);
  if (!doc.ok() || !doc->IsObject()) return std::nullopt;
  return std::move(*doc);
}

void Discovery::write_disk(const GroupVersion& gv, const json::Value& list) const {
  if (disk_.dir.empty()) return;
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(disk_.dir, ec);
  if (ec) return;  // best effort: discovery works without it
  fs::permissions(disk_.dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  const std::string path = disk_file(disk_.dir, gv);
  const std::string part = path + ".part." + std::to_string(::getpid());
  {
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    out << json::to_json(list);
    if (!out.flush()) return;
  }
  fs::permissions(part, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
  fs::rename(part, path, ec);
  if (ec) fs::remove(part, ec);
}

Result<std::vector<GroupVersion>> Discovery::group_versions() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (group_versions_) return *group_versions_;
  }
  auto core = fetch_("/api");
  if (!core.ok()) return core.error().with_context("discovering /api");
  auto groups = fetch_("/apis");
  if (!groups.ok()) return groups.error().with_context("discovering /apis");
  std::vector<GroupVersion> all = parse_core_versions(*core);
  for (auto& gv : parse_api_group_list(*groups)) all.push_back(std::move(gv));
  std::lock_guard<std::mutex> lock(mu_);
  group_versions_ = all;
  return all;
}

Result<Discovery::Entry> Discovery::load(const GroupVersion& gv, bool force) {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_group_version_.find(gv.str());
    if (it != by_group_version_.end() && (!force || now - it->second.fetched_at < kRefreshInterval)) {
      return it->second;
    }
  }
  if (!force) {
    if (auto cached = read_disk(gv)) {
      // Older than kRefreshInterval: a kind missing from it is fetched again at once.
      Entry entry{parse_api_resource_list(*cached, gv), now - kRefreshInterval};
      std::lock_guard<std::mutex> lock(mu_);
      by_group_version_[gv.str()] = entry;
      return entry;
    }
  }
  std::string path = group_version_path(gv);
  auto doc = fetch_(path);
  if (!doc.ok()) {
    Error e = doc.error();
    if (e.code == ErrorCode::NotFound) {
      e.message = "the server does not serve " + gv.str() + " (" + e.message + ")";
    }
    return e.with_context("discovering " + path);
  }
  Entry entry{parse_api_resource_list(*doc, gv), now};
  write_disk(gv, *doc);
  std::lock_guard<std::mutex> lock(mu_);
  by_group_version_[gv.str()] = entry;
  return entry;
}

Result<std::vector<ApiResource>> Discovery::resources(const GroupVersion& gv) {
  auto entry = load(gv, false);
  if (!entry.ok()) return entry.error();
  return std::move(entry.value().resources);
}

Result<ApiResource> Discovery::lookup(std::string_view api_version, std::string_view name, bool by_kind) {
  GroupVersion gv = GroupVersion::parse(api_version);
  for (bool force : {false, true}) {
    auto entry = load(gv, force);
    if (!entry.ok()) return entry.error();
    const ApiResource* r = by_kind ? find_kind(entry->resources, name) : find_resource(entry->resources, name);
    if (r != nullptr) return *r;
  }
  Error e = make_error(ErrorCode::NotFound, std::string("the server has no ") + (by_kind ? "kind " : "resource ") +
                                                std::string(name) + " in " + std::string(api_version) +
                                                " (is its CustomResourceDefinition installed?)");
  return e;
}

Result<ApiResource> Discovery::for_kind(std::string_view api_version, std::string_view kind) {
  return lookup(api_version, kind, true);
}

Result<ApiResource> Discovery::for_resource(std::string_view api_version, std::string_view resource) {
  return lookup(api_version, resource, false);
}

void Discovery::invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  by_group_version_.clear();
  group_versions_.reset();
  if (!disk_.dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(disk_.dir, ec);
  }
}

}  // namespace mg::kube
