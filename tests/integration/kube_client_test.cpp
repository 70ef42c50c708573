// tests/integration/kube_client_test.cpp: mg::kube::Client against a real kube-apiserver.
//
// Needs a running control plane (tests/cluster/cluster.sh up minimal) and KUBECONFIG pointing at its
// admin kubeconfig (eval "$(tests/cluster/cluster.sh env)"); ctest runs it through
// tests/integration/with_cluster.sh. Without KUBECONFIG every case fails. Each run works in its own namespace mg-kc-<random>, deleted at the end (in a minimal cluster
// without the namespace controller it stays Terminating; that is harmless).
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

#include "common/kube/api_error.hpp"
#include "common/kube/client.hpp"
#include "common/kube/encoding.hpp"
#include "common/kube/watcher.hpp"
#include "common/view/objects.hpp"

using namespace mg;
using namespace mg::kube;
using namespace std::chrono_literals;

namespace {

struct Env {
  std::unique_ptr<Client> client;
  std::string ns;
  std::mutex mu;
  std::vector<std::string> warnings;  // guarded by mu
};

json::Document doc(const std::string& text) {
  auto d = json::parse_json(text, "test");
  REQUIRE(d.ok());
  return std::move(d).value();
}

std::string random_suffix() {
  std::mt19937_64 rng{std::random_device{}()};
  static const char* kHex = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 6; ++i) s += kHex[rng() % 16];
  return s;
}

//! The shared client and namespace, or nullptr when no cluster is configured.
Env* env() {
  static Env* instance = []() -> Env* {
    const char* kc = std::getenv("KUBECONFIG");
    if (kc == nullptr || *kc == '\0') return nullptr;
    static Env e;
    ClientOptions options;
    options.on_warning = [](const std::string& w) {
      std::lock_guard<std::mutex> lock(e.mu);
      e.warnings.push_back(w);
    };
    auto c = connect(LoadOptions{}, options);
    if (!c.ok()) FAIL("connect: " << c.error().message);
    e.client = std::move(c).value();
    e.ns = "mg-kc-" + random_suffix();
    auto created =
        e.client->create(doc(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")" + e.ns + R"("}})"));
    if (!created.ok()) FAIL("creating namespace: " << created.error().message);
    std::atexit([] {
      if (e.client) (void)e.client->remove({.api_version = "v1", .kind = "Namespace", .name = e.ns});
    });
    return &e;
  }();
  return instance;
}

#define REQUIRE_CLUSTER()                                                             \
  Env* e = env();                                                                     \
  if (e == nullptr) {                                                                 \
    FAIL("KUBECONFIG is not set: run tests/cluster/cluster.sh up minimal first");    \
  }                                                                                   \
  Client& client = *e->client

json::Document config_map(const std::string& ns, const std::string& name, const std::string& value,
                          const std::string& labels = "{}") {
  return doc(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" + name + R"(","namespace":")" + ns +
             R"(","labels":)" + labels + R"(},"data":{"key":")" + value + R"("}})");
}

std::string data_key(const json::Value& obj) {
  const json::Value* v = json::at_path(obj, "data.key");
  return v != nullptr && v->IsString() ? v->GetString() : "";
}

std::string meta(const json::Value& obj, const char* field) {
  const json::Value* m = json::find(obj, "metadata");
  return m != nullptr ? json::get_string(*m, field) : "";
}

//! Writes a kubeconfig for the same server with another user block; returns its path.
std::string write_kubeconfig(const RestConfig& admin, const std::string& user_yaml,
                             const std::string& cluster_extra = "") {
  char path[] = "/tmp/mg-kc-kubeconfig-XXXXXX";
  int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::ofstream out(path);
  out << "apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: t\n  cluster:\n    server: "
      << admin.server << "\n    certificate-authority-data: " << base64_encode(admin.ca_pem) << "\n"
      << cluster_extra << "users:\n- name: t\n  user:\n"
      << user_yaml << "contexts:\n- name: t\n  context: {cluster: t, user: t}\n";
  return path;
}

}  // namespace

