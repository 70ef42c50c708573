// plugin/connection.hpp
//! The flags every command that talks to a cluster has, as kubectl spells them (--kubeconfig,
//! --context, -n/--namespace, -A/--all-namespaces where it lists, --request-timeout), and the client
//! they make. KUBECONFIG is honoured through common/kube's loading rules.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "common/kube/client.hpp"

namespace mg::plugin {

struct ConnectionFlags {
  std::string kubeconfig;
  std::string context;
  std::string namespace_name;  //!< empty: the context's namespace, else "default"
  bool all_namespaces = false;
  std::string request_timeout = "30s";  //!< kubectl syntax: "0" (none), "30s", "2m", "1h", or plain seconds
};

//! Adds the connection flags to `cmd`; -A/--all-namespaces only when `lists` is true.
void add_connection_flags(CLI::App* cmd, ConnectionFlags& flags, bool lists = false);

//! Where the plugin keeps discovery answers between runs: $KUBECACHEDIR (else ~/.kube/cache) +
//! /multigres/discovery; "" without a home directory.
std::string discovery_cache_base();

//! A client for the flags (discovery cached on disk). Errors name the flag or file at fault and say
//! what to do.
Result<std::unique_ptr<kube::Client>> connect(const ConnectionFlags& flags);

//! "30s", "2m", "1h", "500ms", "0" or "45" (seconds) -> milliseconds; Invalid naming the value otherwise.
Result<std::chrono::milliseconds> parse_duration(const std::string& text);

//! The field manager of every plugin write.
inline constexpr const char* kPluginFieldManager = "kubectl-multigres";

}  // namespace mg::plugin
