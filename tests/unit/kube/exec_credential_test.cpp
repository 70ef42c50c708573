// tests/unit/kube/exec_credential_test.cpp: the ExecCredential protocol and credential caching.
#include "common/kube/exec_credential.hpp"

#include <catch2/catch.hpp>
#include <map>

#include "common/kube/credentials.hpp"
#include "common/kube/encoding.hpp"
#include "common/util/json.hpp"

using namespace mg;
using namespace mg::kube;

namespace {

ExecConfig v1_exec() {
  ExecConfig e;
  e.api_version = "client.authentication.k8s.io/v1";
  e.command = "get-token";
  e.args = {"--x"};
  e.env = {{"A", "1"}};
  e.interactive_mode = InteractiveMode::Never;
  return e;
}

std::string credential_json(const std::string& status) {
  return R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":)" + status + "}";
}

}  // namespace

TEST_CASE("ExecCredential output with a token and an expiry", "[kube]") {
  auto c = parse_exec_credential(credential_json(R"({"token":"t0k","expirationTimestamp":"2030-01-01T00:00:00Z"})"),
                                 v1_exec());
  REQUIRE(c.ok());
  CHECK(c->token == "t0k");
  REQUIRE(c->expiry);
  CHECK(*c->expiry == *parse_rfc3339("2030-01-01T00:00:00Z"));
  CHECK_FALSE(c->expired(*parse_rfc3339("2029-12-31T23:59:59Z")));
  CHECK(c->expired(*parse_rfc3339("2030-01-01T00:00:00Z")));
}

TEST_CASE("ExecCredential output with a client certificate and no expiry", "[kube]") {
  auto c =
      parse_exec_credential(credential_json(R"({"clientCertificateData":"CERT","clientKeyData":"KEY"})"), v1_exec());
  REQUIRE(c.ok());
  CHECK(c->client_cert_pem == "CERT");
  CHECK(c->client_key_pem == "KEY");
  CHECK_FALSE(c->expiry);
  CHECK_FALSE(c->expired(std::chrono::system_clock::now()));
}

TEST_CASE("bad ExecCredential output is Invalid", "[kube]") {
  ExecConfig e = v1_exec();
  CHECK_FALSE(parse_exec_credential("not json", e).ok());
  CHECK_FALSE(parse_exec_credential(credential_json(R"({})"), e).ok());
  CHECK_FALSE(parse_exec_credential(credential_json(R"({"clientCertificateData":"CERT"})"), e).ok());
  CHECK_FALSE(parse_exec_credential(credential_json(R"({"token":"t","expirationTimestamp":"tomorrow"})"), e).ok());
  auto wrong_version = parse_exec_credential(
      R"({"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}})", e);
  REQUIRE_FALSE(wrong_version.ok());
  CHECK(wrong_version.error().message.find("apiVersion") != std::string::npos);
  CHECK_FALSE(parse_exec_credential(R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"Other"})", e).ok());
  auto no_status =
      parse_exec_credential(R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"})", e);
  REQUIRE_FALSE(no_status.ok());
  CHECK(no_status.error().code == ErrorCode::Invalid);
}

TEST_CASE("interactiveMode decides whether the plugin gets the terminal", "[kube]") {
  ExecConfig e = v1_exec();
  e.interactive_mode = InteractiveMode::Never;
  CHECK(*exec_interactive(e, true) == false);
  e.interactive_mode = InteractiveMode::IfAvailable;
  CHECK(*exec_interactive(e, true) == true);
  CHECK(*exec_interactive(e, false) == false);
  e.interactive_mode = InteractiveMode::Always;
  CHECK(*exec_interactive(e, true) == true);
  e.install_hint = "brew install get-token";
  auto no_tty = exec_interactive(e, false);
  REQUIRE_FALSE(no_tty.ok());
  CHECK(no_tty.error().message.find("brew install get-token") != std::string::npos);
}

TEST_CASE("KUBERNETES_EXEC_INFO carries cluster info only when asked", "[kube]") {
  RestConfig config;
  config.server = "https://k:6443";
  config.ca_pem = "CA";
  config.tls_server_name = "api";
  config.cluster.exec_extension_json = R"({"audience":"x"})";
  ExecConfig e = v1_exec();
  auto plain = json::parse_json(exec_credential_request(config, e, false), "t");
  REQUIRE(plain.ok());
  CHECK(json::to_json(*plain) ==
        R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}})");
  e.provide_cluster_info = true;
  auto with_cluster = json::parse_json(exec_credential_request(config, e, true), "t");
  REQUIRE(with_cluster.ok());
  CHECK(json::to_json(*json::at_path(*with_cluster, "spec")) ==
        R"({"interactive":true,"cluster":{"server":"https://k:6443","tls-server-name":"api",)"
        R"("certificate-authority-data":"Q0E=","config":{"audience":"x"}}})");
}

