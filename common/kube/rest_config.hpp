// common/kube/rest_config.hpp
//! Everything needed to talk to one API server: where it is, how to trust it, who we are, and the
//! default namespace. Built from kubeconfig files (--kubeconfig, KUBECONFIG, ~/.kube/config) or from
//! the in-cluster service account. File and environment access go through `Environment`, so the
//! loading rules are tested with fixtures; `system_environment()` is the real one.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "common/kube/kubeconfig.hpp"
#include "common/util/result.hpp"

namespace mg::kube {

//! The service-account directory mounted into pods.
inline constexpr const char* kServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

struct RestConfig {
  std::string server;  //!< "https://host:port" (no trailing slash)
  std::string ca_pem;  //!< trusted CA bundle; empty = the system store
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;  //!< name to verify (and send as SNI) instead of the server's host
  std::string proxy_url;

  std::string client_cert_pem;  //!< static client certificate (kubeconfig); exec plugins may supply others
  std::string client_key_pem;
  std::string token;       //!< static bearer token
  std::string token_file;  //!< bearer token re-read from this file (service account tokens rotate)
  std::string username;    //!< basic auth (deprecated in Kubernetes, still honoured)
  std::string password;
  std::optional<ExecConfig> exec;  //!< credential plugin
  ClusterEntry cluster;            //!< the selected cluster entry, for the exec plugin's cluster info

  std::string namespace_name = "default";  //!< the default namespace for namespaced calls
  std::string context_name;                //!< "" when in-cluster
  bool in_cluster = false;
};

//! Reads the process environment and files. Tests inject maps.
struct Environment {
  std::function<std::optional<std::string>(const std::string& name)> getenv;
  //! The whole file; ErrorCode::NotFound when it does not exist.
  std::function<Result<std::string>(const std::string& path)> read_file;
};

//! The real environment (::getenv and the file system).
Environment system_environment();

//! Reads a whole file; NotFound when missing, Internal for other failures.
Result<std::string> read_whole_file(const std::string& path);

struct LoadOptions {
  std::string kubeconfig_path;     //!< --kubeconfig: used alone and must exist
  std::string context;             //!< --context: overrides current-context
  std::string namespace_name;      //!< --namespace: overrides the context's namespace
  bool prefer_in_cluster = false;  //!< operators: use the service account when running in a pod
};

//! Loads the configuration by kubectl's rules: --kubeconfig, else KUBECONFIG (':'-separated, missing
//! files skipped), else $HOME/.kube/config; when none gives a configuration and KUBERNETES_SERVICE_HOST
//! is set, the in-cluster service account. With prefer_in_cluster, in-cluster comes first unless a
//! kubeconfig path was given. Errors: Invalid (bad file, unknown context), NotFound (nothing to load).
Result<RestConfig> load_rest_config(const LoadOptions& options, const Environment& env);

//! The selected context of an already merged kubeconfig, with CA and client cert/key files read.
//! Errors name the missing context, cluster or user, or the unreadable file.
Result<RestConfig> rest_config_from_kubeconfig(const Kubeconfig& config, const LoadOptions& options,
                                               const Environment& env);

//! The in-cluster configuration: KUBERNETES_SERVICE_HOST/PORT (IPv6 bracketed), the service account
//! token file (read per request by the credential source), ca.crt, and the namespace from
//! POD_NAMESPACE, the namespace file, or "default". NotFound when not running in a pod.
Result<RestConfig> in_cluster_rest_config(const LoadOptions& options, const Environment& env,
                                          const std::string& service_account_dir = kServiceAccountDir);

//! "https://" + host + ":" + port, bracketing an IPv6 host.
std::string host_port_url(const std::string& host, const std::string& port);

}  // namespace mg::kube
