// tests/integration/runtime/test_env.hpp
//! The runtime integration tests' shared client and namespace (mg-rt-<random>, deleted at exit), against
//! the API server KUBECONFIG names (ctest runs them through tests/integration/with_cluster.sh minimal).
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>

#include "common/kube/client.hpp"

namespace mg::test {

struct RuntimeEnv {
  std::unique_ptr<kube::Client> client;
  std::string ns;
};

inline RuntimeEnv& runtime_env() {
  static RuntimeEnv* instance = []() -> RuntimeEnv* {
    static RuntimeEnv e;
    const char* kc = std::getenv("KUBECONFIG");
    if (kc == nullptr || *kc == '\0') {
      FAIL("KUBECONFIG is not set: run through tests/integration/with_cluster.sh minimal");
    }
    auto c = kube::connect(kube::LoadOptions{}, {});
    if (!c.ok()) {
      FAIL("connect: " << c.error().message);
    }
    e.client = std::move(c).value();
    std::mt19937_64 rng{std::random_device{}()};
    e.ns = "mg-rt-";
    for (int i = 0; i < 6; ++i) e.ns += "0123456789abcdef"[rng() % 16];
    auto ns = json::parse_json(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")" + e.ns + R"("}})",
                               "namespace");
    REQUIRE(ns.ok());
    auto created = e.client->create(*ns);
    if (!created.ok()) {
      FAIL("creating namespace: " << created.error().message);
    }
    std::atexit([] { (void)e.client->remove({.api_version = "v1", .kind = "Namespace", .name = e.ns}); });
    return &e;
  }();
  return *instance;
}

}  // namespace mg::test
