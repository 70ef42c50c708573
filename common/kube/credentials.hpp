// common/kube/credentials.hpp
//! Who we are on each request: static credentials from the RestConfig, a bearer token re-read from a
//! file (service account tokens rotate; re-read at most once a minute, and at once after a 401), and
//! credentials from an exec plugin (cached until their expirationTimestamp or the next 401).
//! Thread-safe: one instance is shared by every request of a Client.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "common/kube/exec_credential.hpp"
#include "common/kube/process.hpp"
#include "common/kube/rest_config.hpp"
#include "common/util/result.hpp"

namespace mg::kube {

//! Credentials for one request.
struct Credentials {
  std::string bearer_token;
  std::string client_cert_pem;
  std::string client_key_pem;
  std::string username;
  std::string password;
};

//! The I/O a CredentialSource does, injectable for tests.
struct CredentialDeps {
  std::function<Result<std::string>(const std::string& path)> read_file = read_whole_file;
  ProcessRunner run = run_process;
  std::function<std::chrono::system_clock::time_point()> now = [] { return std::chrono::system_clock::now(); };
  bool stdin_is_terminal = false;  //!< for interactiveMode IfAvailable/Always
};

//! How often a token file is re-read (client-go re-reads about every minute).
inline constexpr std::chrono::seconds kTokenFileRefresh{60};

class CredentialSource {
 public:
  CredentialSource(RestConfig config, CredentialDeps deps);

  //! The credentials to send now. Errors: the token file cannot be read (Unauthorized), the exec plugin
  //! fails or prints something invalid (Unauthorized / Invalid).
  Result<Credentials> get();

  //! After a 401: forgets exec credentials and the token file's cached content. Returns whether the
  //! next get() may return something different (false for purely static credentials).
  bool invalidate();

 private:
  Result<std::string> file_token(std::chrono::system_clock::time_point now);          // requires mu_
  Result<ExecCredential> exec_credential(std::chrono::system_clock::time_point now);  // requires mu_

  const RestConfig config_;
  const CredentialDeps deps_;

  std::mutex mu_;
  // guarded by mu_:
  std::optional<std::string> token_;                     //!< token file content
  std::chrono::system_clock::time_point token_read_at_;  //!< when token_ was read
  std::optional<ExecCredential> exec_;                   //!< cached plugin output
};

}  // namespace mg::kube
