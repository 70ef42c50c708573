// tests/unit/kube/rest_config_test.cpp: where the configuration comes from (files, KUBECONFIG, in-cluster)
// and what the selected context resolves to.
#include "common/kube/rest_config.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/kube/fixtures.hpp"

using namespace mg;
using namespace mg::kube;
using mg::kube::test::FakeFs;

namespace {

std::string simple_config(const std::string& name, const std::string& server, const std::string& ns = "") {
  std::string out = "current-context: " + name + "\nclusters: [{name: " + name + ", cluster: {server: '" + server +
                    "'}}]\nusers: [{name: " + name + ", user: {token: tok-" + name + "}}]\ncontexts: [{name: " + name +
                    ", context: {cluster: " + name + ", user: " + name;
  if (!ns.empty()) out += ", namespace: " + ns;
  return out + "}}]\n";
}

void set_in_cluster(FakeFs& fs, const std::string& host = "10.96.0.1") {
  fs.vars["KUBERNETES_SERVICE_HOST"] = host;
  fs.vars["KUBERNETES_SERVICE_PORT"] = "443";
  fs.files[std::string(kServiceAccountDir) + "/token"] = "sa-token\n";
  fs.files[std::string(kServiceAccountDir) + "/ca.crt"] = "SA CA";
  fs.files[std::string(kServiceAccountDir) + "/namespace"] = "operators\n";
}

}  // namespace

TEST_CASE("--kubeconfig is used alone and must exist", "[kube]") {
  FakeFs fs;
  fs.files["/explicit"] = simple_config("x", "https://x:6443", "ns-x");
  fs.files["/env"] = simple_config("e", "https://e");
  fs.vars["KUBECONFIG"] = "/env";
  auto cfg = load_rest_config({.kubeconfig_path = "/explicit"}, fs.env());
  REQUIRE(cfg.ok());
  CHECK(cfg->server == "https://x:6443");
  CHECK(cfg->token == "tok-x");
  CHECK(cfg->namespace_name == "ns-x");
  CHECK(cfg->context_name == "x");

  auto missing = load_rest_config({.kubeconfig_path = "/nope"}, fs.env());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::NotFound);
  CHECK(missing.error().message.find("/nope") != std::string::npos);
}

TEST_CASE("KUBECONFIG files merge in order and missing ones are skipped", "[kube]") {
  FakeFs fs;
  fs.files["/one"] = simple_config("one", "https://one");
  fs.files["/two"] = simple_config("two", "https://two");
  fs.vars["KUBECONFIG"] = "/missing:/two:/one";
  auto cfg = load_rest_config({}, fs.env());
  REQUIRE(cfg.ok());
  CHECK(cfg->context_name == "two");  // the first non-empty current-context
  CHECK(cfg->server == "https://two");

  auto other = load_rest_config({.context = "one"}, fs.env());
  REQUIRE(other.ok());
  CHECK(other->server == "https://one");
  CHECK(other->token == "tok-one");
  CHECK(other->namespace_name == "default");
}

TEST_CASE("without KUBECONFIG, $HOME/.kube/config is read", "[kube]") {
  FakeFs fs;
  fs.vars["HOME"] = "/home/me";
  fs.files["/home/me/.kube/config"] = simple_config("home", "https://home/");
  auto cfg = load_rest_config({.namespace_name = "override"}, fs.env());
  REQUIRE(cfg.ok());
  CHECK(cfg->server == "https://home");  // trailing slash dropped
  CHECK(cfg->namespace_name == "override");
}

