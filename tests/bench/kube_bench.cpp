// tests/bench/kube_bench.cpp
// Requests per second of mg::kube::Client for GET and server-side apply against the API server in
// KUBECONFIG, next to kubectl doing the same operations (one process per operation, as scripts use it).
// Run: tests/integration/with_cluster.sh minimal -- build/tests/kube_bench [N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/kube/client.hpp"

using namespace mg;
using Clock = std::chrono::steady_clock;

namespace {

json::Document config_map(const std::string& value) {
  auto doc = json::parse_json(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"bench","namespace":"default"},)"
                              R"("data":{"key":")" + value + R"("}})",
                              "bench");
  return std::move(doc).value();
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double run_shell(const std::string& cmd, int n) {
  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    if (std::system(cmd.c_str()) != 0) {
      std::fprintf(stderr, "failed: %s\n", cmd.c_str());
      std::exit(1);
    }
  }
  return n / seconds_since(t0);
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 500;
  int kubectl_n = std::max(1, n / 10);
  auto client = kube::connect(kube::LoadOptions{});
  if (!client.ok()) {
    std::fprintf(stderr, "connect: %s\n", client.error().message.c_str());
    return 1;
  }
  kube::ApplyOptions apply{.field_manager = "mg-bench", .force = true};
  if (!(*client)->apply(config_map("0"), apply).ok()) return 1;
  kube::ObjectRef ref{.api_version = "v1", .kind = "ConfigMap", .namespace_name = "default", .name = "bench"};

  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    if (!(*client)->get(ref).ok()) return 1;
  }
  double get_rps = n / seconds_since(t0);
  t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    if (!(*client)->apply(config_map(std::to_string(i)), apply).ok()) return 1;
  }
  double apply_rps = n / seconds_since(t0);

  double kubectl_get_rps = run_shell("kubectl get configmap bench -n default -o name >/dev/null", kubectl_n);
  std::string manifest = "/tmp/mg-kube-bench.json";
  std::FILE* f = std::fopen(manifest.c_str(), "w");
  std::fputs(json::to_json(config_map("kubectl")).c_str(), f);
  std::fclose(f);
  double kubectl_apply_rps = run_shell(
      "kubectl apply --server-side --force-conflicts --field-manager=mg-bench -f " + manifest + " >/dev/null",
      kubectl_n);

  std::printf("%-28s %10s %10s %8s\n", "operation", "mg (rps)", "kubectl", "ratio");
  std::printf("%-28s %10.0f %10.1f %7.1fx\n", "GET configmap", get_rps, kubectl_get_rps, get_rps / kubectl_get_rps);
  std::printf("%-28s %10.0f %10.1f %7.1fx\n", "server-side apply configmap", apply_rps, kubectl_apply_rps,
              apply_rps / kubectl_apply_rps);
  std::printf("(%d operations with mg::kube::Client on one connection; %d kubectl processes)\n", n, kubectl_n);
  return 0;
}
