// common/kube/exec_credential.hpp
//! The client.authentication.k8s.io ExecCredential protocol, as pure functions: the request JSON given
//! to a credential plugin in KUBERNETES_EXEC_INFO, the decision whether it runs interactively, and the
//! parsing of what the plugin prints. Running the plugin is `run_process` (process.hpp); caching is
//! `CredentialSource` (credentials.hpp).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/kube/kubeconfig.hpp"
#include "common/kube/rest_config.hpp"
#include "common/util/result.hpp"

namespace mg::kube {

//! What a plugin returned: a bearer token, or a client certificate and key, with an optional expiry.
struct ExecCredential {
  std::string token;
  std::string client_cert_pem;
  std::string client_key_pem;
  std::optional<std::chrono::system_clock::time_point> expiry;  //!< none = valid until a 401

  //! True when the credential should be fetched again at `now`.
  bool expired(std::chrono::system_clock::time_point now) const { return expiry && now >= *expiry; }
};

//! Whether the plugin gets the terminal. Always without a terminal is an error (the plugin would hang
//! or fail anyway); the message includes the install hint when there is one.
Result<bool> exec_interactive(const ExecConfig& exec, bool stdin_is_terminal);

//! The KUBERNETES_EXEC_INFO value: {"apiVersion", "kind":"ExecCredential", "spec":{"interactive",
//! "cluster"?}}; spec.cluster (server, tls-server-name, insecure-skip-tls-verify, certificate-authority-data,
//! proxy-url, config) only when provideClusterInfo is set.
std::string exec_credential_request(const RestConfig& config, const ExecConfig& exec, bool interactive);

//! Parses the plugin's stdout. Invalid when it is not an ExecCredential of the configured apiVersion,
//! when status has neither a token nor a certificate+key pair, or when the expiry is not RFC 3339.
Result<ExecCredential> parse_exec_credential(std::string_view stdout_text, const ExecConfig& exec);

}  // namespace mg::kube
