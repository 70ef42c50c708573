// operator/runtime/metrics.hpp
//! Metrics: a thread-safe registry of Prometheus metric families (counters, gauges, histograms) and
//! their rendering in the text exposition format 0.0.4, which the HTTP server serves on /metrics.
//! It does no I/O of its own and does not serve anything; value functions (describe_func) may read
//! the environment at render time, as the process metrics do (/proc).
//! Updates never throw and never crash on misuse: a sample for an unknown family, of the wrong type,
//! with invalid label names or a negative counter increment is dropped and counted in
//! kMetricsDropped{metric,reason}, so a typo shows up on /metrics instead of taking a worker down.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mg::runtime {

//! Label name/value pairs. Order does not matter: a series is identified by its labels sorted by name.
using Labels = std::vector<std::pair<std::string, std::string>>;

enum class MetricType { Counter, Gauge, Histogram };

//! The counter in which Metrics counts dropped samples, labelled {metric, reason} where reason is
//! unknown_family, wrong_type, bad_labels or negative_increment. Described on the first drop.
inline constexpr const char* kMetricsDropped = "multigres_operator_metrics_dropped_total";

//! Prometheus's default histogram buckets (seconds), used when describe() gets none.
inline const std::vector<double> kDefaultBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

//! True when `name` is a valid metric name: [a-zA-Z_:][a-zA-Z0-9_:]*.
[[nodiscard]] bool valid_metric_name(const std::string& name);
//! True when `name` is a valid label name: [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved).
[[nodiscard]] bool valid_label_name(const std::string& name);

//! A registry of metric families. All methods are thread-safe.
class Metrics {
 public:
  //! A value read at render time; nullopt leaves the sample out (e.g. /proc is unreadable).
  using ValueFunc = std::function<std::optional<double>()>;

  Metrics() = default;
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  //! Registers a family once (name, help, type; buckets for histograms, seconds, strictly increasing
  //! and finite; empty = kDefaultBuckets). Re-registering the same name is a no-op (the first wins).
  //! Throws std::invalid_argument on an invalid name or buckets: families are described by code at
  //! startup, so that is a bug, not an input error.
  void describe(const std::string& name, const std::string& help, MetricType type, std::vector<double> buckets = {});
  //! Registers a counter or gauge whose one unlabelled sample is `read()` at render time (like Go's
  //! GaugeFunc). `read` must be thread-safe and must not call back into this registry.
  //! Same no-op and throwing rules as describe(); a Histogram type or an empty `read` also throws.
  void describe_func(const std::string& name, const std::string& help, MetricType type, ValueFunc read);

  //! Adds `by` to a counter (by >= 0) or a gauge (any sign).
  void inc(const std::string& name, const Labels& labels = {}, double by = 1);
  //! Sets a gauge.
  void set(const std::string& name, const Labels& labels, double value);
  //! Records one observation in a histogram.
  void observe(const std::string& name, const Labels& labels, double value);

  //! A counter's or gauge's value (a histogram's observation count); 0 when the series is absent.
  //! For tests and benchmarks.
  [[nodiscard]] double value(const std::string& name, const Labels& labels = {}) const;

  //! Prometheus text exposition format 0.0.4: families in name order, each with # HELP and # TYPE
  //! (also when it has no series yet), series sorted by labels, label values escaped (\\, \", \n),
  //! histograms as cumulative _bucket{le=...} including +Inf, then _sum and _count.
  [[nodiscard]] std::string render() const;

 private:
  struct Series {
    double value = 0;                   // counter or gauge
    std::vector<std::uint64_t> counts;  // histogram: observations per bucket (not cumulative), +Inf last
    double sum = 0;                     // histogram
    std::uint64_t count = 0;            // histogram
  };
  struct Family {
    std::string help;
    MetricType type = MetricType::Counter;
    std::vector<double> buckets;         // histogram upper bounds, without +Inf
    ValueFunc read;                      // set for describe_func families
    std::map<Labels, Series> series;     // key: labels sorted by name
  };

  enum class Update { Inc, Set, Observe };
  // The series to update, created on first use; nullptr after counting the drop. Requires mutex_.
  Series* series_locked(const std::string& name, const Labels& labels, Update update);
  void drop_locked(const std::string& name, const char* reason);  // requires mutex_
  void describe_locked(const std::string& name, const std::string& help, MetricType type,
                       std::vector<double> buckets, ValueFunc read);  // requires mutex_

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;  // guarded by mutex_; name -> family, in name order
};

//! The operator's metric families (labels in the comments).
inline constexpr const char* kReconcileTotal = "multigres_operator_reconcile_total";  // counter {controller,result=success|error|requeue}
inline constexpr const char* kReconcileErrors = "multigres_operator_reconcile_errors_total";  // counter {controller}
inline constexpr const char* kReconcileDuration = "multigres_operator_reconcile_duration_seconds";  // histogram {controller}
inline constexpr const char* kQueueDepth = "multigres_operator_workqueue_depth";  // gauge {controller}
inline constexpr const char* kApiRequests = "multigres_operator_api_requests_total";  // counter {verb,code}
inline constexpr const char* kManagedObjects = "multigres_operator_managed_objects";  // gauge {kind}
inline constexpr const char* kLeader = "multigres_operator_leader";  // gauge, 1 when leading

//! Process metrics, read from /proc at render time (describe_func), as Prometheus's Go client names them.
inline constexpr const char* kProcessResidentMemory = "process_resident_memory_bytes";  // gauge
inline constexpr const char* kProcessCpuSeconds = "process_cpu_seconds_total";  // counter
inline constexpr const char* kProcessStartTime = "process_start_time_seconds";  // gauge, Unix time

//! Describes every family above (kLeader starts at 0). Idempotent.
void describe_operator_metrics(Metrics& m);

//! This process's figures from /proc/self/stat, /proc/self/statm and /proc/stat (btime);
//! nullopt when any of them cannot be read or parsed (not Linux, no procfs).
struct ProcessStats {
  double resident_memory_bytes = 0;
  double cpu_seconds = 0;
  double start_time_seconds = 0;  // Unix time
};
[[nodiscard]] std::optional<ProcessStats> read_process_stats();
//! read_process_stats on given file contents (for tests); nullopt when any is malformed.
[[nodiscard]] std::optional<ProcessStats> parse_process_stats(const std::string& stat, const std::string& statm,
                                                              const std::string& proc_stat, double page_size,
                                                              double ticks_per_second);

}  // namespace mg::runtime
