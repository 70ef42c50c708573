// common/topo/etcd.cpp
#include "common/topo/etcd.hpp"

#include <cstdlib>

#include "common/kube/encoding.hpp"
#include "common/kube/http.hpp"
#include "common/util/json.hpp"

namespace mg::topo {
namespace {

std::string base_url(const std::string& endpoint, bool tls) {
  std::string url = endpoint.find("://") == std::string::npos ? (tls ? "https://" : "http://") + endpoint : endpoint;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

//! etcd's JSON gateway writes int64 as strings and leaves out zero values.
int64_t int_field(const json::Value& v, const char* name) {
  const json::Value* f = json::find(v, name);
  if (f == nullptr) return 0;
  if (f->IsString()) return std::strtoll(f->GetString(), nullptr, 10);
  return f->IsInt64() ? f->GetInt64() : 0;
}

Result<std::string> bytes_field(const json::Value& v, const char* name) {
  const json::Value* f = json::find(v, name);
  if (f == nullptr || !f->IsString()) return std::string();
  return kube::base64_decode(f->GetString());
}

const char* target_name(Compare::Target t) {
  switch (t) {
    case Compare::Target::Version:
      return "VERSION";
    case Compare::Target::ModRevision:
      return "MOD";
    case Compare::Target::Value:
      return "VALUE";
  }
  return "VERSION";
}

json::Value compare_json(const Compare& c, json::Allocator& a) {
  json::Value out(rapidjson::kObjectType);
  out.AddMember("key", json::str(kube::base64_encode(c.key), a), a);
  out.AddMember("target", json::str(target_name(c.target), a), a);
  out.AddMember("result", "EQUAL", a);
  switch (c.target) {
    case Compare::Target::Version:
      out.AddMember("version", json::str(std::to_string(c.number), a), a);
      break;
    case Compare::Target::ModRevision:
      out.AddMember("mod_revision", json::str(std::to_string(c.number), a), a);
      break;
    case Compare::Target::Value:
      out.AddMember("value", json::str(kube::base64_encode(c.value), a), a);
      break;
  }
  return out;
}

json::Value operation_json(const Operation& op, json::Allocator& a) {
  json::Value request(rapidjson::kObjectType);
  request.AddMember("key", json::str(kube::base64_encode(op.key), a), a);
  json::Value out(rapidjson::kObjectType);
  if (op.value) {
    request.AddMember("value", json::str(kube::base64_encode(*op.value), a), a);
    out.AddMember("request_put", request, a);
  } else {
    out.AddMember("request_delete_range", request, a);
  }
  return out;
}

Result<KeyValue> decode_kv(const json::Value& v) {
  auto key = bytes_field(v, "key");
  if (!key.ok()) return key.error();
  auto value = bytes_field(v, "value");
  if (!value.ok()) return value.error();
  return KeyValue{*key, *value, int_field(v, "mod_revision"), int_field(v, "version")};
}

}  // namespace

std::string prefix_end(const std::string& prefix) {
  std::string end = prefix;
  while (!end.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(end.back());
    if (last < 0xff) {
      ++last;
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0');  // every key
}

EtcdClient::EtcdClient(EtcdOptions options)
    : options_(std::move(options)),
      http_(std::make_unique<kube::HttpTransport>(kube::TransportOptions{.ca_pem = options_.ca_pem,
                                                                         .user_agent = "multigres-operator",
                                                                         .connect_timeout = options_.timeout,
                                                                         .max_idle_connections = 2})) {}

EtcdClient::~EtcdClient() = default;

Result<std::string> EtcdClient::post(const std::string& path, const std::string& body) {
  if (options_.endpoints.empty()) return make_invalid("no etcd endpoint configured");
  const bool tls = !options_.ca_pem.empty() || !options_.cert_pem.empty();
  std::string failures;
  for (const auto& endpoint : options_.endpoints) {
    kube::HttpRequest request;
    request.method = "POST";
    request.url = base_url(endpoint, tls) + path;
    request.headers.push_back({"Content-Type", "application/json"});
    request.body = body;
    request.client_cert_pem = options_.cert_pem;
    request.client_key_pem = options_.key_pem;
    request.timeout = options_.timeout;
    kube::HttpResponse reply = http_->perform(request);
    if (reply.failure == kube::AttemptFailure::None && reply.status == 200) return std::move(reply.body);
    if (reply.failure == kube::AttemptFailure::None) {
      // etcd answered and refused: another endpoint of the same cluster will say the same.
      return make_error(
          reply.status == 401 || reply.status == 403 ? ErrorCode::Forbidden : ErrorCode::Transient,
          "etcd " + endpoint + " answered " + std::to_string(reply.status) + ": " + reply.body.substr(0, 300));
    }
    if (!failures.empty()) failures += "; ";
    failures += endpoint + ": " + reply.failure_message;
  }
  return make_error(ErrorCode::Transient, "etcd unreachable (" + failures + ")");
}

Result<std::optional<KeyValue>> EtcdClient::get(const std::string& key) {
  json::Document body(rapidjson::kObjectType);
  body.AddMember("key", json::str(kube::base64_encode(key), body.GetAllocator()), body.GetAllocator());
  auto reply = post("/v3/kv/range", json::to_json(body));
  if (!reply.ok()) return reply.error().with_context("reading " + key);
  auto doc = json::parse_json(*reply, "etcd range reply", json::kServerLimits);
  if (!doc.ok()) return doc.error();
  const json::Value* kvs = json::find(*doc, "kvs");
  if (kvs == nullptr || !kvs->IsArray() || kvs->Empty()) return std::optional<KeyValue>();
  auto kv = decode_kv((*kvs)[0]);
  if (!kv.ok()) return kv.error().with_context("decoding " + key);
  return std::optional<KeyValue>(std::move(*kv));
}

Result<std::vector<KeyValue>> EtcdClient::list(const std::string& prefix) {
  json::Document body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  body.AddMember("key", json::str(kube::base64_encode(prefix), a), a);
  body.AddMember("range_end", json::str(kube::base64_encode(prefix_end(prefix)), a), a);
  auto reply = post("/v3/kv/range", json::to_json(body));
  if (!reply.ok()) return reply.error().with_context("listing " + prefix);
  auto doc = json::parse_json(*reply, "etcd range reply", json::kServerLimits);
  if (!doc.ok()) return doc.error();
  std::vector<KeyValue> out;
  const json::Value* kvs = json::find(*doc, "kvs");
  if (kvs == nullptr || !kvs->IsArray()) return out;
  for (const auto& item : kvs->GetArray()) {
    auto kv = decode_kv(item);
    if (!kv.ok()) return kv.error().with_context("decoding a key under " + prefix);
    out.push_back(std::move(*kv));
  }
  return out;
}

Result<bool> EtcdClient::transact(const std::vector<Compare>& when, const std::vector<Operation>& then) {
  json::Document body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  json::Value compares(rapidjson::kArrayType);
  for (const auto& c : when) compares.PushBack(compare_json(c, a), a);
  json::Value success(rapidjson::kArrayType);
  for (const auto& op : then) success.PushBack(operation_json(op, a), a);
  body.AddMember("compare", compares, a);
  body.AddMember("success", success, a);
  auto reply = post("/v3/kv/txn", json::to_json(body));
  if (!reply.ok())
    return reply.error().with_context("writing " + (then.empty() ? std::string("nothing") : then.front().key));
  auto doc = json::parse_json(*reply, "etcd txn reply", json::kServerLimits);
  if (!doc.ok()) return doc.error();
  const json::Value* ok = json::find(*doc, "succeeded");
  return ok != nullptr && ok->IsBool() && ok->GetBool();
}

Result<int64_t> EtcdClient::revision() {
  // A range over an unlikely key still carries the store's header.
  auto reply = post("/v3/kv/range", R"({"key":"AA=="})");
  if (!reply.ok()) return reply.error();
  auto doc = json::parse_json(*reply, "etcd range reply", json::kServerLimits);
  if (!doc.ok()) return doc.error();
  const json::Value* header = json::find(*doc, "header");
  if (header == nullptr) return make_error(ErrorCode::Internal, "etcd reply without a header");
  return int_field(*header, "revision");
}

}  // namespace mg::topo
