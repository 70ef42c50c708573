// tests/unit/kube/kubeconfig_test.cpp: parsing one kubeconfig and merging several.
#include "common/kube/kubeconfig.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/kube/fixtures.hpp"

using namespace mg;
using namespace mg::kube;

namespace {

const char* kConfig = R"(apiVersion: v1
kind: Config
current-context: dev
preferences: {}
clusters:
- name: dev-cluster
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: Q0EgUEVN
    tls-server-name: kubernetes.default
    proxy-url: http://proxy:3128
    extensions:
    - name: client.authentication.k8s.io/exec
      extension:
        audience: dev
- name: file-cluster
  cluster:
    server: https://example.com
    certificate-authority: certs/ca.crt
    insecure-skip-tls-verify: false
- name: insecure
  cluster:
    server: https://127.0.0.1:1234
    insecure-skip-tls-verify: true
users:
- name: data-user
  user:
    client-certificate-data: Q0VSVCBQRU0=
    client-key-data: S0VZIFBFTQ==
- name: file-user
  user:
    client-certificate: client.crt
    client-key: /abs/client.key
    tokenFile: tokens/t
- name: token-user
  user:
    token: abc.def
contexts:
- name: dev
  context:
    cluster: dev-cluster
    user: data-user
    namespace: team-a
- name: files
  context:
    cluster: file-cluster
    user: file-user
)";

}  // namespace

TEST_CASE("a kubeconfig is parsed with data decoded and paths made absolute", "[kube]") {
  auto cfg = parse_kubeconfig(kConfig, "/home/me/.kube/config");
  REQUIRE(cfg.ok());
  CHECK(cfg->current_context == "dev");
  REQUIRE(cfg->clusters.size() == 3);
  const ClusterEntry& dev = cfg->clusters.at("dev-cluster");
  CHECK(dev.server == "https://10.0.0.1:6443");
  CHECK(dev.certificate_authority_data == "CA PEM");
  CHECK(dev.tls_server_name == "kubernetes.default");
  CHECK(dev.proxy_url == "http://proxy:3128");
  CHECK(dev.exec_extension_json == R"({"audience":"dev"})");
  CHECK(cfg->clusters.at("file-cluster").certificate_authority == "/home/me/.kube/certs/ca.crt");
  CHECK_FALSE(cfg->clusters.at("file-cluster").insecure_skip_tls_verify);
  CHECK(cfg->clusters.at("insecure").insecure_skip_tls_verify);

  const AuthEntry& data = cfg->users.at("data-user");
  CHECK(data.client_certificate_data == "CERT PEM");
  CHECK(data.client_key_data == "KEY PEM");
  const AuthEntry& files = cfg->users.at("file-user");
  CHECK(files.client_certificate == "/home/me/.kube/client.crt");
  CHECK(files.client_key == "/abs/client.key");
  CHECK(files.token_file == "/home/me/.kube/tokens/t");
  CHECK(cfg->users.at("token-user").token == "abc.def");

  CHECK(cfg->contexts.at("dev").cluster == "dev-cluster");
  CHECK(cfg->contexts.at("dev").user == "data-user");
  CHECK(cfg->contexts.at("dev").namespace_name == "team-a");
  CHECK(cfg->contexts.at("files").namespace_name.empty());
}

TEST_CASE("relative paths stay relative when the kubeconfig has no directory", "[kube]") {
  auto cfg = parse_kubeconfig("users: [{name: u, user: {client-certificate: c.crt}}]", "kubeconfig");
  REQUIRE(cfg.ok());
  CHECK(cfg->users.at("u").client_certificate == "c.crt");
  auto rel = parse_kubeconfig("users: [{name: u, user: {client-certificate: c.crt}}]", "conf/kc");
  REQUIRE(rel.ok());
  CHECK(rel->users.at("u").client_certificate == "conf/c.crt");
}

TEST_CASE("an empty kubeconfig is an empty configuration", "[kube]") {
  auto cfg = parse_kubeconfig("", "/x");
  REQUIRE(cfg.ok());
  CHECK(cfg->empty());
}

TEST_CASE("numeric-looking scalars are read as strings", "[kube]") {
  auto cfg = parse_kubeconfig("users: [{name: 12, user: {token: 12345}}]\ncurrent-context: 7", "");
  REQUIRE(cfg.ok());
  CHECK(cfg->users.at("12").token == "12345");
  CHECK(cfg->current_context == "7");
}

TEST_CASE("bad kubeconfigs name the file and the field", "[kube]") {
  auto bad_b64 = parse_kubeconfig("clusters: [{name: c, cluster: {certificate-authority-data: '@@@'}}]", "/k");
  REQUIRE_FALSE(bad_b64.ok());
  CHECK(bad_b64.error().code == ErrorCode::Invalid);
  CHECK(bad_b64.error().terminal);
  CHECK(bad_b64.error().message.find("/k: clusters[0].cluster.certificate-authority-data") != std::string::npos);

  auto no_name = parse_kubeconfig("contexts: [{context: {cluster: c}}]", "/k");
  REQUIRE_FALSE(no_name.ok());
  CHECK(no_name.error().message.find("contexts[0]: missing name") != std::string::npos);

  auto not_list = parse_kubeconfig("users: {a: b}", "/k");
  REQUIRE_FALSE(not_list.ok());

  auto bad_yaml = parse_kubeconfig("clusters: [", "/k");
  REQUIRE_FALSE(bad_yaml.ok());
  CHECK(bad_yaml.error().code == ErrorCode::Invalid);
}

