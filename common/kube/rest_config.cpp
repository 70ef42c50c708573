// common/kube/rest_config.cpp
#include "common/kube/rest_config.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace mg::kube {
namespace {

std::string trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string normalise_server(std::string server) {
  if (server.find("://") == std::string::npos) server = "https://" + server;
  while (!server.empty() && server.back() == '/') server.pop_back();
  return server;
}

// Reads `data` if set, else the file at `path` (if set) through env.
Result<std::string> data_or_file(const std::string& data, const std::string& path, const Environment& env,
                                 const std::string& what) {
  if (!data.empty() || path.empty()) return data;
  auto text = env.read_file(path);
  if (!text.ok()) return text.error().with_context("reading " + what);
  return text;
}

Result<Kubeconfig> load_files(const std::vector<std::string>& paths, bool must_exist, const Environment& env) {
  std::vector<Kubeconfig> files;
  for (const auto& path : paths) {
    auto text = env.read_file(path);
    if (!text.ok()) {
      if (text.error().code == ErrorCode::NotFound && !must_exist) continue;
      return text.error().with_context("reading kubeconfig");
    }
    auto parsed = parse_kubeconfig(*text, path);
    if (!parsed.ok()) return parsed.error();
    files.push_back(std::move(parsed).value());
  }
  return merge_kubeconfigs(files);
}

bool in_cluster_available(const Environment& env) {
  auto host = env.getenv("KUBERNETES_SERVICE_HOST");
  auto port = env.getenv("KUBERNETES_SERVICE_PORT");
  return host && !host->empty() && port && !port->empty();
}

}  // namespace

Environment system_environment() {
  Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe): nobody calls setenv
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  env.read_file = read_whole_file;
  return env;
}

Result<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    ErrorCode code = err == ENOENT ? ErrorCode::NotFound : ErrorCode::Internal;
    return make_error(code, path + ": " + std::strerror(err));
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return make_error(ErrorCode::Internal, path + ": read failed");
  return buf.str();
}

std::string host_port_url(const std::string& host, const std::string& port) {
  bool ipv6 = host.find(':') != std::string::npos && host.front() != '[';
  return "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + port;
}

Result<RestConfig> load_rest_config(const LoadOptions& options, const Environment& env) {
  if (options.prefer_in_cluster && options.kubeconfig_path.empty() && in_cluster_available(env)) {
    return in_cluster_rest_config(options, env);
  }
  Result<Kubeconfig> merged = Kubeconfig{};
  if (!options.kubeconfig_path.empty()) {
    merged = load_files({options.kubeconfig_path}, true, env);
  } else if (auto list = env.getenv("KUBECONFIG"); list && !list->empty()) {
    merged = load_files(split_kubeconfig_paths(*list), false, env);
  } else if (auto home = env.getenv("HOME"); home && !home->empty()) {
    merged = load_files({*home + "/.kube/config"}, false, env);
  }
  if (!merged.ok()) return merged.error();
  if (merged->empty()) {
    if (in_cluster_available(env)) return in_cluster_rest_config(options, env);
    return make_error(ErrorCode::NotFound,
                      "no Kubernetes configuration: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, "
                      "or run inside a pod");
  }
  return rest_config_from_kubeconfig(*merged, options, env);
}