TEST_CASE("with no kubeconfig at all, the in-cluster service account is used", "[kube]") {
  FakeFs fs;
  fs.vars["HOME"] = "/home/me";
  set_in_cluster(fs);
  auto cfg = load_rest_config({}, fs.env());
  REQUIRE(cfg.ok());
  CHECK(cfg->in_cluster);
  CHECK(cfg->server == "https://10.96.0.1:443");
  CHECK(cfg->token_file == std::string(kServiceAccountDir) + "/token");
  CHECK(cfg->token.empty());  // read per request, so rotation is picked up
  CHECK(cfg->ca_pem == "SA CA");
  CHECK(cfg->namespace_name == "operators");

  SECTION("nothing at all is NotFound") {
    FakeFs empty;
    auto none = load_rest_config({}, empty.env());
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().code == ErrorCode::NotFound);
  }
}

TEST_CASE("in-cluster details: IPv6, POD_NAMESPACE, missing files", "[kube]") {
  FakeFs fs;
  set_in_cluster(fs, "fd00::1");
  auto cfg = in_cluster_rest_config({}, fs.env());
  REQUIRE(cfg.ok());
  CHECK(cfg->server == "https://[fd00::1]:443");

  fs.vars["POD_NAMESPACE"] = "from-env";
  CHECK(in_cluster_rest_config({}, fs.env())->namespace_name == "from-env");
  CHECK(in_cluster_rest_config({.namespace_name = "flag"}, fs.env())->namespace_name == "flag");

  fs.vars.erase("POD_NAMESPACE");
  fs.files.erase(std::string(kServiceAccountDir) + "/namespace");
  fs.files.erase(std::string(kServiceAccountDir) + "/ca.crt");
  auto bare = in_cluster_rest_config({}, fs.env());
  REQUIRE(bare.ok());
  CHECK(bare->namespace_name == "default");
  CHECK(bare->ca_pem.empty());

  fs.files.erase(std::string(kServiceAccountDir) + "/token");
  CHECK_FALSE(in_cluster_rest_config({}, fs.env()).ok());

  CHECK(host_port_url("example.com", "6443") == "https://example.com:6443");
  CHECK(host_port_url("[::1]", "6443") == "https://[::1]:6443");
}

TEST_CASE("prefer_in_cluster puts the service account before kubeconfig files", "[kube]") {
  FakeFs fs;
  fs.vars["HOME"] = "/home/me";
  fs.files["/home/me/.kube/config"] = simple_config("home", "https://home");
  set_in_cluster(fs);
  CHECK(load_rest_config({.prefer_in_cluster = true}, fs.env())->in_cluster);
  CHECK_FALSE(load_rest_config({}, fs.env())->in_cluster);
  fs.files["/k"] = simple_config("k", "https://k");
  CHECK(load_rest_config({.kubeconfig_path = "/k", .prefer_in_cluster = true}, fs.env())->server == "https://k");
}

