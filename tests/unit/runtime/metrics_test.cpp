// tests/unit/runtime/metrics_test.cpp: the Prometheus registry: updates, drops, exposition text, process metrics.
#include "operator/runtime/metrics.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using mg::runtime::Labels;
using mg::runtime::Metrics;
using mg::runtime::MetricType;

namespace {

double dropped(const Metrics& m, const std::string& metric, const std::string& reason) {
  return m.value(mg::runtime::kMetricsDropped, {{"metric", metric}, {"reason", reason}});
}

}  // namespace

TEST_CASE("counters and gauges keep one series per label set, whatever the label order", "[runtime]") {
  Metrics m;
  m.describe("jobs_total", "Jobs.", MetricType::Counter);
  m.describe("depth", "Depth.", MetricType::Gauge);

  m.inc("jobs_total", {{"a", "1"}, {"b", "2"}});
  m.inc("jobs_total", {{"b", "2"}, {"a", "1"}}, 2.5);
  m.inc("jobs_total");
  CHECK(m.value("jobs_total", {{"a", "1"}, {"b", "2"}}) == 3.5);
  CHECK(m.value("jobs_total") == 1);
  CHECK(m.value("jobs_total", {{"a", "other"}}) == 0);
  CHECK(m.value("absent") == 0);

  m.set("depth", {{"controller", "cell"}}, 7);
  m.inc("depth", {{"controller", "cell"}}, -2);  // gauges go both ways
  CHECK(m.value("depth", {{"controller", "cell"}}) == 5);
}

TEST_CASE("render writes the text exposition format with escaping and sorted series", "[runtime]") {
  Metrics m;
  m.describe("zeta", "Last family.", MetricType::Gauge);
  m.describe("alpha_total", "Help with \\ and\nnewline.", MetricType::Counter);
  m.describe("empty", "Nothing yet.", MetricType::Gauge);
  m.inc("alpha_total", {{"path", "b"}}, 2);
  m.inc("alpha_total", {{"path", "a\"q\\\n"}});
  m.set("zeta", {}, 0.25);

  CHECK(m.render() ==
        "# HELP alpha_total Help with \\\\ and\\nnewline.\n"
        "# TYPE alpha_total counter\n"
        "alpha_total{path=\"a\\\"q\\\\\\n\"} 1\n"
        "alpha_total{path=\"b\"} 2\n"
        "# HELP empty Nothing yet.\n"
        "# TYPE empty gauge\n"
        "# HELP zeta Last family.\n"
        "# TYPE zeta gauge\n"
        "zeta 0.25\n");
}

TEST_CASE("histograms render cumulative buckets, +Inf, sum and count", "[runtime]") {
  Metrics m;
  m.describe("latency_seconds", "Latency.", MetricType::Histogram, {0.25, 1, 10});
  for (double v : {0.125, 0.25, 0.5, 3.0, 100.0}) {  // 0.25 is "less or equal" to le="0.25"
    m.observe("latency_seconds", {{"controller", "cell"}}, v);
  }
  CHECK(m.value("latency_seconds", {{"controller", "cell"}}) == 5);  // the observation count
  CHECK(m.render() ==
        "# HELP latency_seconds Latency.\n"
        "# TYPE latency_seconds histogram\n"
        "latency_seconds_bucket{controller=\"cell\",le=\"0.25\"} 2\n"
        "latency_seconds_bucket{controller=\"cell\",le=\"1\"} 3\n"
        "latency_seconds_bucket{controller=\"cell\",le=\"10\"} 4\n"
        "latency_seconds_bucket{controller=\"cell\",le=\"+Inf\"} 5\n"
        "latency_seconds_sum{controller=\"cell\"} 103.875\n"
        "latency_seconds_count{controller=\"cell\"} 5\n");
}

TEST_CASE("a histogram described without buckets uses the default ones", "[runtime]") {
  Metrics m;
  m.describe("h", "H.", MetricType::Histogram);
  m.observe("h", {}, 0.003);
  const std::string text = m.render();
  CHECK(text.find("h_bucket{le=\"0.005\"} 1\n") != std::string::npos);
  CHECK(text.find("h_bucket{le=\"10\"} 1\n") != std::string::npos);
  CHECK(text.find("h_bucket{le=\"+Inf\"} 1\n") != std::string::npos);
}

TEST_CASE("numbers are written as Prometheus clients write them", "[runtime]") {
  Metrics m;
  m.describe("g", "G.", MetricType::Gauge);
  m.set("g", {{"k", "big"}}, 1234567);
  m.set("g", {{"k", "inf"}}, std::numeric_limits<double>::infinity());
  m.set("g", {{"k", "nan"}}, std::numeric_limits<double>::quiet_NaN());
  m.set("g", {{"k", "neg"}}, -0.5);
  const std::string text = m.render();
  CHECK(text.find("g{k=\"big\"} 1234567\n") != std::string::npos);
  CHECK(text.find("g{k=\"inf\"} +Inf\n") != std::string::npos);
  CHECK(text.find("g{k=\"nan\"} NaN\n") != std::string::npos);
  CHECK(text.find("g{k=\"neg\"} -0.5\n") != std::string::npos);
}