TEST_CASE("exec plugin configuration is parsed and validated", "[kube]") {
  const char* text = R"(users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/get-token
      args: [--cluster, prod, 42]
      env:
      - {name: FOO, value: bar}
      - {name: EMPTY}
      interactiveMode: Never
      provideClusterInfo: true
      installHint: install get-token from example.com
)";
  auto cfg = parse_kubeconfig(text, "/etc/kube/config");
  REQUIRE(cfg.ok());
  const ExecConfig& e = *cfg->users.at("u").exec;
  CHECK(e.api_version == "client.authentication.k8s.io/v1");
  CHECK(e.command == "/etc/kube/bin/get-token");
  CHECK(e.args == std::vector<std::string>{"--cluster", "prod", "42"});
  REQUIRE(e.env.size() == 2);
  CHECK(e.env[0] == std::pair<std::string, std::string>{"FOO", "bar"});
  CHECK(e.env[1] == std::pair<std::string, std::string>{"EMPTY", ""});
  CHECK(e.interactive_mode == InteractiveMode::Never);
  CHECK(e.provide_cluster_info);
  CHECK(e.install_hint == "install get-token from example.com");

  SECTION("a bare command is looked up in PATH") {
    auto bare = parse_kubeconfig(R"(users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1,
      command: aws}}}])",
                                 "/etc/kube/config");
    REQUIRE(bare.ok());
    CHECK(bare->users.at("u").exec->command == "aws");
    CHECK(bare->users.at("u").exec->interactive_mode == InteractiveMode::IfAvailable);  // v1beta1 default
  }
  SECTION("v1 requires interactiveMode") {
    auto missing = parse_kubeconfig(
        "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: x}}}]", "/k");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message.find("interactiveMode") != std::string::npos);
  }
  SECTION("unknown apiVersion and bad mode are rejected") {
    CHECK_FALSE(
        parse_kubeconfig(
            "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: x}}}]", "/k")
            .ok());
    CHECK_FALSE(parse_kubeconfig("users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, "
                                 "command: x, interactiveMode: Sometimes}}}]",
                                 "/k")
                    .ok());
    CHECK_FALSE(
        parse_kubeconfig(
            "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never}}}]",
            "/k")
            .ok());
  }
}

TEST_CASE("merging keeps the first definition of each name and the first current-context", "[kube]") {
  auto a = parse_kubeconfig(R"(
clusters: [{name: shared, cluster: {server: https://a}}]
users: [{name: shared, user: {token: from-a}}]
contexts: [{name: shared, context: {cluster: shared, user: shared, namespace: a}}]
)",
                            "/a");
  auto b = parse_kubeconfig(R"(
current-context: shared
clusters: [{name: shared, cluster: {server: https://b}}, {name: only-b, cluster: {server: https://ob}}]
users: [{name: shared, user: {token: from-b}}]
contexts: [{name: shared, context: {cluster: only-b}}, {name: b-ctx, context: {cluster: only-b}}]
)",
                            "/b");
  auto c = parse_kubeconfig("current-context: from-c", "/c");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(c.ok());
  Kubeconfig merged = merge_kubeconfigs({*a, *b, *c});
  CHECK(merged.current_context == "shared");  // a's is empty, b's is first non-empty
  CHECK(merged.clusters.at("shared").server == "https://a");
  CHECK(merged.clusters.at("only-b").server == "https://ob");
  CHECK(merged.users.at("shared").token == "from-a");
  CHECK(merged.contexts.at("shared").namespace_name == "a");
  CHECK(merged.contexts.count("b-ctx") == 1);
}

TEST_CASE("KUBECONFIG is split on ':' without empties or repeats", "[kube]") {
  CHECK(split_kubeconfig_paths("/a:/b::/a:/c:") == std::vector<std::string>{"/a", "/b", "/c"});
  CHECK(split_kubeconfig_paths("").empty());
  CHECK(split_kubeconfig_paths("/only") == std::vector<std::string>{"/only"});
}

TEST_CASE("path helpers", "[kube]") {
  CHECK(parent_dir("/a/b/c") == "/a/b");
  CHECK(parent_dir("/c") == "/");
  CHECK(parent_dir("c") == "");
  CHECK(resolve_path("/a", "b/c") == "/a/b/c");
  CHECK(resolve_path("/a/", "b") == "/a/b");
  CHECK(resolve_path("/a", "/abs") == "/abs");
  CHECK(resolve_path("", "rel") == "rel");
  CHECK(resolve_path("/a", "./b") == "/a/b");
}