TEST_CASE("discovery finds core, grouped and missing kinds", "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  auto cm = client.resolve({.api_version = "v1", .kind = "ConfigMap"});
  REQUIRE(cm.ok());
  CHECK(cm->name == "configmaps");
  CHECK(cm->namespaced);
  auto sts = client.resolve({.api_version = "apps/v1", .resource = "statefulsets"});
  REQUIRE(sts.ok());
  CHECK(sts->kind == "StatefulSet");
  CHECK(sts->has_subresource("scale"));
  auto ns = client.resolve({.api_version = "v1", .kind = "Namespace"});
  REQUIRE(ns.ok());
  CHECK_FALSE(ns->namespaced);
  auto missing = client.resolve({.api_version = "multigres.com/v1alpha9", .kind = "Nope"});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::NotFound);
  auto gvs = client.server_group_versions();
  REQUIRE(gvs.ok());
  CHECK(gvs->front().str() == "v1");
}

TEST_CASE("create, get, AlreadyExists, NotFound, update conflicts, delete preconditions",
          "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  auto created = client.create(config_map(e->ns, "crud", "one"));
  REQUIRE(created.ok());
  std::string uid = meta(created->object, "uid");
  std::string rv = meta(created->object, "resourceVersion");
  CHECK_FALSE(uid.empty());

  auto again = client.create(config_map(e->ns, "crud", "one"));
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == ErrorCode::Conflict);
  CHECK(has_reason(again.error(), "AlreadyExists"));

  auto got = client.get({.api_version = "v1", .kind = "ConfigMap", .namespace_name = e->ns, .name = "crud"});
  REQUIRE(got.ok());
  CHECK(data_key(got->object) == "one");

  auto missing = client.get({.api_version = "v1", .kind = "ConfigMap", .namespace_name = e->ns, .name = "nope"});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::NotFound);
  CHECK(missing.error().message.find("404 NotFound") != std::string::npos);

  json::Document updated = json::clone(got->object);
  json::set(updated["data"], "key", json::str("two", updated.GetAllocator()), updated.GetAllocator());
  REQUIRE(client.update(updated).ok());
  auto stale = client.update(updated);  // same resourceVersion again
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().code == ErrorCode::Conflict);
  CHECK(has_reason(stale.error(), "Conflict"));

  ObjectRef ref{.api_version = "v1", .kind = "ConfigMap", .namespace_name = e->ns, .name = "crud"};
  auto wrong_uid = client.remove(ref, {.precondition_uid = "00000000-0000-0000-0000-000000000000"});
  REQUIRE_FALSE(wrong_uid.ok());
  CHECK(wrong_uid.error().code == ErrorCode::Conflict);
  auto wrong_rv = client.remove(ref, {.precondition_resource_version = rv});
  REQUIRE_FALSE(wrong_rv.ok());
  CHECK(wrong_rv.error().code == ErrorCode::Conflict);
  REQUIRE(client.remove(ref, {.propagation = Propagation::Background, .precondition_uid = uid}).ok());
  CHECK(client.get(ref).error().code == ErrorCode::NotFound);
  CHECK(client.remove(ref).error().code == ErrorCode::NotFound);
}

TEST_CASE("dry run writes nothing; field validation strict and warn", "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  auto dry = client.create(config_map(e->ns, "dry", "x"), {.dry_run = true});
  REQUIRE(dry.ok());
  CHECK(client.get({.api_version = "v1", .kind = "ConfigMap", .namespace_name = e->ns, .name = "dry"}).error().code ==
        ErrorCode::NotFound);

  json::Document unknown = config_map(e->ns, "fields", "x");
  unknown.AddMember("bogusField", json::Value(1), unknown.GetAllocator());
  auto strict = client.create(unknown, {.field_validation = FieldValidation::Strict});
  REQUIRE_FALSE(strict.ok());
  CHECK(strict.error().code == ErrorCode::Invalid);
  CHECK(strict.error().terminal);
  CHECK(strict.error().message.find("bogusField") != std::string::npos);

  auto warn = client.create(unknown, {.dry_run = true, .field_validation = FieldValidation::Warn});
  REQUIRE(warn.ok());
  REQUIRE_FALSE(warn->warnings.empty());
  CHECK(warn->warnings[0].find("bogusField") != std::string::npos);
  std::lock_guard<std::mutex> lock(e->mu);
  CHECK_FALSE(e->warnings.empty());  // the callback saw it too
}

