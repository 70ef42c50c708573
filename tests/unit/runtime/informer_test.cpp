// tests/unit/runtime/informer_test.cpp
#include <catch2/catch.hpp>

#include "operator/runtime/informer.hpp"

using namespace mg;
using namespace mg::runtime;

namespace {

json::Document object(const std::string& ns, const std::string& name, const std::string& rv,
                      const std::string& owner_uid = "") {
  std::string owners = owner_uid.empty() ? "" : R"(,"ownerReferences":[{"apiVersion":"v1","kind":"Shard","name":"s","uid":")" +
                                                     owner_uid + R"(","controller":true}])";
  return std::move(json::parse_json(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"namespace":")" + ns +
                                        R"(","name":")" + name + R"(","resourceVersion":")" + rv +
                                        R"(","managedFields":[{"manager":"x"}])" + owners + "}}",
                                    "test")
                       .value());
}

kube::WatchEvent event(kube::WatchEventType type, json::Document doc) {
  kube::WatchEvent e;
  e.type = type;
  e.object = std::move(doc);
  return e;
}

}  // namespace

TEST_CASE("informer: cache, owner index, handlers and relist", "[runtime]") {
  const bool as_text = GENERATE(false, true);
  CAPTURE(as_text);
  kube::Client client(kube::RestConfig{});  // never used: events are fed by hand
  Informer informer(client, kube::WatcherOptions{}, Trim{.as_text = as_text});
  std::vector<std::string> seen;
  informer.add_handler([&](const json::Value& o) { seen.push_back(object_key(o)); });

  std::vector<json::Document> first;
  first.push_back(object("a", "one", "1", "uid-1"));
  first.push_back(object("b", "two", "1"));
  informer.replace(std::move(first), "10");
  CHECK(informer.synced());
  CHECK(seen == std::vector<std::string>{"a/one", "b/two"});
  REQUIRE(informer.get("a", "one"));
  CHECK(json::at_path(*informer.get("a", "one"), "metadata.managedFields") == nullptr);
  CHECK(informer.owned_by("uid-1").size() == 1);
  CHECK(informer.keys_owned_by("uid-1") == std::vector<std::string>{"a/one"});
  CHECK(informer.contains("a", "one"));
  CHECK_FALSE(informer.contains("a", "two"));
  CHECK(informer.list("a").size() == 1);
  CHECK(informer.list().size() == 2);

  seen.clear();
  informer.apply(event(kube::WatchEventType::Modified, object("a", "one", "2", "uid-2")));
  CHECK(informer.owned_by("uid-1").empty());
  CHECK(informer.owned_by("uid-2").size() == 1);
  informer.apply(event(kube::WatchEventType::Deleted, object("b", "two", "3")));
  CHECK_FALSE(informer.get("b", "two"));
  CHECK(seen == std::vector<std::string>{"a/one", "b/two"});

  // A relist reports only what changed while nobody watched: a/one unchanged, c/three new, none gone.
  seen.clear();
  std::vector<json::Document> again;
  again.push_back(object("a", "one", "2", "uid-2"));
  again.push_back(object("c", "three", "5"));
  informer.replace(std::move(again), "20");
  CHECK(seen == std::vector<std::string>{"c/three"});
  CHECK(informer.size() == 2);
  // Either form reads back what was stored, less managedFields.
  CHECK(json::to_json(*informer.get("a", "one")) ==
        R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"namespace":"a","name":"one","resourceVersion":"2",)"
        R"("ownerReferences":[{"apiVersion":"v1","kind":"Shard","name":"s","uid":"uid-2","controller":true}]}})");

  // A relist without an object reports it gone, with its last state.
  seen.clear();
  std::vector<json::Document> last;
  last.push_back(object("a", "one", "2", "uid-2"));
  informer.replace(std::move(last), "30");
  CHECK(seen == std::vector<std::string>{"c/three"});
  CHECK_FALSE(informer.get("c", "three"));
  CHECK(informer.owned_by("uid-2").size() == 1);

  // Readers at the same time share one object; a reader's object stays as it was when the cache moves on.
  ObjectPtr held = informer.get("a", "one");
  CHECK(informer.get("a", "one") == held);
  CHECK(informer.owned_by("uid-2").front() == held);
  informer.apply(event(kube::WatchEventType::Modified, object("a", "one", "7", "uid-2")));
  CHECK(json::string_at(*held, "metadata.resourceVersion") == "2");
  CHECK(json::string_at(*informer.get("a", "one"), "metadata.resourceVersion") == "7");
}

TEST_CASE("informer: keys and controller references", "[runtime]") {
  auto o = object("ns", "x", "1", "u");
  CHECK(object_key(o) == "ns/x");
  CHECK(split_key("ns/x") == std::pair<std::string, std::string>{"ns", "x"});
  CHECK(split_key("cluster-scoped") == std::pair<std::string, std::string>{"", "cluster-scoped"});
  CHECK(join_key("ns", "x") == "ns/x");
  CHECK(join_key("", "cluster-scoped") == "cluster-scoped");
  REQUIRE(controller_of(o) != nullptr);
  CHECK(json::get_string(*controller_of(o), "kind") == "Shard");
}

TEST_CASE("informer: unread fields are never cached, in lists and in events", "[runtime]") {
  const bool as_text = GENERATE(false, true);
  CAPTURE(as_text);
  kube::Client client(kube::RestConfig{});  // never used: events are fed by hand
  Informer informer(client, kube::WatcherOptions{}, Trim{.unread_fields = {"data"}, .as_text = as_text});
  auto with_data = [](const std::string& name, const std::string& rv) {
    json::Document doc = object("a", name, rv);
    json::set(doc, "data", json::Value(rapidjson::kObjectType), doc.GetAllocator());
    return doc;
  };
  std::vector<json::Document> first;
  first.push_back(with_data("listed", "1"));
  informer.replace(std::move(first), "10");
  informer.apply(event(kube::WatchEventType::Added, with_data("watched", "11")));
  for (const char* name : {"listed", "watched"}) {
    REQUIRE(informer.get("a", name));
    CHECK(json::find(*informer.get("a", name), "data") == nullptr);
    CHECK(json::string_at(*informer.get("a", name), "metadata.name") == name);
  }
}

TEST_CASE("informer: an object with the keep-whole label keeps its unread fields", "[runtime]") {
  kube::Client client(kube::RestConfig{});  // never used: events are fed by hand
  Informer informer(
      client, kube::WatcherOptions{},
      Trim{.unread_fields = {"data"}, .whole_label = "app.kubernetes.io/managed-by", .whole_value = "us"});
  auto secret = [](const std::string& name, const std::string& manager) {
    json::Document doc = object("a", name, "1");
    auto& a = doc.GetAllocator();
    json::Value data(rapidjson::kObjectType);
    json::set(data, "k", json::str("dg==", a), a);
    json::set(doc, "data", std::move(data), a);
    json::Value labels(rapidjson::kObjectType);
    json::set(labels, "app.kubernetes.io/managed-by", json::str(manager, a), a);
    json::set(doc["metadata"], "labels", std::move(labels), a);
    return doc;
  };
  informer.apply(event(kube::WatchEventType::Added, secret("ours", "us")));
  informer.apply(event(kube::WatchEventType::Added, secret("theirs", "helm")));
  CHECK(json::find(*informer.get("a", "ours"), "data") != nullptr);
  CHECK(json::find(*informer.get("a", "theirs"), "data") == nullptr);
  // managedFields go either way.
  CHECK(json::at_path(*informer.get("a", "ours"), "metadata.managedFields") == nullptr);
}