Result<RestConfig> rest_config_from_kubeconfig(const Kubeconfig& config, const LoadOptions& options,
                                               const Environment& env) {
  RestConfig out;
  out.context_name = options.context.empty() ? config.current_context : options.context;
  if (out.context_name.empty()) return make_invalid("kubeconfig has no current-context; pass --context");
  auto ctx = config.contexts.find(out.context_name);
  if (ctx == config.contexts.end()) return make_invalid("context \"" + out.context_name + "\" not found in kubeconfig");
  auto cluster = config.clusters.find(ctx->second.cluster);
  if (cluster == config.clusters.end()) {
    return make_invalid("cluster \"" + ctx->second.cluster + "\" of context \"" + out.context_name + "\" not found");
  }
  const ClusterEntry& c = cluster->second;
  if (c.server.empty()) return make_invalid("cluster \"" + cluster->first + "\" has no server");
  out.cluster = c;
  out.server = normalise_server(c.server);
  out.insecure_skip_tls_verify = c.insecure_skip_tls_verify;
  out.tls_server_name = c.tls_server_name;
  out.proxy_url = c.proxy_url;
  auto ca = data_or_file(c.certificate_authority_data, c.certificate_authority, env, "certificate-authority");
  if (!ca.ok()) return ca.error();
  out.ca_pem = std::move(ca).value();
  if (out.insecure_skip_tls_verify && !out.ca_pem.empty()) {
    return make_invalid("cluster \"" + cluster->first +
                   "\": insecure-skip-tls-verify cannot be combined with a certificate authority");
  }

  if (!ctx->second.user.empty()) {
    auto user = config.users.find(ctx->second.user);
    if (user == config.users.end()) {
      return make_invalid("user \"" + ctx->second.user + "\" of context \"" + out.context_name + "\" not found");
    }
    const AuthEntry& u = user->second;
    auto cert = data_or_file(u.client_certificate_data, u.client_certificate, env, "client-certificate");
    if (!cert.ok()) return cert.error();
    auto key = data_or_file(u.client_key_data, u.client_key, env, "client-key");
    if (!key.ok()) return key.error();
    out.client_cert_pem = std::move(cert).value();
    out.client_key_pem = std::move(key).value();
    if (out.client_cert_pem.empty() != out.client_key_pem.empty()) {
      return make_invalid("user \"" + user->first + "\": client certificate and key must be given together");
    }
    out.token = u.token;
    if (out.token.empty()) out.token_file = u.token_file;
    out.username = u.username;
    out.password = u.password;
    out.exec = u.exec;
    bool other_auth = !out.client_cert_pem.empty() || !out.token.empty() || !out.token_file.empty() ||
                      !out.username.empty() || out.exec.has_value();
    if (!u.auth_provider.empty() && !other_auth) {
      return make_invalid("user \"" + user->first + "\": auth-provider \"" + u.auth_provider +
                     "\" is not supported; use an exec credential plugin");
    }
  }
  if (!options.namespace_name.empty()) {
    out.namespace_name = options.namespace_name;
  } else if (!ctx->second.namespace_name.empty()) {
    out.namespace_name = ctx->second.namespace_name;
  }
  return out;
}

Result<RestConfig> in_cluster_rest_config(const LoadOptions& options, const Environment& env,
                                          const std::string& service_account_dir) {
  auto host = env.getenv("KUBERNETES_SERVICE_HOST");
  auto port = env.getenv("KUBERNETES_SERVICE_PORT");
  if (!host || host->empty() || !port || port->empty()) {
    return make_error(ErrorCode::NotFound, "not running in a pod: KUBERNETES_SERVICE_HOST/PORT are not set");
  }
  RestConfig out;
  out.in_cluster = true;
  out.server = host_port_url(*host, *port);
  out.cluster.server = out.server;
  out.token_file = service_account_dir + "/token";
  auto token = env.read_file(out.token_file);
  if (!token.ok()) return token.error().with_context("reading the service account token");
  if (auto ca = env.read_file(service_account_dir + "/ca.crt"); ca.ok()) {
    out.ca_pem = std::move(ca).value();
  } else if (ca.error().code != ErrorCode::NotFound) {
    return ca.error().with_context("reading the service account CA");
  }
  if (!options.namespace_name.empty()) {
    out.namespace_name = options.namespace_name;
  } else if (auto pod_ns = env.getenv("POD_NAMESPACE"); pod_ns && !pod_ns->empty()) {
    out.namespace_name = *pod_ns;
  } else if (auto ns = env.read_file(service_account_dir + "/namespace"); ns.ok() && !trim(*ns).empty()) {
    out.namespace_name = trim(*ns);
  }
  return out;
}

}  // namespace mg::kube