TEST_CASE("server-side apply: create, conflicts between managers, force", "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  auto first = client.apply(config_map(e->ns, "ssa", "mine"), {.field_manager = "mg-test-a"});
  REQUIRE(first.ok());
  CHECK(data_key(first->object) == "mine");
  auto same = client.apply(config_map(e->ns, "ssa", "mine"), {.field_manager = "mg-test-a"});
  REQUIRE(same.ok());
  CHECK(meta(same->object, "resourceVersion") == meta(first->object, "resourceVersion"));  // no-op
  auto updated = client.apply(config_map(e->ns, "ssa", "mine-2"), {.field_manager = "mg-test-a"});
  REQUIRE(updated.ok());
  CHECK(data_key(updated->object) == "mine-2");
  CHECK(meta(updated->object, "resourceVersion") != meta(first->object, "resourceVersion"));

  auto conflict = client.apply(config_map(e->ns, "ssa", "theirs"), {.field_manager = "mg-test-b"});
  INFO((conflict.ok() ? std::string("no conflict") : conflict.error().message));
  REQUIRE_FALSE(conflict.ok());
  CHECK(conflict.error().code == ErrorCode::Conflict);
  CHECK(conflict.error().message.find("mg-test-a") != std::string::npos);

  auto forced = client.apply(config_map(e->ns, "ssa", "theirs"), {.field_manager = "mg-test-b", .force = true});
  REQUIRE(forced.ok());
  CHECK(data_key(forced->object) == "theirs");

  auto no_manager = client.apply(config_map(e->ns, "ssa", "x"), {});
  REQUIRE_FALSE(no_manager.ok());
  CHECK(no_manager.error().terminal);
}

TEST_CASE("merge patch and JSON patch with test", "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  REQUIRE(client.create(config_map(e->ns, "patch", "v0")).ok());
  ObjectRef ref{.api_version = "v1", .kind = "ConfigMap", .namespace_name = e->ns, .name = "patch"};
  auto merged =
      client.patch(ref, PatchType::Merge, R"({"metadata":{"finalizers":["mg.test/keep"]},"data":{"key":"v1"}})");
  REQUIRE(merged.ok());
  CHECK(data_key(merged->object) == "v1");

  auto bad_test = client.patch(ref, PatchType::Json,
                               R"([{"op":"test","path":"/metadata/finalizers/0","value":"other"},
                                   {"op":"remove","path":"/metadata/finalizers/0"}])");
  REQUIRE_FALSE(bad_test.ok());
  CHECK(bad_test.error().code == ErrorCode::Invalid);

  auto removed = client.patch(ref, PatchType::Json,
                              R"([{"op":"test","path":"/metadata/finalizers/0","value":"mg.test/keep"},
                                  {"op":"remove","path":"/metadata/finalizers/0"}])");
  REQUIRE(removed.ok());
  CHECK(json::at_path(removed->object, "metadata.finalizers") == nullptr);

  auto strategic = client.patch(ref, PatchType::Strategic, R"({"data":{"key":"v2"}})");
  REQUIRE(strategic.ok());
  CHECK(data_key(strategic->object) == "v2");
}

TEST_CASE("list pages with limit and continue; list_all concatenates", "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  for (int i = 0; i < 5; ++i) {
    REQUIRE(client.create(config_map(e->ns, "page-" + std::to_string(i), "x", R"({"mg-test":"paging"})")).ok());
  }
  ObjectRef ref{.api_version = "v1", .kind = "ConfigMap", .namespace_name = e->ns};
  auto page = client.list(ref, {.label_selector = "mg-test=paging", .limit = 2});
  REQUIRE(page.ok());
  CHECK(page->items.size() == 2);
  CHECK_FALSE(page->continue_token.empty());
  CHECK_FALSE(page->resource_version.empty());
  CHECK(json::get_string(page->items[0], "kind") == "ConfigMap");
  CHECK(json::get_string(page->items[0], "apiVersion") == "v1");

  auto all = client.list_all(ref, {.label_selector = "mg-test=paging", .limit = 2});
  REQUIRE(all.ok());
  CHECK(all->items.size() == 5);
  CHECK(all->continue_token.empty());

  auto everywhere = client.list({.api_version = "v1", .kind = "ConfigMap"}, {.label_selector = "mg-test=paging"});
  REQUIRE(everywhere.ok());
  CHECK(everywhere->items.size() >= 5);
}

