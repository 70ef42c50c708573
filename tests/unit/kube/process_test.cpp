// tests/unit/kube/process_test.cpp: spawning a credential plugin (/bin/sh stands in for one).
#include "common/kube/process.hpp"

#include <catch2/catch.hpp>

using namespace mg;
using namespace mg::kube;

TEST_CASE("a process's stdout, stderr, exit code and extra environment", "[kube]") {
  ProcessSpec spec;
  spec.command = "sh";
  spec.args = {"-c", "printf '%s' \"$MG_TEST_VAR\"; echo oops >&2; exit 3"};
  spec.extra_env = {{"MG_TEST_VAR", "hello world"}};
  auto r = run_process(spec);
  REQUIRE(r.ok());
  CHECK(r->out == "hello world");
  CHECK(r->err == "oops\n");
  CHECK(r->exit_code == 3);
}

TEST_CASE("stdin is /dev/null for a non-interactive plugin", "[kube]") {
  ProcessSpec spec;
  spec.command = "/bin/sh";
  spec.args = {"-c", "cat; echo done"};
  auto r = run_process(spec);
  REQUIRE(r.ok());
  CHECK(r->out == "done\n");
  CHECK(r->exit_code == 0);
}

TEST_CASE("a missing command is NotFound and a hung one is killed", "[kube]") {
  ProcessSpec missing;
  missing.command = "mg-no-such-credential-plugin";
  auto r = run_process(missing);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::NotFound);

  ProcessSpec hung;
  hung.command = "sleep";
  hung.args = {"10"};
  hung.timeout = std::chrono::milliseconds(200);
  auto start = std::chrono::steady_clock::now();
  auto t = run_process(hung);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().code == ErrorCode::Transient);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}
