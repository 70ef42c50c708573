// plugin/connection.cpp
#include "plugin/connection.hpp"

#include <charconv>
#include <cstdlib>

namespace mg::plugin {

void add_connection_flags(CLI::App* cmd, ConnectionFlags& flags, bool lists) {
  cmd->add_option("--kubeconfig", flags.kubeconfig, "Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)");
  cmd->add_option("--context", flags.context, "The kubeconfig context to use");
  cmd->add_option("-n,--namespace", flags.namespace_name, "Namespace (default: the context's, else default)");
  if (lists) cmd->add_flag("-A,--all-namespaces", flags.all_namespaces, "List across all namespaces");
  cmd->add_option("--request-timeout", flags.request_timeout, "Time to wait for each server request (0 = no limit)")
      ->capture_default_str();
}

Result<std::chrono::milliseconds> parse_duration(const std::string& text) {
  auto bad = [&] {
    return make_invalid("invalid duration \"" + text + "\": use a number with a unit, like 30s, 2m or 500ms (0 = no limit)");
  };
  if (text.empty()) return bad();
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value < 0) return bad();
  const std::string unit(end, text.data() + text.size());
  double ms = 0;
  if (unit.empty() || unit == "s") ms = value * 1000;
  else if (unit == "ms") ms = value;
  else if (unit == "m") ms = value * 60'000;
  else if (unit == "h") ms = value * 3'600'000;
  else return bad();
  return std::chrono::milliseconds(static_cast<int64_t>(ms));
}

std::string discovery_cache_base() {
  // kubectl's cache directory (KUBECACHEDIR, else ~/.kube/cache), in a sub-directory of our own: the
  // files are not in kubectl's format.
  const char* env = std::getenv("KUBECACHEDIR");
  std::string base;
  if (env != nullptr && *env != '\0') {
    base = env;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    base = std::string(home) + "/.kube/cache";
  } else {
    return "";
  }
  return base + "/multigres/discovery";
}

Result<std::unique_ptr<kube::Client>> connect(const ConnectionFlags& flags) {
  auto timeout = parse_duration(flags.request_timeout);
  if (!timeout.ok()) return timeout.error().with_context("--request-timeout");
  kube::ClientOptions options;
  options.user_agent = std::string("kubectl-multigres/") + MG_VERSION;
  // kubectl's 0 means no limit; the client needs a bound, so a day stands in for it.
  options.request_timeout = timeout->count() == 0 ? std::chrono::hours(24) : *timeout;
  options.discovery_cache_base = discovery_cache_base();
  options.resume_tls_sessions = true;  // the parallel lists of status and topology resume the first handshake
  auto client = kube::connect(
      kube::LoadOptions{.kubeconfig_path = flags.kubeconfig, .context = flags.context, .namespace_name = flags.namespace_name},
      options);
  if (!client.ok()) return client.error().with_context("loading the Kubernetes configuration");
  return client;
}

}  // namespace mg::plugin
