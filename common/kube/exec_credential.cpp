// common/kube/exec_credential.cpp
#include "common/kube/exec_credential.hpp"

#include "common/kube/encoding.hpp"
#include "common/util/json.hpp"

namespace mg::kube {
namespace {

Error invalid(std::string message) {
  Error e = make_error(ErrorCode::Invalid, "exec credential plugin: " + std::move(message));
  e.terminal = true;
  return e;
}

}  // namespace

Result<bool> exec_interactive(const ExecConfig& exec, bool stdin_is_terminal) {
  switch (exec.interactive_mode) {
    case InteractiveMode::Never:
      return false;
    case InteractiveMode::IfAvailable:
      return stdin_is_terminal;
    case InteractiveMode::Always:
      if (stdin_is_terminal) return true;
      return invalid("\"" + exec.command + "\" needs a terminal (interactiveMode: Always) but stdin is not one" +
                     (exec.install_hint.empty() ? std::string() : "; " + exec.install_hint));
  }
  return false;
}

std::string exec_credential_request(const RestConfig& config, const ExecConfig& exec, bool interactive) {
  json::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  json::set(doc, "apiVersion", json::str(exec.api_version, a), a);
  json::set(doc, "kind", json::str("ExecCredential", a), a);
  json::Value spec(rapidjson::kObjectType);
  json::set(spec, "interactive", json::Value(interactive), a);
  if (exec.provide_cluster_info) {
    json::Value cluster(rapidjson::kObjectType);
    json::set(cluster, "server", json::str(config.server, a), a);
    if (!config.tls_server_name.empty()) json::set(cluster, "tls-server-name", json::str(config.tls_server_name, a), a);
    if (config.insecure_skip_tls_verify) json::set(cluster, "insecure-skip-tls-verify", json::Value(true), a);
    if (!config.ca_pem.empty()) {
      json::set(cluster, "certificate-authority-data", json::str(base64_encode(config.ca_pem), a), a);
    }
    if (!config.proxy_url.empty()) json::set(cluster, "proxy-url", json::str(config.proxy_url, a), a);
    if (!config.cluster.exec_extension_json.empty()) {
      auto ext = json::parse_json(config.cluster.exec_extension_json, "exec extension");
      if (ext.ok()) {
        json::Value copy(*ext, a);
        json::set(cluster, "config", std::move(copy), a);
      }
    }
    json::set(spec, "cluster", std::move(cluster), a);
  }
  json::set(doc, "spec", std::move(spec), a);
  return json::to_json(doc);
}

Result<ExecCredential> parse_exec_credential(std::string_view stdout_text, const ExecConfig& exec) {
  auto doc = json::parse_json(stdout_text, "exec credential plugin output");
  if (!doc.ok()) return invalid(doc.error().message);
  const json::Value& root = *doc;
  if (!root.IsObject()) return invalid("output is not a JSON object");
  std::string kind = json::get_string(root, "kind");
  std::string api_version = json::get_string(root, "apiVersion");
  if (kind != "ExecCredential") return invalid("output kind is \"" + kind + "\", want ExecCredential");
  if (api_version != exec.api_version) {
    return invalid("output apiVersion is \"" + api_version + "\", want \"" + exec.api_version + "\"");
  }
  const json::Value* status = json::find(root, "status");
  if (status == nullptr || !status->IsObject()) return invalid("output has no status");
  ExecCredential out;
  out.token = json::get_string(*status, "token");
  out.client_cert_pem = json::get_string(*status, "clientCertificateData");
  out.client_key_pem = json::get_string(*status, "clientKeyData");
  if (out.client_cert_pem.empty() != out.client_key_pem.empty()) {
    return invalid("status.clientCertificateData and status.clientKeyData must be given together");
  }
  if (out.token.empty() && out.client_cert_pem.empty()) {
    return invalid("status has neither a token nor clientCertificateData/clientKeyData");
  }
  std::string expiry = json::get_string(*status, "expirationTimestamp");
  if (!expiry.empty()) {
    auto t = parse_rfc3339(expiry);
    if (!t.ok()) return invalid("status.expirationTimestamp: " + t.error().message);
    out.expiry = *t;
  }
  return out;
}

}  // namespace mg::kube
