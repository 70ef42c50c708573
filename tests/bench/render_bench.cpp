// tests/bench/render_bench.cpp
// Prints the time and peak memory of rendering a large cluster offline: 3 cells, 4 databases with
// 8 shards each, 2 pools per shard (decode + resolve + build + encode to YAML). Numbers, not a test.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "common/render/render.hpp"

namespace {

std::string big_cluster() {
  std::string y =
      "apiVersion: multigres.com/v1alpha1\nkind: MultigresCluster\nmetadata: {name: bench, namespace: bench}\n"
      "spec:\n  cells:\n  - zone: us-east-1a\n  - zone: us-east-1b\n  - zone: us-east-1c\n  databases:\n";
  for (int d = 0; d < 4; ++d) {
    y += "  - name: db" + std::to_string(d) + "\n    tablegroups:\n    - name: default\n      shards:\n";
    for (int s = 0; s < 8; ++s) {
      y += "      - name: \"" + std::to_string(s) + "\"\n        spec:\n          pools:\n";
      y += "            a: {cell: us-east-1a, replicas: 2}\n            b: {cell: us-east-1b, replicas: 1}\n";
    }
  }
  return y;
}

}  // namespace

int main(int argc, char** argv) {
  int iterations = argc > 1 ? std::stoi(argv[1]) : 50;
  const std::string text = big_cluster();
  size_t objects = 0;
  size_t bytes = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) {
    auto input = mg::render::load({{"bench.yaml", text}});
    auto output = mg::render::render(input);
    if (!input.errors.empty() || !output.errors.empty()) {
      std::fprintf(stderr, "render failed\n");
      return 1;
    }
    std::vector<const mg::json::Value*> values;
    for (const auto& o : output.objects) values.push_back(&o);
    bytes = mg::json::to_yaml_stream(values).size();
    objects = output.objects.size();
  }
  double total_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("render: 3 cells, 4 databases x 8 shards, 2 pools per shard\n");
  std::printf("objects rendered:   %zu (%zu bytes of YAML)\n", objects, bytes);
  std::printf("iterations:         %d\n", iterations);
  std::printf("time per render:    %.2f ms\n", total_ms / iterations);
  std::printf("peak RSS:           %.1f MiB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
