// common/kube/credentials.cpp
#include "common/kube/credentials.hpp"

namespace mg::kube {
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

CredentialSource::CredentialSource(RestConfig config, CredentialDeps deps)
    : config_(std::move(config)), deps_(std::move(deps)) {}

Result<Credentials> CredentialSource::get() {
  Credentials c;
  c.bearer_token = config_.token;
  c.client_cert_pem = config_.client_cert_pem;
  c.client_key_pem = config_.client_key_pem;
  c.username = config_.username;
  c.password = config_.password;
  if (config_.token_file.empty() && !config_.exec) return c;

  std::lock_guard<std::mutex> lock(mu_);
  auto now = deps_.now();
  if (!config_.token_file.empty()) {
    auto token = file_token(now);
    if (!token.ok()) return token.error();
    c.bearer_token = *token;
  }
  if (config_.exec) {
    auto cred = exec_credential(now);
    if (!cred.ok()) return cred.error();
    if (!cred->token.empty()) c.bearer_token = cred->token;
    if (!cred->client_cert_pem.empty()) {
      c.client_cert_pem = cred->client_cert_pem;
      c.client_key_pem = cred->client_key_pem;
    }
  }
  return c;
}

bool CredentialSource::invalidate() {
  if (config_.token_file.empty() && !config_.exec) return false;
  std::lock_guard<std::mutex> lock(mu_);
  token_.reset();
  exec_.reset();
  return true;
}

Result<std::string> CredentialSource::file_token(std::chrono::system_clock::time_point now) {
  if (token_ && now - token_read_at_ < kTokenFileRefresh && now >= token_read_at_) return *token_;
  auto text = deps_.read_file(config_.token_file);
  if (!text.ok()) {
    // Keep using the last good token while the file is briefly missing (kubelet swaps it atomically).
    if (token_) return *token_;
    Error e = text.error().with_context("reading the bearer token file");
    e.code = ErrorCode::Unauthorized;
    return e;
  }
  token_ = trim(*text);
  token_read_at_ = now;
  return *token_;
}

Result<ExecCredential> CredentialSource::exec_credential(std::chrono::system_clock::time_point now) {
  if (exec_ && !exec_->expired(now)) return *exec_;
  const ExecConfig& exec = *config_.exec;
  auto interactive = exec_interactive(exec, deps_.stdin_is_terminal);
  if (!interactive.ok()) return interactive.error();
  ProcessSpec spec;
  spec.command = exec.command;
  spec.args = exec.args;
  spec.extra_env = exec.env;
  spec.extra_env.emplace_back("KUBERNETES_EXEC_INFO", exec_credential_request(config_, exec, *interactive));
  spec.interactive = *interactive;
  if (spec.interactive) spec.timeout = std::chrono::minutes(10);
  auto out = deps_.run(spec);
  std::string hint = exec.install_hint.empty() ? std::string() : " (" + exec.install_hint + ")";
  if (!out.ok()) {
    Error e = out.error().with_context("exec credential plugin");
    e.message += hint;
    if (e.code == ErrorCode::NotFound) e.code = ErrorCode::Unauthorized;
    return e;
  }
  if (out->exit_code != 0) {
    std::string err = trim(out->err);
    return make_error(ErrorCode::Unauthorized, "exec credential plugin \"" + exec.command + "\" exited with " +
                                                   std::to_string(out->exit_code) +
                                                   (err.empty() ? std::string() : ": " + err) + hint);
  }
  auto cred = parse_exec_credential(out->out, exec);
  if (!cred.ok()) return cred.error();
  exec_ = *cred;
  return cred;
}

}  // namespace mg::kube
