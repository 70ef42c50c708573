// common/topo/multiadmin.cpp
#include "common/topo/multiadmin.hpp"

#include <cstdlib>

#include "common/kube/encoding.hpp"
#include "common/kube/http.hpp"
#include "common/util/json.hpp"

namespace mg::topo {

Multiadmin::Multiadmin(std::chrono::milliseconds timeout)
    : timeout_(timeout),
      http_(std::make_unique<kube::HttpTransport>(kube::TransportOptions{
          .user_agent = "multigres-operator", .connect_timeout = timeout, .max_idle_connections = 2})) {}

Multiadmin::~Multiadmin() = default;

namespace {

std::string base_url(const std::string& address) {
  std::string base = address.find("://") == std::string::npos ? "http://" + address : address;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

std::string shard_query(const std::string& database, const std::string& table_group, const std::string& shard) {
  return "database=" + kube::percent_encode(database) + "&table_group=" + kube::percent_encode(table_group) +
         "&shard=" + kube::percent_encode(shard);
}

//! ": <the start of the body>" for error messages, or "" when the body is empty.
std::string answer_text(const kube::HttpResponse& reply) {
  std::string text = reply.body.substr(0, 200);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text.empty() ? "" : ": " + text;
}

}  // namespace

std::string Multiadmin::switch_primary_url(const std::string& address, const std::string& database,
                                           const std::string& table_group, const std::string& shard) {
  return base_url(address) + "/api/v1/shards/" + kube::percent_encode(database) + "/" +
         kube::percent_encode(table_group) + "/" + kube::percent_encode(shard) + "/switch-primary";
}

Result<void> Multiadmin::switch_primary(const std::string& address, const std::string& database,
                                        const std::string& table_group, const std::string& shard,
                                        const std::string& reason) {
  json::Document body(rapidjson::kObjectType);
  body.AddMember("reason", json::str(reason, body.GetAllocator()), body.GetAllocator());
  auto reply = send("POST", switch_primary_url(address, database, table_group, shard), json::to_json(body));
  if (!reply.ok()) return make_error(reply.error().code, "multiadmin " + address + " " + reply.error().message);
  if (reply->status >= 200 && reply->status < 300) return {};
  const bool missing = reply->status == 404 || reply->status == 501;
  return make_error(missing ? ErrorCode::Invalid : ErrorCode::Transient,
                    "multiadmin " + address + " answered " + std::to_string(reply->status) + " to switch-primary" +
                        (missing ? " (this multiadmin has no SwitchPrimary: upgrade Multigres)" : "") +
                        answer_text(*reply));
}

Result<kube::HttpResponse> Multiadmin::send(const std::string& method, const std::string& url,
                                            const std::string& body) {
  kube::HttpRequest request;
  request.method = method;
  request.url = url;
  if (!body.empty()) request.headers.push_back({"Content-Type", "application/json"});
  request.body = body;
  request.timeout = timeout_;
  kube::HttpResponse reply = http_->perform(request);
  if (reply.failure != kube::AttemptFailure::None) {
    return make_error(ErrorCode::Transient, "unreachable: " + reply.failure_message);
  }
  return reply;
}

Result<json::Document> Multiadmin::exchange(const std::string& method, const std::string& address,
                                            const std::string& path, const std::string& body, const std::string& what) {
  auto reply = send(method, base_url(address) + path, body);
  if (!reply.ok()) return make_error(reply.error().code, "multiadmin " + address + " " + reply.error().message);
  if (reply->status < 200 || reply->status >= 300) {
    return make_error(ErrorCode::Transient, "multiadmin " + address + " answered " + std::to_string(reply->status) +
                                                " to " + what + answer_text(*reply));
  }
  auto doc = json::parse_json(reply->body, "multiadmin's answer to " + what);
  if (!doc.ok()) return doc.error();
  if (!doc->IsObject()) return make_invalid("multiadmin's answer to " + what + " is not a JSON object");
  return std::move(*doc);
}

Result<std::string> Multiadmin::start_backup(const std::string& address, const std::string& database,
                                             const std::string& table_group, const std::string& shard,
                                             const std::string& type, bool force_primary) {
  json::Document body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  json::set(body, "database", json::str(database, a), a);
  json::set(body, "table_group", json::str(table_group, a), a);
  json::set(body, "shard", json::str(shard, a), a);
  json::set(body, "type", json::str(type, a), a);
  json::set(body, "force_primary", json::Value(force_primary), a);
  auto reply = exchange("POST", address, "/api/v1/backups", json::to_json(body), "a backup");
  if (!reply.ok()) return reply.error();
  std::string job = json::get_string(*reply, "job_id");
  if (job.empty()) return make_invalid("multiadmin started a backup without a job_id");
  return job;
}

Result<Multiadmin::Job> Multiadmin::backup_job(const std::string& address, const std::string& job_id,
                                               const std::string& database, const std::string& table_group,
                                               const std::string& shard) {
  auto reply = exchange(
      "GET", address, "/api/v1/jobs/" + kube::percent_encode(job_id) + "?" + shard_query(database, table_group, shard),
      "", "the backup job " + job_id);
  if (!reply.ok()) return reply.error();
  return Job{json::get_string(*reply, "status"), json::get_string(*reply, "error_message"),
             json::get_string(*reply, "backup_id")};
}

Result<int64_t> Multiadmin::backup_size(const std::string& address, const std::string& backup_id,
                                        const std::string& database, const std::string& table_group,
                                        const std::string& shard) {
  auto reply = exchange("GET", address, "/api/v1/backups?" + shard_query(database, table_group, shard), "",
                        "the list of backups");
  if (!reply.ok()) return reply.error();
  const json::Value* backups = json::find(*reply, "backups");
  if (backups != nullptr && backups->IsArray()) {
    for (const auto& b : backups->GetArray()) {
      if (json::get_string(b, "backup_id") != backup_id) continue;
      // uint64 in protojson is a string; a number is taken too.
      const json::Value* size = json::find(b, "backup_size_bytes");
      if (size != nullptr && size->IsString())
        return static_cast<int64_t>(std::strtoll(size->GetString(), nullptr, 10));
      if (size != nullptr && size->IsInt64()) return size->GetInt64();
      return int64_t{0};
    }
  }
  return make_error(ErrorCode::NotFound, "backup " + backup_id + " is not listed by multiadmin");
}

Result<std::vector<std::string>> Multiadmin::expire_backups(const std::string& address, const std::string& database,
                                                            const std::string& table_group, const std::string& shard,
                                                            int32_t full_backups) {
  json::Document body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  json::set(body, "database", json::str(database, a), a);
  json::set(body, "table_group", json::str(table_group, a), a);
  json::set(body, "shard", json::str(shard, a), a);
  json::Value overrides(rapidjson::kObjectType);
  // multipooler turns a key into its pgBackRest flag (repo1_retention_full -> --repo1-retention-full=).
  overrides.AddMember("repo1_retention_full", json::str(std::to_string(full_backups), a), a);
  json::set(body, "overrides", std::move(overrides), a);
  auto reply = exchange("POST", address, "/api/v1/backups/expire", json::to_json(body), "an expire of backups");
  if (!reply.ok()) return reply.error();
  std::vector<std::string> expired;
  const json::Value* ids = json::find(*reply, "expired_backup_ids");
  if (ids != nullptr && ids->IsArray()) {
    for (const auto& id : ids->GetArray()) {
      if (id.IsString()) expired.emplace_back(id.GetString());
    }
  }
  return expired;
}

Result<Multiadmin::Rule> Multiadmin::pooler_rule(const std::string& address, const std::string& cell,
                                                 const std::string& name) {
  const std::string what = "the status of pooler " + cell + "/" + name;
  auto reply = exchange("GET", address,
                        "/api/v1/poolers/" + kube::percent_encode(cell) + "/" + kube::percent_encode(name) + "/status",
                        "", what);
  if (!reply.ok()) return reply.error();
  const json::Value* rule = json::at_path(*reply, "consensus_status.current_position.rule");
  if (rule == nullptr || !rule->IsObject()) {
    return make_error(ErrorCode::NotFound, "multiadmin's answer to " + what + " has no consensus rule");
  }
  Rule out;
  out.created = json::get_string(*rule, "creation_time");
  const json::Value* members = json::find(*rule, "cohort_members");
  if (members != nullptr && members->IsArray()) {
    for (const auto& m : members->GetArray()) {
      if (m.IsObject() && !json::get_string(m, "name").empty()) out.cohort.push_back(json::get_string(m, "name"));
    }
  }
  return out;
}

}  // namespace mg::topo