TEST_CASE("describing a name again is a no-op; bad names and buckets throw", "[runtime]") {
  Metrics m;
  m.describe("x_total", "First.", MetricType::Counter);
  m.inc("x_total");
  m.describe("x_total", "Second.", MetricType::Gauge);
  CHECK(m.value("x_total") == 1);
  CHECK(m.render().find("# HELP x_total First.\n# TYPE x_total counter\n") != std::string::npos);

  CHECK_THROWS_AS(m.describe("9lives", "", MetricType::Counter), std::invalid_argument);
  CHECK_THROWS_AS(m.describe("has-dash", "", MetricType::Counter), std::invalid_argument);
  CHECK_THROWS_AS(m.describe("h1", "", MetricType::Histogram, {1, 1}), std::invalid_argument);
  CHECK_THROWS_AS(m.describe("h2", "", MetricType::Histogram, {1, std::numeric_limits<double>::infinity()}),
                  std::invalid_argument);
  CHECK_THROWS_AS(m.describe_func("f", "", MetricType::Histogram, [] { return 1.0; }), std::invalid_argument);
}

TEST_CASE("name validation follows the Prometheus data model", "[runtime]") {
  using mg::runtime::valid_label_name;
  using mg::runtime::valid_metric_name;
  CHECK(valid_metric_name("a"));
  CHECK(valid_metric_name("_a:b_1"));
  CHECK(valid_metric_name(":recording:rule"));
  CHECK_FALSE(valid_metric_name(""));
  CHECK_FALSE(valid_metric_name("1a"));
  CHECK_FALSE(valid_metric_name("a.b"));
  CHECK(valid_label_name("controller"));
  CHECK(valid_label_name("_x9"));
  CHECK_FALSE(valid_label_name("a:b"));  // colons are for metric names only
  CHECK_FALSE(valid_label_name("__name__"));  // reserved
  CHECK_FALSE(valid_label_name("9"));
}

TEST_CASE("misfit updates are dropped and counted, never thrown", "[runtime]") {
  Metrics m;
  m.describe("c_total", "C.", MetricType::Counter);
  m.describe("g", "G.", MetricType::Gauge);
  m.describe("h", "H.", MetricType::Histogram, {1});

  CHECK(m.render().find(mg::runtime::kMetricsDropped) == std::string::npos);  // described on first drop

  m.inc("typo_total");
  m.inc("typo_total");
  m.set("c_total", {}, 5);                    // counters are not set
  m.observe("g", {}, 1);                      // gauges are not observed
  m.inc("h");                                 // histograms are not incremented
  m.inc("c_total", {}, -1);                   // counters only go up
  m.inc("c_total", {{"bad-name", "v"}});      // invalid label name
  m.inc("c_total", {{"a", "1"}, {"a", "2"}});  // repeated label name
  m.observe("h", {{"le", "1"}}, 1);           // "le" belongs to the buckets

  CHECK(dropped(m, "typo_total", "unknown_family") == 2);
  CHECK(dropped(m, "c_total", "wrong_type") == 1);
  CHECK(dropped(m, "g", "wrong_type") == 1);
  CHECK(dropped(m, "h", "wrong_type") == 1);
  CHECK(dropped(m, "c_total", "negative_increment") == 1);
  CHECK(dropped(m, "c_total", "bad_labels") == 2);
  CHECK(dropped(m, "h", "bad_labels") == 1);
  // Nothing leaked into the real families: no series were created for the rejected updates.
  const std::string text = m.render();
  CHECK(text.find("\nc_total") == std::string::npos);
  CHECK(text.find("\ng ") == std::string::npos);
  CHECK(text.find("\nh_") == std::string::npos);
  CHECK(text.find("multigres_operator_metrics_dropped_total{metric=\"typo_total\",reason=\"unknown_family\"} 2\n") !=
        std::string::npos);
}

TEST_CASE("value functions are read at render time and can leave their sample out", "[runtime]") {
  Metrics m;
  double current = 1;
  bool readable = true;
  m.describe_func("f", "F.", MetricType::Gauge, [&]() -> std::optional<double> {
    return readable ? std::optional<double>(current) : std::nullopt;
  });
  CHECK(m.render() == "# HELP f F.\n# TYPE f gauge\nf 1\n");
  current = 42;
  CHECK(m.value("f") == 42);
  CHECK(m.render() == "# HELP f F.\n# TYPE f gauge\nf 42\n");
  readable = false;
  CHECK(m.render() == "# HELP f F.\n# TYPE f gauge\n");
  m.set("f", {}, 3);  // a function family has no stored series to update
  CHECK(dropped(m, "f", "wrong_type") == 1);
}

