// tests/unit/kube/discovery_test.cpp: discovery documents (as served by kube-apiserver 1.34) to resources.
#include "common/kube/discovery.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace mg;
using namespace mg::kube;

namespace {

json::Document parse(const char* text) {
  auto doc = json::parse_json(text, "fixture");
  REQUIRE(doc.ok());
  return std::move(doc).value();
}

}  // namespace

TEST_CASE("GET /api and GET /apis list the group-versions, preferred first", "[kube]") {
  auto core = parse(R"({"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[]})");
  auto gvs = parse_core_versions(core);
  REQUIRE(gvs.size() == 1);
  CHECK(gvs[0].str() == "v1");

  auto groups = parse(R"({"kind":"APIGroupList","apiVersion":"v1","groups":[
    {"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],
     "preferredVersion":{"groupVersion":"apps/v1","version":"v1"}},
    {"name":"multigres.com","versions":[{"groupVersion":"multigres.com/v1beta1","version":"v1beta1"},
                                        {"groupVersion":"multigres.com/v1alpha1","version":"v1alpha1"}],
     "preferredVersion":{"groupVersion":"multigres.com/v1alpha1","version":"v1alpha1"}}]})");
  auto all = parse_api_group_list(groups);
  REQUIRE(all.size() == 3);
  CHECK(all[0].str() == "apps/v1");
  CHECK(all[1].str() == "multigres.com/v1alpha1");
  CHECK(all[2].str() == "multigres.com/v1beta1");
}

TEST_CASE("an APIResourceList gives names, kinds, scope, verbs and subresources", "[kube]") {
  auto list = parse(R"({"kind":"APIResourceList","groupVersion":"v1","resources":[
    {"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace",
     "verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["ns"]},
    {"name":"namespaces/status","singularName":"","namespaced":false,"kind":"Namespace","verbs":["get","patch","update"]},
    {"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod",
     "verbs":["create","delete","deletecollection","get","list","patch","update","watch"]},
    {"name":"pods/log","singularName":"","namespaced":true,"kind":"Pod","verbs":["get"]},
    {"name":"pods/status","singularName":"","namespaced":true,"kind":"Pod","verbs":["get","patch","update"]},
    {"name":"bindings","singularName":"binding","namespaced":true,"kind":"Binding","verbs":["create"]}]})");
  auto resources = parse_api_resource_list(list, {"", "v1"});
  REQUIRE(resources.size() == 3);
  const ApiResource* pod = find_kind(resources, "Pod");
  REQUIRE(pod != nullptr);
  CHECK(pod->name == "pods");
  CHECK(pod->namespaced);
  CHECK(pod->api_version() == "v1");
  CHECK(pod->supports("watch"));
  CHECK(pod->subresources == std::vector<std::string>{"log", "status"});
  const ApiResource* ns = find_resource(resources, "Namespace");  // singular, any case
  REQUIRE(ns != nullptr);
  CHECK_FALSE(ns->namespaced);
  CHECK(ns->has_subresource("status"));
  CHECK(find_resource(resources, "pods") == pod);
  CHECK(find_kind(resources, "pod") == nullptr);  // kinds are case-sensitive
  CHECK(find_resource(resources, "services") == nullptr);
}

TEST_CASE("a CRD group's list takes group and version from groupVersion", "[kube]") {
  auto list = parse(R"({"kind":"APIResourceList","apiVersion":"v1","groupVersion":"multigres.com/v1alpha1",
    "resources":[{"name":"multigresclusters","singularName":"multigrescluster","namespaced":true,
                  "kind":"MultigresCluster","verbs":["delete","deletecollection","get","list","patch","create",
                  "update","watch"],"shortNames":["mgc"],"categories":["multigres"]},
                 {"name":"multigresclusters/status","singularName":"","namespaced":true,"kind":"MultigresCluster",
                  "verbs":["get","patch","update"]}]})");
  auto resources = parse_api_resource_list(list, {"ignored", "v0"});
  REQUIRE(resources.size() == 1);
  CHECK(resources[0].group == "multigres.com");
  CHECK(resources[0].version == "v1alpha1");
  CHECK(resources[0].has_subresource("status"));
  CHECK(parse_api_resource_list(parse("{}"), {"", "v1"}).empty());
}

namespace {

//! A Discovery whose fetches are counted, answering `list` for every path.
struct CountingFetch {
  std::string list;
  int calls = 0;
  mg::kube::Discovery::Fetch fn() {
    return [this](const std::string&) -> mg::Result<mg::json::Document> {
      ++calls;
      return mg::json::parse_json(list, "fetch");
    };
  }
};

const char* kCellsOnly = R"({"kind":"APIResourceList","groupVersion":"multigres.com/v1alpha1","resources":[
  {"name":"cells","singularName":"cell","namespaced":true,"kind":"Cell","verbs":["get","list"]}]})";

std::string temp_cache_dir() {
  auto dir = std::filesystem::temp_directory_path() / ("mg-discovery-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

}  // namespace

TEST_CASE("discovery disk cache: a second process reads the group-version from disk, not the server", "[kube]") {
  const std::string dir = temp_cache_dir();
  CountingFetch first{kCellsOnly};
  Discovery a(first.fn(), {.dir = dir});
  REQUIRE(a.for_kind("multigres.com/v1alpha1", "Cell").ok());
  CHECK(first.calls == 1);
  const auto file = std::filesystem::path(dir) / "multigres.com_v1alpha1.json";
  REQUIRE(std::filesystem::exists(file));
  CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

  CountingFetch second{kCellsOnly};
  Discovery b(second.fn(), {.dir = dir});
  REQUIRE(b.for_kind("multigres.com/v1alpha1", "Cell").ok());
  CHECK(second.calls == 0);
  // A kind the cached list lacks (a CRD installed since) is asked for at once.
  CHECK_FALSE(b.for_kind("multigres.com/v1alpha1", "Shard").ok());
  CHECK(second.calls == 1);
  // invalidate() forgets the disk too.
  b.invalidate();
  CHECK_FALSE(std::filesystem::exists(file));
  std::filesystem::remove_all(dir);
}

TEST_CASE("discovery disk cache: a stale or damaged file is fetched again", "[kube]") {
  const std::string dir = temp_cache_dir();
  CountingFetch writer{kCellsOnly};
  Discovery a(writer.fn(), {.dir = dir});
  REQUIRE(a.for_kind("multigres.com/v1alpha1", "Cell").ok());

  CountingFetch stale{kCellsOnly};
  Discovery b(stale.fn(), {.dir = dir, .ttl = std::chrono::seconds(0)});
  REQUIRE(b.for_kind("multigres.com/v1alpha1", "Cell").ok());
  CHECK(stale.calls == 1);

  std::ofstream(std::filesystem::path(dir) / "multigres.com_v1alpha1.json", std::ios::trunc) << "{\"resources\": [tru";
  CountingFetch damaged{kCellsOnly};
  Discovery c(damaged.fn(), {.dir = dir});
  REQUIRE(c.for_kind("multigres.com/v1alpha1", "Cell").ok());
  CHECK(damaged.calls == 1);
  std::filesystem::remove_all(dir);
}

TEST_CASE("discovery cache dir: one per server and CA", "[kube]") {
  using mg::kube::discovery_cache_dir;
  const auto a = discovery_cache_dir("/c", "https://127.0.0.1:6443", "CA1");
  CHECK(a.starts_with("/c/https___127.0.0.1_6443_"));
  CHECK(a != discovery_cache_dir("/c", "https://127.0.0.1:6443", "CA2"));
  CHECK(a == discovery_cache_dir("/c", "https://127.0.0.1:6443", "CA1"));
}