TEST_CASE("Pods listed as protobuf read as the same Pods in JSON; errors read as for JSON",
          "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  // Without the controller-manager nobody makes the default ServiceAccount that admission wants.
  auto sa = client.create(doc(R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"default",
    "namespace":")" + e->ns + R"("}})"));
  REQUIRE((sa.ok() || sa.error().reason == "AlreadyExists"));
  for (int i = 0; i < 3; ++i) {
    const std::string name = "pb-" + std::to_string(i);
    auto pod = doc(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name + R"(","namespace":")" + e->ns +
                   R"(","labels":{"mg-test":"protobuf","i":")" + std::to_string(i) + R"("}},
      "spec":{"nodeName":"node-)" +
                   std::to_string(i) + R"(","automountServiceAccountToken":false,
        "containers":[{"name":"c","image":"none","env":[{"name":"BIG","value":"x"}]}]}})");
    REQUIRE(client.create(pod).ok());
    auto status =
        doc(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name + R"(","namespace":")" + e->ns +
            R"("},"status":{"phase":"Running",
      "conditions":[{"type":"Ready","status":")" +
            (i == 0 ? "True" : "False") + R"("}],
      "containerStatuses":[{"name":"c","image":"none","imageID":"","ready":false,"restartCount":)" +
            std::to_string(i) + R"(,"state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off"}}}]}})");
    auto applied = client.apply_status(status, {.field_manager = "mg-test", .force = true});
    REQUIRE(applied.ok());
  }
  ObjectRef pods{.api_version = "v1", .kind = "Pod", .namespace_name = e->ns};
  auto full = client.list_all(pods, {.label_selector = "mg-test=protobuf"});
  REQUIRE(full.ok());
  // One Pod per page: the continue token comes through the protobuf list too.
  auto compact = client.list_all(pods, {.label_selector = "mg-test=protobuf", .limit = 1, .compact_pods = true});
  REQUIRE(compact.ok());
  REQUIRE(full->items.size() == 3);
  REQUIRE(compact->items.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(json::at_path(compact->items[i], "spec.containers") == nullptr);  // only what the views read
    const view::PodInfo info = view::pod_info(compact->items[i]);
    CHECK(info == view::pod_info(full->items[i]));
    CHECK(info.node == "node-" + std::to_string(i));
    CHECK(info.restarts == static_cast<int32_t>(i));
    CHECK(info.status == "CrashLoopBackOff");
    CHECK(info.labels.at("mg-test") == "protobuf");
    CHECK_FALSE(info.created.empty());
  }
  auto bad_json = client.list(pods, {.label_selector = "a b"});
  auto bad_protobuf = client.list(pods, {.label_selector = "a b", .compact_pods = true});
  REQUIRE_FALSE(bad_json.ok());
  REQUIRE_FALSE(bad_protobuf.ok());
  CHECK(bad_protobuf.error().code == bad_json.error().code);
  CHECK(bad_protobuf.error().message == bad_json.error().message);
}

TEST_CASE("watch sees added, modified and deleted objects and stops on request", "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  ObjectRef ref{.api_version = "v1", .kind = "ConfigMap", .namespace_name = e->ns};
  auto start = client.list(ref, {.label_selector = "mg-test=watch"});
  REQUIRE(start.ok());

  std::mutex mu;
  std::vector<std::string> seen;  // guarded by mu
  std::stop_source stop;
  Result<WatchEnd> end = WatchEnd{};
  std::thread watcher([&] {
    end = client.watch(
        ref, {.label_selector = "mg-test=watch", .resource_version = start->resource_version, .timeout_seconds = 60},
        [&](WatchEvent&& ev) {
          std::lock_guard<std::mutex> lock(mu);
          if (ev.type != WatchEventType::Bookmark) {
            seen.push_back(std::string(to_string(ev.type)) + " " + meta(ev.object, "name"));
          }
          return true;
        },
        stop.get_token());
  });
  REQUIRE(client.create(config_map(e->ns, "w", "1", R"({"mg-test":"watch"})")).ok());
  ObjectRef obj{.api_version = "v1", .kind = "ConfigMap", .namespace_name = e->ns, .name = "w"};
  REQUIRE(client.patch(obj, PatchType::Merge, R"({"data":{"key":"2"}})").ok());
  REQUIRE(client.remove(obj).ok());
  for (int i = 0; i < 100; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (seen.size() >= 3) break;
    }
    std::this_thread::sleep_for(50ms);
  }
  auto stop_at = std::chrono::steady_clock::now();
  stop.request_stop();
  watcher.join();
  CHECK(std::chrono::steady_clock::now() - stop_at < 3s);
  REQUIRE(end.ok());
  CHECK(end->stopped);
  CHECK_FALSE(end->resource_version.empty());
  std::lock_guard<std::mutex> lock(mu);
  CHECK(seen == std::vector<std::string>{"ADDED w", "MODIFIED w", "DELETED w"});
}