TEST_CASE("updates from many threads are all counted", "[runtime]") {
  Metrics m;
  m.describe("n_total", "N.", MetricType::Counter);
  m.describe("h", "H.", MetricType::Histogram, {0.5});
  constexpr int kThreads = 4;
  constexpr int kEach = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&m, t] {
      for (int i = 0; i < kEach; ++i) {
        m.inc("n_total", {{"worker", std::to_string(t % 2)}});
        m.observe("h", {}, 1);
        if (i % 1000 == 0) {
          (void)m.render();  // renders interleave with updates
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  CHECK(m.value("n_total", {{"worker", "0"}}) + m.value("n_total", {{"worker", "1"}}) == kThreads * kEach);
  CHECK(m.value("h") == kThreads * kEach);
}

TEST_CASE("parse_process_stats reads /proc fields even when comm holds spaces and parentheses", "[runtime]") {
  // Fields after the comm: state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
  // utime(14)=250 stime(15)=50 cutime cstime priority nice threads itreal starttime(22)=1000 ...
  const std::string stat =
      "4242 (my (odd) op) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 8 0 1000 123456 789 "
      "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
  const std::string statm = "5000 1200 300 10 0 900 0\n";
  const std::string proc_stat = "cpu  1 2 3 4\nbtime 1700000000\nprocesses 9\n";
  auto stats = mg::runtime::parse_process_stats(stat, statm, proc_stat, 4096, 100);
  REQUIRE(stats);
  CHECK(stats->resident_memory_bytes == 1200.0 * 4096);
  CHECK(stats->cpu_seconds == 3.0);
  CHECK(stats->start_time_seconds == 1700000010.0);

  CHECK_FALSE(mg::runtime::parse_process_stats("4242 (op) S 1 2", statm, proc_stat, 4096, 100));
  CHECK_FALSE(mg::runtime::parse_process_stats(stat, "", proc_stat, 4096, 100));
  CHECK_FALSE(mg::runtime::parse_process_stats(stat, statm, "cpu 1 2 3\n", 4096, 100));
}

TEST_CASE("describe_operator_metrics registers the operator's families and live process metrics", "[runtime]") {
  Metrics m;
  mg::runtime::describe_operator_metrics(m);
  m.set(mg::runtime::kLeader, {}, 1);
  mg::runtime::describe_operator_metrics(m);  // idempotent: does not reset the leader gauge
  CHECK(m.value(mg::runtime::kLeader) == 1);

  m.inc(mg::runtime::kReconcileTotal, {{"controller", "cell"}, {"result", "success"}});
  m.inc(mg::runtime::kReconcileErrors, {{"controller", "cell"}});
  m.observe(mg::runtime::kReconcileDuration, {{"controller", "cell"}}, 0.2);
  m.set(mg::runtime::kQueueDepth, {{"controller", "cell"}}, 3);
  m.inc(mg::runtime::kApiRequests, {{"verb", "GET"}, {"code", "200"}});
  m.set(mg::runtime::kManagedObjects, {{"kind", "StatefulSet"}}, 4);
  CHECK(m.value(mg::runtime::kMetricsDropped) == 0);

  const std::string text = m.render();
  std::vector<std::size_t> positions;
  for (const char* name : {"multigres_operator_api_requests_total", "multigres_operator_leader",
                           "multigres_operator_managed_objects", "multigres_operator_reconcile_duration_seconds",
                           "multigres_operator_reconcile_errors_total", "multigres_operator_reconcile_total",
                           "multigres_operator_workqueue_depth", "process_cpu_seconds_total",
                           "process_resident_memory_bytes", "process_start_time_seconds"}) {
    positions.push_back(text.find(std::string("# TYPE ") + name + " "));
    CHECK(positions.back() != std::string::npos);
  }
  CHECK(std::is_sorted(positions.begin(), positions.end()));  // families in name order
  CHECK(text.find("multigres_operator_reconcile_duration_seconds_bucket{controller=\"cell\",le=\"60\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("multigres_operator_api_requests_total{code=\"200\",verb=\"GET\"} 1\n") != std::string::npos);

  // This test process's own figures: some memory, a start within the last day.
  CHECK(m.value(mg::runtime::kProcessResidentMemory) > 1024 * 1024);
  CHECK(m.value(mg::runtime::kProcessCpuSeconds) >= 0);
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const double start = m.value(mg::runtime::kProcessStartTime);
  CHECK(start <= now + 2);  // /proc's tick rounding may put it a moment ahead
  CHECK(start > now - 86400);
}
