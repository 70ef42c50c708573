// tests/unit/kube/requests_test.cpp: the method, path, query and body of every verb.
#include "common/kube/requests.hpp"

#include <catch2/catch.hpp>

#include "common/util/json.hpp"

using namespace mg;
using namespace mg::kube;

namespace {

ApiResource pods() {
  return {"", "v1", "pods", "pod", "Pod", true, {"get", "list"}, {"status", "log"}};
}
ApiResource nodes() {
  return {"", "v1", "nodes", "node", "Node", false, {}, {}};
}
ApiResource statefulsets() {
  return {"apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, {}, {"scale"}};
}
ApiResource clusters() {
  return {"multigres.com", "v1alpha1", "multigresclusters", "multigrescluster", "MultigresCluster", true, {}, {}};
}
ApiResource crds() {
  return {"apiextensions.k8s.io", "v1", "customresourcedefinitions", "", "CustomResourceDefinition", false, {}, {}};
}

}  // namespace

TEST_CASE("group-versions and apiVersion strings", "[kube]") {
  CHECK(GroupVersion::parse("v1").group.empty());
  CHECK(GroupVersion::parse("apps/v1").group == "apps");
  CHECK(GroupVersion::parse("apps/v1").version == "v1");
  CHECK(GroupVersion::parse("multigres.com/v1alpha1").str() == "multigres.com/v1alpha1");
  CHECK(group_version_path({"", "v1"}) == "/api/v1");
  CHECK(group_version_path({"apps", "v1"}) == "/apis/apps/v1");
  CHECK(statefulsets().api_version() == "apps/v1");
  CHECK(pods().has_subresource("status"));
  CHECK(pods().supports("list"));
  CHECK_FALSE(pods().supports("watch"));
}

TEST_CASE("paths: core vs grouped, namespaced vs cluster-scoped, subresources", "[kube]") {
  CHECK(resource_path(pods(), "ns", "p") == "/api/v1/namespaces/ns/pods/p");
  CHECK(resource_path(pods(), "ns") == "/api/v1/namespaces/ns/pods");
  CHECK(resource_path(pods(), "") == "/api/v1/pods");  // all namespaces
  CHECK(resource_path(pods(), "ns", "p", "status") == "/api/v1/namespaces/ns/pods/p/status");
  CHECK(resource_path(nodes(), "ignored", "n1") == "/api/v1/nodes/n1");
  CHECK(resource_path(statefulsets(), "db", "pool-0", "scale") ==
        "/apis/apps/v1/namespaces/db/statefulsets/pool-0/scale");
  CHECK(resource_path(clusters(), "prod", "main") ==
        "/apis/multigres.com/v1alpha1/namespaces/prod/multigresclusters/main");
  CHECK(resource_path(crds(), "", "multigresclusters.multigres.com") ==
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/multigresclusters.multigres.com");
  CHECK(resource_path(pods(), "n s", "a:b") == "/api/v1/namespaces/n%20s/pods/a%3Ab");
}

TEST_CASE("get and list", "[kube]") {
  RawRequest get = get_request(pods(), "ns", "p");
  CHECK(get.method == "GET");
  CHECK(get.path == "/api/v1/namespaces/ns/pods/p");
  CHECK(get.body.empty());
  CHECK_FALSE(get.stream);

  ListOptions o;
  o.label_selector = "app.kubernetes.io/name=multigres,tier in (a,b)";
  o.field_selector = "status.phase!=Running";
  o.limit = 50;
  o.resource_version = "0";
  o.resource_version_match = "NotOlderThan";
  o.timeout_seconds = 10;
  CHECK(list_request(pods(), "", o).path ==
        "/api/v1/pods?labelSelector=app.kubernetes.io%2Fname%3Dmultigres%2Ctier%20in%20%28a%2Cb%29"
        "&fieldSelector=status.phase%21%3DRunning&limit=50&resourceVersion=0&resourceVersionMatch=NotOlderThan"
        "&timeoutSeconds=10");
  o = {};
  o.limit = 2;
  o.continue_token = "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTB9+/=";
  o.resource_version = "ignored-with-continue";
  CHECK(list_request(statefulsets(), "db", o).path ==
        "/apis/apps/v1/namespaces/db/statefulsets?limit=2&continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTB9%2B%2F%3D");
  CHECK(list_request(nodes(), "x", {}).path == "/api/v1/nodes");
}

TEST_CASE("watch", "[kube]") {
  WatchOptions o;
  o.resource_version = "12345";
  o.timeout_seconds = 300;
  o.label_selector = "a=b";
  RawRequest w = watch_request(clusters(), "", o);
  CHECK(w.method == "GET");
  CHECK(w.stream);
  CHECK(w.path ==
        "/apis/multigres.com/v1alpha1/multigresclusters?watch=1&labelSelector=a%3Db&resourceVersion=12345"
        "&allowWatchBookmarks=true&timeoutSeconds=300");
  CHECK(w.timeout == std::chrono::seconds(300) + kWatchTimeoutMargin);

  WatchOptions stream;
  stream.allow_bookmarks = true;
  stream.send_initial_events = true;
  stream.resource_version_match = "NotOlderThan";
  RawRequest s = watch_request(pods(), "ns", stream);
  CHECK(s.path ==
        "/api/v1/namespaces/ns/pods?watch=1&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true"
        "&sendInitialEvents=true");
  CHECK(s.timeout.count() == 0);
}

TEST_CASE("create and update carry JSON and write options", "[kube]") {
  WriteOptions o;
  o.dry_run = true;
  o.field_manager = "kubectl-multigres";
  o.field_validation = FieldValidation::Strict;
  RawRequest c = create_request(clusters(), "prod", R"({"kind":"MultigresCluster"})", o);
  CHECK(c.method == "POST");
  CHECK(c.path ==
        "/apis/multigres.com/v1alpha1/namespaces/prod/multigresclusters?dryRun=All&fieldManager=kubectl-multigres"
        "&fieldValidation=Strict");
  CHECK(c.content_type == "application/json");
  CHECK(c.body == R"({"kind":"MultigresCluster"})");

  RawRequest u = update_request(nodes(), "", "n1", "{}", WriteOptions{.field_validation = FieldValidation::Warn});
  CHECK(u.method == "PUT");
  CHECK(u.path == "/api/v1/nodes/n1?fieldValidation=Warn");
  CHECK(update_request(pods(), "ns", "p", "{}", {}, "status").path == "/api/v1/namespaces/ns/pods/p/status");
}

TEST_CASE("server-side apply, also on /status", "[kube]") {
  ApplyOptions o;
  o.field_manager = "multigres-operator";
  o.force = true;
  RawRequest a = apply_request(statefulsets(), "db", "pool", "{}", o);
  CHECK(a.method == "PATCH");
  CHECK(a.content_type == "application/apply-patch+yaml");
  CHECK(a.path == "/apis/apps/v1/namespaces/db/statefulsets/pool?fieldManager=multigres-operator&force=true");
  ApplyOptions plugin;
  plugin.field_manager = "kubectl multigres";
  plugin.dry_run = true;
  plugin.field_validation = FieldValidation::Ignore;
  CHECK(apply_request(clusters(), "p", "c", "{}", plugin, "status").path ==
        "/apis/multigres.com/v1alpha1/namespaces/p/multigresclusters/c/status?dryRun=All"
        "&fieldManager=kubectl%20multigres&fieldValidation=Ignore");
}

TEST_CASE("merge, JSON and strategic patches", "[kube]") {
  RawRequest m = patch_request(pods(), "ns", "p", PatchType::Merge, R"({"metadata":{"labels":{"a":"b"}}})", {});
  CHECK(m.method == "PATCH");
  CHECK(m.content_type == "application/merge-patch+json");
  CHECK(m.path == "/api/v1/namespaces/ns/pods/p");
  RawRequest j = patch_request(clusters(), "ns", "c", PatchType::Json,
                               R"([{"op":"test","path":"/metadata/finalizers/0","value":"x"}])", {.dry_run = true});
  CHECK(j.content_type == "application/json-patch+json");
  CHECK(j.path == "/apis/multigres.com/v1alpha1/namespaces/ns/multigresclusters/c?dryRun=All");
  CHECK(patch_request(statefulsets(), "ns", "s", PatchType::Strategic, "{}", {}, "scale").content_type ==
        std::string("application/strategic-merge-patch+json"));
  CHECK(patch_request(statefulsets(), "ns", "s", PatchType::Merge, "{}", {}, "scale").path ==
        "/apis/apps/v1/namespaces/ns/statefulsets/s/scale");
}

TEST_CASE("delete with propagation, preconditions, grace period and dry run", "[kube]") {
  RawRequest plain = delete_request(pods(), "ns", "p", {});
  CHECK(plain.method == "DELETE");
  CHECK(plain.path == "/api/v1/namespaces/ns/pods/p");
  CHECK(plain.body == R"({"apiVersion":"v1","kind":"DeleteOptions"})");

  DeleteOptions o;
  o.propagation = Propagation::Foreground;
  o.precondition_uid = "1234-abcd";
  o.precondition_resource_version = "42";
  o.grace_period_seconds = 0;
  o.dry_run = true;
  RawRequest d = delete_request(clusters(), "ns", "c", o);
  CHECK(d.path == "/apis/multigres.com/v1alpha1/namespaces/ns/multigresclusters/c?dryRun=All");
  CHECK(d.content_type == "application/json");
  CHECK(d.body ==
        R"({"apiVersion":"v1","kind":"DeleteOptions","propagationPolicy":"Foreground",)"
        R"("preconditions":{"uid":"1234-abcd","resourceVersion":"42"},"gracePeriodSeconds":0,"dryRun":["All"]})");
  CHECK(delete_body({.propagation = Propagation::Orphan}) ==
        R"({"apiVersion":"v1","kind":"DeleteOptions","propagationPolicy":"Orphan"})");
  CHECK(delete_body({.propagation = Propagation::Background}).find("Background") != std::string::npos);
}
