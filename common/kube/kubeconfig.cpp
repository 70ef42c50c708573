// common/kube/kubeconfig.cpp
#include "common/kube/kubeconfig.hpp"

#include "common/kube/encoding.hpp"
#include "common/util/json.hpp"

namespace mg::kube {
namespace {

// YAML plain scalars may have been read as numbers or booleans; kubeconfig fields are strings.
std::string scalar(const json::Value* v) {
  if (v == nullptr) return {};
  if (v->IsString()) return {v->GetString(), v->GetStringLength()};
  if (v->IsNumber() || v->IsBool()) return json::to_json(*v);
  return {};
}

std::string field(const json::Value& obj, std::string_view key) {
  return scalar(json::find(obj, key));
}

bool flag(const json::Value& obj, std::string_view key) {
  const json::Value* v = json::find(obj, key);
  if (v == nullptr) return false;
  if (v->IsBool()) return v->GetBool();
  return scalar(v) == "true";
}

class Parser {
 public:
  Parser(std::string_view path) : path_(path), base_(parent_dir(path)) {}

  Result<Kubeconfig> parse(const json::Value& root) {
    Kubeconfig out;
    if (!root.IsObject()) return fail("", "expected a mapping at the top level");
    out.current_context = field(root, "current-context");
    if (auto r = each(root, "clusters", "cluster",
                      [&](const std::string& name, const json::Value& v, const std::string& at) -> Result<void> {
                        auto c = cluster(v, at);
                        if (!c.ok()) return c.error();
                        out.clusters.emplace(name, std::move(c).value());
                        return {};
                      });
        !r.ok()) {
      return r.error();
    }
    if (auto r = each(root, "users", "user",
                      [&](const std::string& name, const json::Value& v, const std::string& at) -> Result<void> {
                        auto u = user(v, at);
                        if (!u.ok()) return u.error();
                        out.users.emplace(name, std::move(u).value());
                        return {};
                      });
        !r.ok()) {
      return r.error();
    }
    if (auto r = each(
            root, "contexts", "context",
            [&](const std::string& name, const json::Value& v, const std::string&) -> Result<void> {
              out.contexts.emplace(name, ContextEntry{field(v, "cluster"), field(v, "user"), field(v, "namespace")});
              return {};
            });
        !r.ok()) {
      return r.error();
    }
    return out;
  }

 private:
  Error fail(const std::string& at, const std::string& message) const {
    std::string where = path_.empty() ? std::string("kubeconfig") : path_;
    Error e = make_error(ErrorCode::Invalid, where + (at.empty() ? "" : ": " + at) + ": " + message);
    e.terminal = true;
    return e;
  }

  // Visits `list[i].<inner>` with the entry's name; within one file the first entry of a name wins.
  template <class Fn>
  Result<void> each(const json::Value& root, const char* list, const char* inner, Fn&& fn) {
    const json::Value* items = json::find(root, list);
    if (items == nullptr || items->IsNull()) return {};
    if (!items->IsArray()) return fail(list, "expected a list");
    for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
      const json::Value& item = (*items)[i];
      std::string at = std::string(list) + "[" + std::to_string(i) + "]";
      std::string name = field(item, "name");
      if (name.empty()) return fail(at, "missing name");
      const json::Value* body = json::find(item, inner);
      static const json::Value kEmpty(rapidjson::kObjectType);
      if (body == nullptr || body->IsNull()) body = &kEmpty;
      if (!body->IsObject()) return fail(at + "." + inner, "expected a mapping");
      if (auto r = fn(name, *body, at + "." + inner); !r.ok()) return r;
    }
    return {};
  }

  Result<std::string> data(const json::Value& v, const char* key, const std::string& at) {
    std::string text = field(v, key);
    if (text.empty()) return text;
    auto decoded = base64_decode(text);
    if (!decoded.ok()) return fail(at + "." + key, decoded.error().message);
    return decoded;
  }

  std::string file(const json::Value& v, const char* key) {
    std::string p = field(v, key);
    return p.empty() ? p : resolve_path(base_, p);
  }

  Result<ClusterEntry> cluster(const json::Value& v, const std::string& at) {
    ClusterEntry c;
    c.server = field(v, "server");
    c.certificate_authority = file(v, "certificate-authority");
    auto ca = data(v, "certificate-authority-data", at);
    if (!ca.ok()) return ca.error();
    c.certificate_authority_data = std::move(ca).value();
    c.insecure_skip_tls_verify = flag(v, "insecure-skip-tls-verify");
    c.tls_server_name = field(v, "tls-server-name");
    c.proxy_url = field(v, "proxy-url");
    if (const json::Value* ext = json::find(v, "extensions"); ext != nullptr && ext->IsArray()) {
      for (const auto& e : ext->GetArray()) {
        if (field(e, "name") == "client.authentication.k8s.io/exec") {
          if (const json::Value* ext_value = json::find(e, "extension"))
            c.exec_extension_json = json::to_json(*ext_value);
        }
      }
    }
    return c;
  }