TEST_CASE("a watch the server ends returns the version to resume from", "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  ObjectRef ref{.api_version = "v1", .kind = "ConfigMap", .namespace_name = e->ns};
  auto start = client.list(ref);
  REQUIRE(start.ok());
  auto t0 = std::chrono::steady_clock::now();
  auto r = client.watch(ref, {.resource_version = start->resource_version, .timeout_seconds = 1},
                        [](WatchEvent&&) { return true; });
  REQUIRE(r.ok());
  CHECK_FALSE(r->stopped);
  CHECK_FALSE(r->resource_version.empty());
  CHECK(std::chrono::steady_clock::now() - t0 < 10s);
}

namespace {

struct RecordingSink : WatchSink {
  std::mutex mu;
  std::vector<std::string> log;  // guarded by mu
  size_t replaced_items = 0;     // guarded by mu

  void replace(std::vector<json::Document>&& items, const std::string& rv) override {
    std::lock_guard<std::mutex> lock(mu);
    replaced_items = items.size();
    log.push_back("replace " + std::to_string(items.size()) + (rv.empty() ? " no-rv" : ""));
  }
  void apply(WatchEvent&& ev) override {
    std::lock_guard<std::mutex> lock(mu);
    log.push_back(std::string(to_string(ev.type)) + " " + meta(ev.object, "name"));
  }
  size_t size() {
    std::lock_guard<std::mutex> lock(mu);
    return log.size();
  }
};

}  // namespace

TEST_CASE("Watcher lists, then delivers changes, until stopped", "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  REQUIRE(client.create(config_map(e->ns, "pre", "x", R"({"mg-test":"watcher"})")).ok());
  RecordingSink sink;
  WatcherOptions options;
  options.ref = {.api_version = "v1", .kind = "ConfigMap", .namespace_name = e->ns};
  options.label_selector = "mg-test=watcher";
  options.page_size = 1;
  options.min_watch_timeout = 2s;  // exercises resume after the server ends each watch
  Watcher watcher(client, options, sink);
  std::jthread runner([&](std::stop_token st) { watcher.run(st); });
  for (int i = 0; i < 100 && !watcher.synced(); ++i) std::this_thread::sleep_for(50ms);
  REQUIRE(watcher.synced());
  std::this_thread::sleep_for(2500ms);  // at least one server-side watch end and resume
  REQUIRE(client.create(config_map(e->ns, "post", "x", R"({"mg-test":"watcher"})")).ok());
  for (int i = 0; i < 100 && sink.size() < 2; ++i) std::this_thread::sleep_for(50ms);
  runner.request_stop();
  runner.join();
  std::lock_guard<std::mutex> lock(sink.mu);
  REQUIRE(sink.log.size() >= 2);
  CHECK(sink.log[0] == "replace 1");
  CHECK(sink.log[1] == "ADDED post");
  CHECK_FALSE(watcher.resource_version().empty());
}

namespace {

// The etcd client port of the plane under test, from $MG_CLUSTER_DIR/ports.env.
std::string etcd_url() {
  const char* dir = std::getenv("MG_CLUSTER_DIR");
  if (dir == nullptr) return {};
  std::ifstream in(std::string(dir) + "/ports.env");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("ETCD_PORT=", 0) == 0) return "http://127.0.0.1:" + line.substr(10);
  }
  return {};
}

// POSTs to etcd's JSON gateway with curl and returns the body.
std::string etcd_post(const std::string& path, const std::string& body) {
  std::string cmd = "curl -sS -X POST " + etcd_url() + path + " -d '" + body + "'";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    pclose(p);
  }
  return out;
}

// Compacts etcd's history up to its current revision: older resourceVersions become unreadable.
void compact_etcd() {
  auto range = json::parse_json(etcd_post("/v3/kv/range", R"({"key":"Lw=="})"), "etcd range");
  REQUIRE(range.ok());
  std::string revision = json::get_string((*range)["header"], "revision");
  REQUIRE_FALSE(revision.empty());
  std::string out = etcd_post("/v3/kv/compaction", R"({"revision":")" + revision + R"(","physical":true})");
  INFO(out);
  REQUIRE(out.find("error") == std::string::npos);
}

}  // namespace

