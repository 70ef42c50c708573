// common/kube/client_read.cpp: get, list, list_all.
#include "common/kube/client.hpp"
#include "common/kube/pod_list_protobuf.hpp"

namespace mg::kube {
namespace {

constexpr int64_t kDefaultPageSize = 500;

}  // namespace

Result<ListReply> parse_list_reply(std::string_view body) {
  auto doc = json::parse_json(body, "list response", json::kServerLimits);
  if (!doc.ok()) return doc.error();
  if (!doc->IsObject()) return make_error(ErrorCode::Invalid, "list response: not a JSON object");
  ListReply out;
  std::string api_version = json::get_string(*doc, "apiVersion");
  std::string kind = json::get_string(*doc, "kind");
  if (kind.size() > 4 && kind.ends_with("List")) kind.resize(kind.size() - 4);
  if (const json::Value* meta = json::find(*doc, "metadata")) {
    out.resource_version = json::get_string(*meta, "resourceVersion");
    out.continue_token = json::get_string(*meta, "continue");
    if (const json::Value* rem = json::find(*meta, "remainingItemCount"); rem != nullptr && rem->IsInt64()) {
      out.remaining_item_count = rem->GetInt64();
    }
  }
  const json::Value* items = json::find(*doc, "items");
  if (items == nullptr || items->IsNull()) return out;
  if (!items->IsArray()) return make_error(ErrorCode::Invalid, "list response: items is not a list");
  out.items.reserve(items->Size());
  for (const auto& item : items->GetArray()) {
    json::Document copy = json::clone(item);
    auto& a = copy.GetAllocator();
    if (copy.IsObject() && json::find(copy, "kind") == nullptr && !kind.empty()) {
      // Keep apiVersion and kind first, as the server writes single objects.
      json::Value ordered(rapidjson::kObjectType);
      ordered.AddMember("apiVersion", json::str(api_version, a), a);
      ordered.AddMember("kind", json::str(kind, a), a);
      for (auto& m : copy.GetObject()) {
        if (m.name == "apiVersion") continue;
        ordered.AddMember(m.name, m.value, a);
      }
      static_cast<json::Value&>(copy).Swap(ordered);
    }
    out.items.push_back(std::move(copy));
  }
  return out;
}

Result<ObjectReply> Client::object_call(const std::string& what, RawRequest request) {
  auto r = send(request);
  if (!r.ok()) return r.error().with_context(what);
  ObjectReply out;
  auto doc = json::parse_json(r->body, "response", json::kServerLimits);
  if (!doc.ok()) return doc.error().with_context(what);
  out.object = std::move(doc).value();
  out.warnings = std::move(r->warnings);
  out.http_status = r->status;
  return out;
}

Result<ObjectReply> Client::get(const ObjectRef& ref) {
  auto res = resolve(ref);
  if (!res.ok()) return res.error().with_context("getting " + ref.describe());
  return object_call("getting " + ref.describe(),
                     get_request(*res, namespace_for(*res, ref), ref.name, ref.subresource));
}

Result<ListReply> Client::list(const ObjectRef& ref, const ListOptions& options) {
  std::string what = "listing " + ref.describe();
  auto res = resolve(ref);
  if (!res.ok()) return res.error().with_context(what);
  std::string ns = res->namespaced ? ref.namespace_name : std::string();
  RawRequest request = list_request(*res, ns, options);
  const bool protobuf = options.compact_pods && res->group.empty() && res->kind == "Pod";
  if (protobuf) request.accept = kProtobufMediaType;
  auto r = send(request);
  if (!r.ok() && protobuf && !r.error().reason.empty()) {
    // The server's error reply is protobuf too: ask again as JSON so that its message reads as for any
    // list. A failure without a reply (no connection) is not tried twice.
    ListOptions json_options = options;
    json_options.compact_pods = false;
    return list(ref, json_options);
  }
  if (!r.ok()) return r.error().with_context(what);
  auto reply = protobuf ? parse_pod_list_protobuf(r->body) : parse_list_reply(r->body);
  if (!reply.ok()) return reply.error().with_context(what);
  reply->warnings = std::move(r->warnings);
  return reply;
}

Result<ListReply> Client::list_all(const ObjectRef& ref, ListOptions options) {
  if (options.limit <= 0) options.limit = kDefaultPageSize;
  options.continue_token.clear();
  ListReply all;
  bool first = true;
  while (true) {
    auto page = list(ref, options);
    if (!page.ok()) {
      if (page.error().code == ErrorCode::Gone && !first) {
        // The continue token expired (~5 minutes): start over in one unpaged request.
        ListOptions whole = options;
        whole.limit = 0;
        whole.continue_token.clear();
        return list(ref, whole);
      }
      return page.error();
    }
    if (first) all.resource_version = page->resource_version;
    first = false;
    for (auto& item : page->items) all.items.push_back(std::move(item));
    for (auto& w : page->warnings) all.warnings.push_back(std::move(w));
    if (page->continue_token.empty()) return all;
    options.continue_token = page->continue_token;
  }
}

}  // namespace mg::kube
