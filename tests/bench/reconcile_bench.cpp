// tests/bench/reconcile_bench.cpp
// One full reconcile pass of the plugin_view_bench cluster (3 cells, 32 shards in 4 databases), without
// I/O: decode, resolve, build every object the operator owns, and compare each with the cached copy the
// way the applier does in steady state (content hash, then "covers"). Run once under callgrind by
// tests/bench/reconcile_callgrind.sh (`make bench-reconcile`), which counts instructions in
// reconcile_pass() only; run alone, it prints the objects and the wall time per pass.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "common/render/render.hpp"
#include "operator/runtime/applier.hpp"

namespace {

// As big_cluster in tests/bench/plugin_view_bench.sh: orders (default: 8 shards, history: 4), users (8),
// catalog (4), inventory (8); each shard's pool `default` in one cell, round robin.
std::string benchmark_cluster() {
  const char* cells[] = {"us-east-1a", "us-east-1b", "us-east-1c"};
  std::string y =
      "apiVersion: multigres.com/v1alpha1\nkind: MultigresCluster\nmetadata: {name: shop, namespace: bench}\n"
      "spec:\n  cells:\n  - zone: us-east-1a\n  - zone: us-east-1b\n  - zone: us-east-1c\n  databases:\n";
  struct Group {
    const char* db;
    const char* tablegroup;
    int shards;
    bool first_of_db;
  };
  const Group groups[] = {{"orders", "default", 8, true},
                          {"orders", "history", 4, false},
                          {"users", "default", 8, true},
                          {"catalog", "default", 4, true},
                          {"inventory", "default", 8, true}};
  int i = 0;
  for (const auto& g : groups) {
    if (g.first_of_db) y += std::string("  - name: ") + g.db + "\n    tablegroups:\n";
    y += std::string("    - name: ") + g.tablegroup + "\n      shards:\n";
    for (int s = 0; s < g.shards; ++s) {
      y += "      - name: \"" + std::to_string(s) +
           "\"\n        overrides: {pools: {default: {cell: " + cells[i++ % 3] + "}}}\n";
    }
  }
  return y;
}

struct Pass {
  size_t objects = 0;
  size_t up_to_date = 0;
};

std::vector<mg::json::Document> rendered(const std::string& text) {
  auto input = mg::render::load({{"bench.yaml", text}});
  auto output = mg::render::render(input);
  if (!input.errors.empty() || !output.errors.empty()) return {};
  return std::move(output.objects);
}

// What one pass costs: the only function callgrind counts (--toggle-collect). `cache` is what the
// informers hold in steady state: every object as last applied, in render order.
[[gnu::noinline]] Pass reconcile_pass(const std::string& text, const std::vector<mg::json::Document>& cache) {
  Pass pass;
  std::vector<mg::json::Document> objects = rendered(text);
  for (size_t i = 0; i < objects.size() && i < cache.size(); ++i) {
    mg::json::Document desired = mg::runtime::Applier::with_hash(std::move(objects[i]));
    pass.up_to_date += mg::runtime::Applier::up_to_date(desired, cache[i]) ? 1 : 0;
    ++pass.objects;
  }
  return pass;
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::stoi(argv[1]) : 20;
  const std::string text = benchmark_cluster();
  std::vector<mg::json::Document> cache;
  for (auto& object : rendered(text)) cache.push_back(mg::runtime::Applier::with_hash(std::move(object)));
  Pass pass;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) pass = reconcile_pass(text, cache);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (pass.objects == 0) {
    std::fprintf(stderr, "reconcile_bench: the benchmark cluster did not render\n");
    return 1;
  }
  std::printf("reconcile pass: 3 cells, 32 shards; %zu objects built and compared, %zu up to date\n", pass.objects,
              pass.up_to_date);
  std::printf("time per pass:  %.2f ms (%d passes)\n", ms / iterations, iterations);
  return pass.up_to_date == pass.objects ? 0 : 1;
}