TEST_CASE("1,000 objects page through limit/continue; after etcd compaction a watch from an old version gets 410 "
          "and the Watcher relists",
          "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  REQUIRE_FALSE(etcd_url().empty());
  ObjectRef ref{.api_version = "v1", .kind = "ConfigMap", .namespace_name = e->ns};
  auto before = client.list(ref, {.label_selector = "mg-test=many"});
  REQUIRE(before.ok());
  const std::string old_version = before->resource_version;

  constexpr int kObjects = 1000;
  std::vector<std::jthread> writers;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&, t] {
      for (int i = t; i < kObjects; i += 8) {
        if (!client.create(config_map(e->ns, "many-" + std::to_string(i), "x", R"({"mg-test":"many"})")).ok()) {
          ++failures;
        }
      }
    });
  }
  writers.clear();  // joins
  REQUIRE(failures == 0);

  // Page by hand: 100 per page, one snapshot, continue tokens until the end.
  size_t seen = 0, pages = 0;
  std::string token;
  do {
    auto page = client.list(ref, {.label_selector = "mg-test=many", .limit = 100, .continue_token = token});
    REQUIRE(page.ok());
    CHECK(page->items.size() <= 100);
    seen += page->items.size();
    ++pages;
    token = page->continue_token;
  } while (!token.empty());
  CHECK(seen == kObjects);
  CHECK(pages >= 10);  // from etcd a label-selected list may end with an empty page
  auto all = client.list_all(ref, {.label_selector = "mg-test=many", .limit = 128});
  REQUIRE(all.ok());
  CHECK(all->items.size() == kObjects);

  compact_etcd();
  auto stale = client.watch(ref, {.resource_version = old_version, .timeout_seconds = 5},
                            [](WatchEvent&&) { return true; });
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().code == ErrorCode::Gone);

  RecordingSink sink;
  WatcherOptions options;
  options.ref = ref;
  options.label_selector = "mg-test=many";
  options.resume_from = old_version;  // too old: the watcher must get 410 and relist
  Watcher watcher(client, options, sink);
  std::jthread runner([&](std::stop_token st) { watcher.run(st); });
  for (int i = 0; i < 300 && sink.size() == 0; ++i) std::this_thread::sleep_for(50ms);
  runner.request_stop();
  runner.join();
  std::lock_guard<std::mutex> lock(sink.mu);
  REQUIRE_FALSE(sink.log.empty());
  CHECK(sink.log[0] == "replace 1000");
}