TEST_CASE("CA and client certificate come from data or from files next to the kubeconfig", "[kube]") {
  FakeFs fs;
  fs.files["/cfg/kc"] = R"(current-context: c
clusters:
- {name: data, cluster: {server: https://d, certificate-authority-data: Q0EgUEVN, certificate-authority: ca.crt}}
- {name: file, cluster: {server: https://f, certificate-authority: ca.crt}}
users:
- {name: data, user: {client-certificate-data: Q0VSVCBQRU0=, client-key-data: S0VZIFBFTQ==}}
- {name: file, user: {client-certificate: pki/c.crt, client-key: pki/c.key, token: t, tokenFile: ignored}}
- {name: half, user: {client-certificate-data: Q0VSVCBQRU0=}}
- {name: tf, user: {tokenFile: tok}}
contexts:
- {name: c, context: {cluster: data, user: data}}
- {name: f, context: {cluster: file, user: file}}
- {name: half, context: {cluster: data, user: half}}
- {name: tf, context: {cluster: data, user: tf}}
- {name: nouser, context: {cluster: data}}
- {name: ghost-user, context: {cluster: data, user: ghost}}
- {name: ghost-cluster, context: {cluster: ghost}}
)";
  fs.files["/cfg/ca.crt"] = "FILE CA";
  fs.files["/cfg/pki/c.crt"] = "FILE CERT";
  fs.files["/cfg/pki/c.key"] = "FILE KEY";

  auto data = load_rest_config({.kubeconfig_path = "/cfg/kc"}, fs.env());
  REQUIRE(data.ok());
  CHECK(data->ca_pem == "CA PEM");  // data wins over the file
  CHECK(data->client_cert_pem == "CERT PEM");
  CHECK(data->client_key_pem == "KEY PEM");

  auto file = load_rest_config({.kubeconfig_path = "/cfg/kc", .context = "f"}, fs.env());
  REQUIRE(file.ok());
  CHECK(file->ca_pem == "FILE CA");
  CHECK(file->client_cert_pem == "FILE CERT");
  CHECK(file->client_key_pem == "FILE KEY");
  CHECK(file->token == "t");
  CHECK(file->token_file.empty());  // a token wins over tokenFile

  auto tf = load_rest_config({.kubeconfig_path = "/cfg/kc", .context = "tf"}, fs.env());
  REQUIRE(tf.ok());
  CHECK(tf->token_file == "/cfg/tok");

  auto anonymous = load_rest_config({.kubeconfig_path = "/cfg/kc", .context = "nouser"}, fs.env());
  REQUIRE(anonymous.ok());
  CHECK(anonymous->token.empty());

  for (const char* bad : {"half", "ghost-user", "ghost-cluster", "no-such-context"}) {
    auto r = load_rest_config({.kubeconfig_path = "/cfg/kc", .context = bad}, fs.env());
    INFO(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::Invalid);
  }

  fs.files.erase("/cfg/pki/c.key");
  auto unreadable = load_rest_config({.kubeconfig_path = "/cfg/kc", .context = "f"}, fs.env());
  REQUIRE_FALSE(unreadable.ok());
  CHECK(unreadable.error().message.find("client-key") != std::string::npos);
}

TEST_CASE("insecure-skip-tls-verify is honoured only when set, and not with a CA", "[kube]") {
  FakeFs fs;
  fs.files["/k"] = R"(current-context: a
clusters:
- {name: a, cluster: {server: https://a, insecure-skip-tls-verify: true}}
- {name: b, cluster: {server: https://b, insecure-skip-tls-verify: true, certificate-authority-data: Q0EgUEVN}}
- {name: c, cluster: {server: c.example:6443, tls-server-name: api.internal}}
contexts: [{name: a, context: {cluster: a}}, {name: b, context: {cluster: b}}, {name: c, context: {cluster: c}}]
)";
  auto a = load_rest_config({.kubeconfig_path = "/k"}, fs.env());
  REQUIRE(a.ok());
  CHECK(a->insecure_skip_tls_verify);
  CHECK_FALSE(load_rest_config({.kubeconfig_path = "/k", .context = "b"}, fs.env()).ok());
  auto c = load_rest_config({.kubeconfig_path = "/k", .context = "c"}, fs.env());
  REQUIRE(c.ok());
  CHECK_FALSE(c->insecure_skip_tls_verify);
  CHECK(c->server == "https://c.example:6443");  // a scheme-less server defaults to https
  CHECK(c->tls_server_name == "api.internal");
}

TEST_CASE("a legacy auth-provider alone is refused with a hint", "[kube]") {
  FakeFs fs;
  fs.files["/k"] = R"(current-context: a
clusters: [{name: a, cluster: {server: https://a}}]
users: [{name: a, user: {auth-provider: {name: gcp}}}]
contexts: [{name: a, context: {cluster: a, user: a}}]
)";
  auto r = load_rest_config({.kubeconfig_path = "/k"}, fs.env());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("auth-provider \"gcp\" is not supported") != std::string::npos);
}

TEST_CASE("no current-context asks for --context", "[kube]") {
  FakeFs fs;
  fs.files["/k"] = "clusters: [{name: a, cluster: {server: https://a}}]";
  auto r = load_rest_config({.kubeconfig_path = "/k"}, fs.env());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("--context") != std::string::npos);
}
