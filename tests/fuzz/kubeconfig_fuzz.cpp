// tests/fuzz/kubeconfig_fuzz.cpp
//! Kubeconfig loading: the input is a kubeconfig file's text. kube::parse_kubeconfig (YAML within
//! kFileLimits; *-data fields base64-decoded; relative paths resolved), then the whole of
//! kube::load_rest_config through an Environment whose KUBECONFIG lists the file twice (merging), and
//! whose other files (certificate-authority, client-certificate, tokenFile, ...) hold the input too;
//! exec_credential_request for an exec user; and the same text as an exec plugin's stdout
//! (parse_exec_credential) and as the in-cluster service-account files. Properties:
//!   - a refused kubeconfig has a message naming the file;
//!   - merging a file with itself gives the file;
//!   - base64_decode(base64_encode(x)) == x.
#include "common/kube/encoding.hpp"
#include "common/kube/exec_credential.hpp"
#include "common/kube/kubeconfig.hpp"
#include "common/kube/rest_config.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace mg;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(fuzz::text(data, size));
  const std::string path = "/home/fuzz/.kube/config";

  auto parsed = kube::parse_kubeconfig(text, path);
  if (!parsed.ok()) {
    fuzz::check(parsed.error().message.find(path) != std::string::npos, "a kubeconfig error does not name the file",
                parsed.error().message);
  } else {
    kube::Kubeconfig twice = kube::merge_kubeconfigs({*parsed, *parsed});
    fuzz::check(twice.clusters.size() == parsed->clusters.size() && twice.users.size() == parsed->users.size() &&
                    twice.contexts.size() == parsed->contexts.size() &&
                    twice.current_context == parsed->current_context,
                "merging a kubeconfig with itself changed it");
  }
  (void)kube::parse_kubeconfig(text, "");

  kube::Environment env;
  env.getenv = [&](const std::string& name) -> std::optional<std::string> {
    if (name == "KUBECONFIG") return path + "::" + path + ":/missing";
    if (name == "HOME") return std::string("/home/fuzz");
    if (name == "KUBERNETES_SERVICE_HOST") return text.substr(0, text.find('\n'));
    if (name == "KUBERNETES_SERVICE_PORT") return std::string("443");
    return std::nullopt;
  };
  env.read_file = [&](const std::string& file) -> Result<std::string> {
    if (file == "/missing") return make_error(ErrorCode::NotFound, file + ": no such file");
    return text;
  };
  for (bool in_cluster : {false, true}) {
    auto config = kube::load_rest_config({.prefer_in_cluster = in_cluster}, env);
    if (config.ok() && config->exec) {
      for (bool interactive : {false, true}) (void)kube::exec_credential_request(*config, *config->exec, interactive);
      (void)kube::exec_interactive(*config->exec, false);
    }
  }
  (void)kube::in_cluster_rest_config({}, env);

  for (const char* version : {"client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"}) {
    kube::ExecConfig exec{.api_version = version, .command = "plugin"};
    (void)kube::parse_exec_credential(text, exec);
  }

  auto decoded = kube::base64_decode(kube::base64_encode(text));
  fuzz::check(decoded.ok() && *decoded == text, "base64_decode(base64_encode(x)) != x");
  (void)kube::base64_decode(text);
  (void)kube::split_kubeconfig_paths(text);
  (void)kube::resolve_path(kube::parent_dir(text), text);
  return 0;
}