TEST_CASE("a CRD's kind is found once installed; status is applied through /status", "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  std::string group = "kc" + random_suffix() + ".mg.test";
  auto crd = doc(R"({"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
    "metadata":{"name":"widgets.)" +
                 group + R"("},
    "spec":{"group":")" +
                 group + R"(","scope":"Namespaced",
      "names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList"},
      "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
        "schema":{"openAPIV3Schema":{"type":"object","properties":{
          "spec":{"type":"object","properties":{"size":{"type":"integer","minimum":1}}},
          "status":{"type":"object","properties":{"ready":{"type":"boolean"}}}}}}}]}})");
  REQUIRE(client.apply(crd, {.field_manager = "mg-test", .force = true}).ok());
  std::string api_version = group + "/v1";
  Result<ApiResource> found = make_error(ErrorCode::NotFound, "not yet");
  for (int i = 0; i < 60 && !found.ok(); ++i) {
    std::this_thread::sleep_for(200ms);
    found = client.resolve({.api_version = api_version, .kind = "Widget"});
  }
  REQUIRE(found.ok());
  CHECK(found->has_subresource("status"));

  // The new resource's watch cache starts at the current version, so "1" is too old: an ERROR event
  // with code 410 (a built-in kind in a fresh cluster would still have version 1 in its cache).
  auto too_old = client.watch({.api_version = api_version, .kind = "Widget", .namespace_name = e->ns},
                              {.resource_version = "1", .timeout_seconds = 10}, [](WatchEvent&&) { return true; });
  REQUIRE_FALSE(too_old.ok());
  CHECK(too_old.error().code == ErrorCode::Gone);
  CHECK(too_old.error().message.find("410 Expired") != std::string::npos);

  auto widget = [&](const std::string& body) {
    return doc(R"({"apiVersion":")" + api_version + R"(","kind":"Widget","metadata":{"name":"w1","namespace":")" +
               e->ns + R"("},)" + body + "}");
  };
  // The CRD may take a moment to serve writes after discovery lists it.
  Result<ObjectReply> applied = make_error(ErrorCode::NotFound, "not yet");
  for (int i = 0; i < 50; ++i) {
    applied = client.apply(widget(R"("spec":{"size":3})"), {.field_manager = "mg-test", .force = true});
    if (applied.ok() || applied.error().code != ErrorCode::NotFound) break;
    std::this_thread::sleep_for(200ms);
  }
  REQUIRE(applied.ok());
  CHECK(json::at_path(applied->object, "status") == nullptr);  // the main resource ignores status

  auto status = client.apply_status(widget(R"("status":{"ready":true})"), {.field_manager = "mg-test", .force = true});
  REQUIRE(status.ok());
  const json::Value* ready = json::at_path(status->object, "status.ready");
  REQUIRE(ready != nullptr);
  CHECK(ready->GetBool());

  auto invalid = client.apply(widget(R"("spec":{"size":0})"), {.field_manager = "mg-test", .force = true});
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.error().code == ErrorCode::Invalid);
  CHECK(invalid.error().message.find("spec.size") != std::string::npos);

  auto merge_on_crd =
      client.patch({.api_version = api_version, .kind = "Widget", .namespace_name = e->ns, .name = "w1"},
                   PatchType::Strategic, R"({"spec":{"size":4}})");
  REQUIRE_FALSE(merge_on_crd.ok());
  CHECK(merge_on_crd.error().code == ErrorCode::Invalid);  // 415: no strategic merge on CRDs

  (void)client.remove(
      {.api_version = "apiextensions.k8s.io/v1", .kind = "CustomResourceDefinition", .name = "widgets." + group});
}

TEST_CASE("token file, exec plugin and bad tokens authenticate as expected", "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  // A service account with no RBAC: authenticated (403 on a list), not anonymous (401).
  REQUIRE(client
              .create(doc(R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"kc","namespace":")" +
                          e->ns + R"("}})"))
              .ok());
  auto token_request =
      client.send({.method = "POST",
                   .path = "/api/v1/namespaces/" + e->ns + "/serviceaccounts/kc/token",
                   .body = R"({"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}})",
                   .content_type = "application/json"});
  REQUIRE(token_request.ok());
  auto tr = doc(token_request->body);
  std::string token = json::at_path(tr, "status.token")->GetString();

  char token_path[] = "/tmp/mg-kc-token-XXXXXX";
  int fd = ::mkstemp(token_path);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, token.data(), token.size()) == static_cast<ssize_t>(token.size()));
  ::close(fd);

  ObjectRef secrets{.api_version = "v1", .kind = "Secret", .namespace_name = e->ns};
  auto try_list = [&](const std::string& user_yaml, const std::string& cluster_extra = "") {
    std::string kc = write_kubeconfig(client.config(), user_yaml, cluster_extra);
    auto c = connect({.kubeconfig_path = kc});
    ::unlink(kc.c_str());
    REQUIRE(c.ok());
    return (*c)->list(secrets);
  };

  auto by_file = try_list("    tokenFile: " + std::string(token_path) + "\n");
  REQUIRE_FALSE(by_file.ok());
  CHECK(by_file.error().code == ErrorCode::Forbidden);
  CHECK(by_file.error().message.find("system:serviceaccount:" + e->ns + ":kc") != std::string::npos);

  std::string cred = R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":")" +
                     token + R"("}})";
  auto by_exec = try_list(
      "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: sh\n"
      "      args: [-c, 'cat \"$MG_CRED\"']\n      interactiveMode: Never\n"
      "      env: [{name: MG_CRED, value: " +
      std::string(token_path) + ".json}]\n");
  // The .json file does not exist yet: the plugin fails.
  REQUIRE_FALSE(by_exec.ok());
  CHECK(by_exec.error().code == ErrorCode::Unauthorized);
  {
    std::ofstream out(std::string(token_path) + ".json");
    out << cred;
  }
  auto by_exec_ok = try_list(
      "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: sh\n"
      "      args: [-c, 'cat \"$MG_CRED\"']\n      interactiveMode: Never\n"
      "      env: [{name: MG_CRED, value: " +
      std::string(token_path) + ".json}]\n");
  REQUIRE_FALSE(by_exec_ok.ok());
  CHECK(by_exec_ok.error().code == ErrorCode::Forbidden);

  // A plugin whose first credential is rejected: the 401 makes the client run it again, once.
  std::string script = std::string(token_path) + ".sh";
  {
    std::ofstream out(script);
    out << "#!/bin/sh\nif [ -e \"$0.ran\" ]; then cat \"" << token_path << ".json\"; else touch \"$0.ran\"; "
        << "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
        << "\"status\":{\"token\":\"stale\"}}'; fi\n";
  }
  ::chmod(script.c_str(), 0700);
  auto refreshed = try_list("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: " + script +
                            "\n      interactiveMode: Never\n");
  REQUIRE_FALSE(refreshed.ok());
  CHECK(refreshed.error().code == ErrorCode::Forbidden);  // the second, good token got through
  ::unlink(script.c_str());
  ::unlink((script + ".ran").c_str());

  auto bad = try_list("    token: not-a-valid-token\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::Unauthorized);

  // tls-server-name: the serving certificate names kubernetes.default, not wrong.example.
  auto right_name = try_list("    token: " + token + "\n", "    tls-server-name: kubernetes.default\n");
  REQUIRE_FALSE(right_name.ok());
  CHECK(right_name.error().code == ErrorCode::Forbidden);
  auto wrong_name = try_list("    token: " + token + "\n", "    tls-server-name: wrong.example\n");
  REQUIRE_FALSE(wrong_name.ok());
  CHECK(wrong_name.error().code == ErrorCode::Internal);  // certificate verification failed

  ::unlink(token_path);
  ::unlink((std::string(token_path) + ".json").c_str());
}

