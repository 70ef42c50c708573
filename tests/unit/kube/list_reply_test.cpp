// tests/unit/kube/list_reply_test.cpp: List bodies to items, version and continue token.
#include <catch2/catch.hpp>

#include "common/kube/client.hpp"

using namespace mg;
using namespace mg::kube;

TEST_CASE("a list page gives items with apiVersion and kind, the version and the continue token", "[kube]") {
  auto reply = parse_list_reply(R"({"kind":"ConfigMapList","apiVersion":"v1",
    "metadata":{"resourceVersion":"777","continue":"tok","remainingItemCount":3},
    "items":[{"metadata":{"name":"a","namespace":"n"},"data":{"k":"v"}},
             {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}]})");
  REQUIRE(reply.ok());
  CHECK(reply->resource_version == "777");
  CHECK(reply->continue_token == "tok");
  REQUIRE(reply->remaining_item_count);
  CHECK(*reply->remaining_item_count == 3);
  REQUIRE(reply->items.size() == 2);
  CHECK(json::to_json(reply->items[0]) ==
        R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"n"},"data":{"k":"v"}})");
  CHECK(json::to_json(reply->items[1]) == R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}})");
}

TEST_CASE("an empty list and bad bodies", "[kube]") {
  auto empty =
      parse_list_reply(R"({"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"5"},"items":null})");
  REQUIRE(empty.ok());
  CHECK(empty->items.empty());
  CHECK(empty->continue_token.empty());
  CHECK_FALSE(empty->remaining_item_count);
  CHECK_FALSE(parse_list_reply("[]").ok());
  CHECK_FALSE(parse_list_reply(R"({"items":{}})").ok());
  CHECK_FALSE(parse_list_reply("nope").ok());
}

TEST_CASE("ObjectRef from an object, and its description", "[kube]") {
  auto obj = json::parse_json(
      R"({"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"pool","namespace":"db"}})", "t");
  REQUIRE(obj.ok());
  ObjectRef ref = ObjectRef::of(*obj);
  CHECK(ref.api_version == "apps/v1");
  CHECK(ref.kind == "StatefulSet");
  CHECK(ref.namespace_name == "db");
  CHECK(ref.name == "pool");
  CHECK(ref.describe() == "apps/v1 StatefulSet db/pool");
  ObjectRef nodes{.api_version = "v1", .resource = "nodes"};
  CHECK(nodes.describe() == "v1 nodes");
  ObjectRef status{.api_version = "v1", .kind = "Pod", .namespace_name = "n", .name = "p", .subresource = "status"};
  CHECK(status.describe() == "v1 Pod n/p (status)");
}
