// tests/bench/largest_bench.cpp
// The largest cluster the CRD allows, rendered offline: 50 cells, 16 databases x 20 tablegroups x 32
// shards (10,240 shards), each shard 8 pools (one per cell of the first eight) of 32 pods, through one
// ShardTemplate so that the MultigresCluster itself stays small. Prints the bytes of the manifest, the
// time and peak memory of decode + resolve + build, the objects and bytes rendered, and the largest
// object by kind: the API server (etcd) refuses an object over 1.5 MiB. Numbers, not a test.
// Usage: largest_bench [DATABASES] (default 16; fewer for a quick run)
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>

#include "common/render/render.hpp"

namespace {

constexpr int kCells = 50, kTableGroups = 20, kShards = 32, kPools = 8, kReplicas = 32;

std::string largest_cluster(int databases) {
  std::string y =
      "apiVersion: multigres.com/v1alpha1\nkind: ShardTemplate\nmetadata: {name: big, namespace: bench}\n"
      "spec:\n  pools:\n";
  for (int p = 0; p < kPools; ++p) {
    y += "    p" + std::to_string(p) + ": {cell: z" + std::to_string(p) + ", replicas: " + std::to_string(kReplicas) +
         "}\n";
  }
  y += "---\napiVersion: multigres.com/v1alpha1\nkind: MultigresCluster\nmetadata: {name: largest, namespace: bench}\n"
       "spec:\n  cells:\n";
  for (int c = 0; c < kCells; ++c)
    y += "  - {name: z" + std::to_string(c) + ", zone: zone-" + std::to_string(c) + "}\n";
  y += "  databases:\n";
  for (int d = 0; d < databases; ++d) {
    y += "  - name: db" + std::to_string(d) + "\n    tablegroups:\n";
    for (int t = 0; t < kTableGroups; ++t) {
      y += "    - name: tg" + std::to_string(t) + "\n      shards:\n";
      for (int s = 0; s < kShards; ++s) y += "      - {name: s" + std::to_string(s) + ", shardTemplate: big}\n";
    }
  }
  return y;
}

}  // namespace

int main(int argc, char** argv) {
  const int databases = argc > 1 ? std::stoi(argv[1]) : 16;
  const std::string text = largest_cluster(databases);
  auto start = std::chrono::steady_clock::now();
  auto input = mg::render::load({{"largest.yaml", text}});
  auto output = mg::render::render(input);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!input.errors.empty() || !output.errors.empty()) {
    std::fprintf(stderr, "largest_bench: %s\n", (input.errors.empty() ? output.errors : input.errors).front().c_str());
    return 1;
  }
  size_t bytes = 0;
  std::map<std::string, std::pair<size_t, std::string>> largest;  // kind -> (bytes, name)
  for (const auto& o : output.objects) {
    size_t n = mg::json::to_json(o).size();
    bytes += n;
    auto& entry = largest[mg::json::get_string(o, "kind")];
    if (n > entry.first) entry = {n, mg::json::get_string(*mg::json::find(o, "metadata"), "name")};
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("largest cluster: %d cells, %d databases x %d tablegroups x %d shards, %d pools of %d pods each\n",
              kCells, databases, kTableGroups, kShards, kPools, kReplicas);
  std::printf("manifest:          %zu bytes of YAML (the MultigresCluster and one ShardTemplate)\n", text.size());
  std::printf("render:            %.0f ms, peak RSS %.0f MiB\n", ms, static_cast<double>(usage.ru_maxrss) / 1024.0);
  std::printf("objects rendered:  %zu, %zu bytes of JSON\n", output.objects.size(), bytes);
  std::printf("largest object of each kind (bytes of JSON; etcd refuses over 1,572,864):\n");
  for (const auto& [kind, entry] : largest)
    std::printf("  %-22s %9zu  %s\n", kind.c_str(), entry.first, entry.second.c_str());
  return 0;
}