  Result<AuthEntry> user(const json::Value& v, const std::string& at) {
    AuthEntry u;
    u.client_certificate = file(v, "client-certificate");
    u.client_key = file(v, "client-key");
    auto cert = data(v, "client-certificate-data", at);
    if (!cert.ok()) return cert.error();
    u.client_certificate_data = std::move(cert).value();
    auto key = data(v, "client-key-data", at);
    if (!key.ok()) return key.error();
    u.client_key_data = std::move(key).value();
    u.token = field(v, "token");
    u.token_file = file(v, "tokenFile");
    u.username = field(v, "username");
    u.password = field(v, "password");
    if (const json::Value* ap = json::find(v, "auth-provider"); ap != nullptr && ap->IsObject()) {
      u.auth_provider = field(*ap, "name");
      if (u.auth_provider.empty()) u.auth_provider = "unnamed";
    }
    if (const json::Value* ex = json::find(v, "exec"); ex != nullptr && !ex->IsNull()) {
      auto e = exec(*ex, at + ".exec");
      if (!e.ok()) return e.error();
      u.exec = std::move(e).value();
    }
    return u;
  }

  Result<ExecConfig> exec(const json::Value& v, const std::string& at) {
    if (!v.IsObject()) return fail(at, "expected a mapping");
    ExecConfig e;
    e.api_version = field(v, "apiVersion");
    bool v1 = e.api_version == "client.authentication.k8s.io/v1";
    if (!v1 && e.api_version != "client.authentication.k8s.io/v1beta1") {
      return fail(at + ".apiVersion",
                  "unsupported \"" + e.api_version + "\" (use client.authentication.k8s.io/v1 or v1beta1)");
    }
    e.command = field(v, "command");
    if (e.command.empty()) return fail(at + ".command", "required");
    // A command with a path separator but not absolute is relative to the kubeconfig; a bare name uses PATH.
    if (e.command.find('/') != std::string::npos) e.command = resolve_path(base_, e.command);
    if (const json::Value* args = json::find(v, "args"); args != nullptr && args->IsArray()) {
      for (const auto& a : args->GetArray()) e.args.push_back(scalar(&a));
    }
    if (const json::Value* env = json::find(v, "env"); env != nullptr && env->IsArray()) {
      for (rapidjson::SizeType i = 0; i < env->Size(); ++i) {
        std::string name = field((*env)[i], "name");
        if (name.empty()) return fail(at + ".env[" + std::to_string(i) + "].name", "required");
        e.env.emplace_back(name, field((*env)[i], "value"));
      }
    }
    std::string mode = field(v, "interactiveMode");
    if (mode == "Never") {
      e.interactive_mode = InteractiveMode::Never;
    } else if (mode == "IfAvailable") {
      e.interactive_mode = InteractiveMode::IfAvailable;
    } else if (mode == "Always") {
      e.interactive_mode = InteractiveMode::Always;
    } else if (mode.empty() && !v1) {
      e.interactive_mode = InteractiveMode::IfAvailable;  // v1beta1 default
    } else if (mode.empty()) {
      return fail(at + ".interactiveMode",
                  "required for client.authentication.k8s.io/v1 (Never, IfAvailable or Always)");
    } else {
      return fail(at + ".interactiveMode", "must be Never, IfAvailable or Always, not \"" + mode + "\"");
    }
    e.provide_cluster_info = flag(v, "provideClusterInfo");
    e.install_hint = field(v, "installHint");
    return e;
  }

  std::string path_;
  std::string base_;
};

}  // namespace

Result<Kubeconfig> parse_kubeconfig(std::string_view text, std::string_view path) {
  std::string source = path.empty() ? std::string("kubeconfig") : std::string(path);
  auto docs = json::parse_documents(text, source);
  if (!docs.ok()) {
    Error e = docs.error();
    e.terminal = true;
    return e;
  }
  if (docs->empty()) return Kubeconfig{};
  if (docs->size() > 1) {
    Error e =
        make_error(ErrorCode::Invalid, source + ": expected one YAML document, found " + std::to_string(docs->size()));
    e.terminal = true;
    return e;
  }
  return Parser(path).parse(docs->front());
}

Kubeconfig merge_kubeconfigs(const std::vector<Kubeconfig>& files) {
  Kubeconfig out;
  for (const auto& f : files) {
    for (const auto& [name, c] : f.clusters) out.clusters.emplace(name, c);
    for (const auto& [name, u] : f.users) out.users.emplace(name, u);
    for (const auto& [name, c] : f.contexts) out.contexts.emplace(name, c);
    if (out.current_context.empty()) out.current_context = f.current_context;
  }
  return out;
}

std::vector<std::string> split_kubeconfig_paths(std::string_view value) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= value.size()) {
    size_t colon = value.find(':', start);
    std::string_view part =
        value.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
    if (!part.empty()) {
      bool seen = false;
      for (const auto& p : out) seen = seen || p == part;
      if (!seen) out.emplace_back(part);
    }
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  return out;
}

std::string parent_dir(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {};
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::string resolve_path(std::string_view base, std::string_view path) {
  if (path.empty() || path.front() == '/' || base.empty()) return std::string(path);
  while (path.starts_with("./")) path.remove_prefix(2);
  std::string out(base);
  if (out.back() != '/') out += '/';
  out += path;
  return out;
}

}  // namespace mg::kube
