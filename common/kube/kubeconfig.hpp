// common/kube/kubeconfig.hpp
//! The kubeconfig file format: parsing one file (clusters, users, contexts, current-context) and merging
//! several the way kubectl merges `KUBECONFIG` (the first file that defines a name wins; current-context
//! is the first non-empty one). Pure: the text and the file's path come in; nothing is read here.
//! Relative paths in the file (certificate-authority, client-certificate, client-key, tokenFile, an exec
//! command with a '/') are made absolute against the file's directory. `*-data` fields are base64-decoded.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.hpp"

namespace mg::kube {

enum class InteractiveMode { Never, IfAvailable, Always };

//! `users[].user.exec`: a credential plugin (client.authentication.k8s.io/v1 or v1beta1).
struct ExecConfig {
  std::string api_version;
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  //!< added to the plugin's environment
  InteractiveMode interactive_mode = InteractiveMode::IfAvailable;
  bool provide_cluster_info = false;
  std::string install_hint;
};

//! `clusters[].cluster`.
struct ClusterEntry {
  std::string server;
  std::string certificate_authority;       //!< CA bundle path (absolute)
  std::string certificate_authority_data;  //!< CA bundle PEM (decoded)
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;
  std::string proxy_url;
  std::string exec_extension_json;  //!< extensions[name=client.authentication.k8s.io/exec] as JSON, or ""
};

//! `users[].user`.
struct AuthEntry {
  std::string client_certificate;       //!< path (absolute)
  std::string client_certificate_data;  //!< PEM (decoded)
  std::string client_key;               //!< path (absolute)
  std::string client_key_data;          //!< PEM (decoded)
  std::string token;
  std::string token_file;  //!< path (absolute)
  std::string username;
  std::string password;
  std::optional<ExecConfig> exec;
  std::string auth_provider;  //!< name of a legacy `auth-provider` (not supported; reported on use)
};

//! `contexts[].context`.
struct ContextEntry {
  std::string cluster;
  std::string user;
  std::string namespace_name;
};

struct Kubeconfig {
  std::map<std::string, ClusterEntry> clusters;
  std::map<std::string, AuthEntry> users;
  std::map<std::string, ContextEntry> contexts;
  std::string current_context;

  bool empty() const { return clusters.empty() && users.empty() && contexts.empty() && current_context.empty(); }
};

//! Parses one kubeconfig. `path` names the file in errors and anchors relative paths (may be empty:
//! relative paths are then kept as written). Invalid: bad YAML, bad base64, a malformed exec block.
Result<Kubeconfig> parse_kubeconfig(std::string_view text, std::string_view path);

//! Merges parsed files in `KUBECONFIG` order: the first definition of each name wins, and the
//! current-context is the first non-empty one.
Kubeconfig merge_kubeconfigs(const std::vector<Kubeconfig>& files);

//! Splits a `KUBECONFIG` value on ':' dropping empty entries and later duplicates.
std::vector<std::string> split_kubeconfig_paths(std::string_view value);

//! Directory part of a path ("" for a bare file name); "/a/b/c" → "/a/b".
std::string parent_dir(std::string_view path);

//! `path` if absolute or `base` is empty, else base + "/" + path.
std::string resolve_path(std::string_view base, std::string_view path);

}  // namespace mg::kube