TEST_CASE("a client certificate authenticates: the server sees the certificate's subject", "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  // The plane's admin kubeconfig carries client-certificate-data (CN=mg-admin, O=system:masters).
  auto review = client.create(doc(R"({"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"})"));
  REQUIRE(review.ok());
  const auto* user = json::at_path(review->object, "status.userInfo");
  REQUIRE(user != nullptr);
  CHECK(json::get_string(*user, "username") == "mg-admin");
  bool masters = false;
  for (const auto& g : (*user)["groups"].GetArray()) masters |= std::string(g.GetString()) == "system:masters";
  CHECK(masters);
}

TEST_CASE("TLS verification is on: no CA, no connection", "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  RestConfig config = client.config();
  config.ca_pem.clear();
  Client untrusting(config, ClientOptions{.retry = {.max_attempts = 1}});
  auto r = untrusting.get({.api_version = "v1", .kind = "Namespace", .name = "default"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("certificate") != std::string::npos);
}

TEST_CASE("many threads share one client", "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  REQUIRE(client.apply(config_map(e->ns, "shared", "x"), {.field_manager = "mg-test"}).ok());
  std::vector<json::Document> objects;  // built here: Catch assertions are not thread-safe
  for (int t = 0; t < 8; ++t) objects.push_back(config_map(e->ns, "shared-" + std::to_string(t), "v"));
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        auto r = (t % 2 == 0)
                     ? client.get({.api_version = "v1", .kind = "ConfigMap", .namespace_name = e->ns, .name = "shared"})
                     : client.apply(objects[static_cast<size_t>(t)], {.field_manager = "mg-test"});
        if (r.ok()) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(ok == 160);
}

TEST_CASE("an exception thrown by a watch handler comes out of watch()", "[integration][kube-client]") {
  REQUIRE_CLUSTER();
  REQUIRE(client.apply(config_map(e->ns, "throws", "x"), {.field_manager = "mg-test"}).ok());
  ObjectRef ref{.api_version = "v1", .kind = "ConfigMap", .namespace_name = e->ns};
  // resourceVersion "0": the watch starts with ADDED events for what exists.
  CHECK_THROWS_WITH(client.watch(ref, {.resource_version = "0", .timeout_seconds = 10},
                                 [](WatchEvent&&) -> bool { throw std::runtime_error("handler bug"); }),
                    "handler bug");
  // The client is still usable afterwards.
  CHECK(client.get({.api_version = "v1", .kind = "ConfigMap", .namespace_name = e->ns, .name = "throws"}).ok());
}