namespace {

struct Harness {
  std::chrono::system_clock::time_point now = *parse_rfc3339("2030-01-01T00:00:00Z");
  std::map<std::string, std::string> files;
  std::vector<ProcessSpec> runs;
  std::string plugin_output;
  int plugin_exit = 0;

  CredentialDeps deps() {
    CredentialDeps d;
    d.now = [this] { return now; };
    d.read_file = [this](const std::string& path) -> Result<std::string> {
      auto it = files.find(path);
      if (it == files.end()) return make_error(ErrorCode::NotFound, path + ": missing");
      return it->second;
    };
    d.run = [this](const ProcessSpec& spec) -> Result<ProcessOutput> {
      runs.push_back(spec);
      return ProcessOutput{plugin_exit, plugin_output, "plugin says no"};
    };
    return d;
  }
};

}  // namespace

TEST_CASE("static credentials need no I/O and cannot be refreshed", "[kube]") {
  Harness h;
  RestConfig config;
  config.token = "static";
  config.client_cert_pem = "C";
  config.client_key_pem = "K";
  CredentialSource source(config, h.deps());
  auto c = source.get();
  REQUIRE(c.ok());
  CHECK(c->bearer_token == "static");
  CHECK(c->client_cert_pem == "C");
  CHECK_FALSE(source.invalidate());
}

TEST_CASE("a token file is re-read after a minute or after a 401", "[kube]") {
  Harness h;
  h.files["/sa/token"] = "first\n";
  RestConfig config;
  config.token_file = "/sa/token";
  CredentialSource source(config, h.deps());
  CHECK(source.get()->bearer_token == "first");
  h.files["/sa/token"] = "second";
  h.now += std::chrono::seconds(59);
  CHECK(source.get()->bearer_token == "first");  // cached
  h.now += std::chrono::seconds(1);
  CHECK(source.get()->bearer_token == "second");  // a minute passed
  h.files["/sa/token"] = "third";
  CHECK(source.invalidate());
  CHECK(source.get()->bearer_token == "third");  // after a 401
  h.files.erase("/sa/token");
  h.now += std::chrono::minutes(5);
  CHECK(source.get()->bearer_token == "third");  // briefly missing: keep the last good one
  CredentialSource fresh(config, h.deps());
  auto missing = fresh.get();
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::Unauthorized);
}

TEST_CASE("exec credentials are cached until they expire or a 401", "[kube]") {
  Harness h;
  h.plugin_output = credential_json(R"({"token":"exec-1","expirationTimestamp":"2030-01-01T01:00:00Z"})");
  RestConfig config;
  config.server = "https://k";
  config.token = "ignored-when-exec-returns-a-token";
  config.exec = v1_exec();
  CredentialSource source(config, h.deps());
  CHECK(source.get()->bearer_token == "exec-1");
  REQUIRE(h.runs.size() == 1);
  const ProcessSpec& spec = h.runs[0];
  CHECK(spec.command == "get-token");
  CHECK(spec.args == std::vector<std::string>{"--x"});
  CHECK_FALSE(spec.interactive);
  REQUIRE(spec.extra_env.size() == 2);
  CHECK(spec.extra_env[0] == std::pair<std::string, std::string>{"A", "1"});
  CHECK(spec.extra_env[1].first == "KUBERNETES_EXEC_INFO");

  h.plugin_output = credential_json(R"({"token":"exec-2","expirationTimestamp":"2030-01-01T02:00:00Z"})");
  h.now += std::chrono::minutes(59);
  CHECK(source.get()->bearer_token == "exec-1");
  CHECK(h.runs.size() == 1);
  h.now += std::chrono::minutes(1);
  CHECK(source.get()->bearer_token == "exec-2");  // expired: re-run
  CHECK(h.runs.size() == 2);

  h.plugin_output = credential_json(R"({"clientCertificateData":"EC","clientKeyData":"EK"})");
  CHECK(source.invalidate());
  auto certs = source.get();
  REQUIRE(certs.ok());
  CHECK(h.runs.size() == 3);
  CHECK(certs->client_cert_pem == "EC");
  CHECK(certs->bearer_token == "ignored-when-exec-returns-a-token");  // no exec token: the static one stays

  h.plugin_exit = 1;
  source.invalidate();
  auto failed = source.get();
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code == ErrorCode::Unauthorized);
  CHECK(failed.error().message.find("plugin says no") != std::string::npos);
}
