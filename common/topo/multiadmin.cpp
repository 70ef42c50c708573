// common/topo/multiadmin.cpp
#include "common/topo/multiadmin.hpp"

#include "common/kube/encoding.hpp"
#include "common/kube/http.hpp"
#include "common/util/json.hpp"

namespace mg::topo {

Multiadmin::Multiadmin(std::chrono::milliseconds timeout)
    : timeout_(timeout),
      http_(std::make_unique<kube::HttpTransport>(kube::TransportOptions{
          .user_agent = "multigres-operator", .connect_timeout = timeout, .max_idle_handles = 2})) {}

Multiadmin::~Multiadmin() = default;

std::string Multiadmin::switch_primary_url(const std::string& address, const std::string& database,
                                           const std::string& table_group, const std::string& shard) {
  std::string base = address.find("://") == std::string::npos ? "http://" + address : address;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/api/v1/shards/" + kube::percent_encode(database) + "/" + kube::percent_encode(table_group) + "/" +
         kube::percent_encode(shard) + "/switch-primary";
}

Result<void> Multiadmin::switch_primary(const std::string& address, const std::string& database,
                                        const std::string& table_group, const std::string& shard,
                                        const std::string& reason) {
  json::Document body(rapidjson::kObjectType);
  body.AddMember("reason", json::str(reason, body.GetAllocator()), body.GetAllocator());
  kube::HttpRequest request;
  request.method = "POST";
  request.url = switch_primary_url(address, database, table_group, shard);
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = json::to_json(body);
  request.timeout = timeout_;
  kube::HttpResponse reply = http_->perform(request);
  if (reply.failure != kube::AttemptFailure::None) {
    return make_error(ErrorCode::Transient,
                      "multiadmin " + address + " unreachable: " + kube::without_timings(reply.failure_message));
  }
  if (reply.status >= 200 && reply.status < 300) return {};
  std::string text = reply.body.substr(0, 200);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return make_error(
      reply.status == 404 || reply.status == 501 ? ErrorCode::Invalid : ErrorCode::Transient,
      "multiadmin " + address + " answered " + std::to_string(reply.status) + " to switch-primary" +
          (reply.status == 404 || reply.status == 501 ? " (this multiadmin has no SwitchPrimary: upgrade Multigres)"
                                                      : "") +
          (text.empty() ? "" : ": " + text));
}

}  // namespace mg::topo
