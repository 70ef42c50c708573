// operator/runtime/metrics.cpp
#include "operator/runtime/metrics.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace mg::runtime {
namespace {

bool name_char(char c, bool first, bool colon_ok) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon_ok && c == ':');
  return alpha || (!first && c >= '0' && c <= '9');
}

bool valid_name(const std::string& name, bool colon_ok) {
  if (name.empty()) {
    return false;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!name_char(name[i], i == 0, colon_ok)) {
      return false;
    }
  }
  return true;
}

const char* type_name(MetricType type) {
  switch (type) {
    case MetricType::Counter:
      return "counter";
    case MetricType::Gauge:
      return "gauge";
    case MetricType::Histogram:
      return "histogram";
  }
  return "untyped";  // unreachable: the switch covers every enumerator
}

// Go's strconv.FormatFloat(v, 'g', -1, 64) equivalent, which Prometheus clients use: shortest
// round-trip digits, and +Inf/-Inf/NaN spelled as the text format wants.
std::string format_number(double v) {
  if (std::isnan(v)) {
    return "NaN";
  }
  if (std::isinf(v)) {
    return v > 0 ? "+Inf" : "-Inf";
  }
  char buf[32];
  auto [end, ec] = std::to_chars(std::begin(buf), std::end(buf), v);
  // 32 chars hold any shortest double ("-1.2345678901234567e-308" is 24), so ec is always ok.
  return ec == std::errc{} ? std::string(buf, end) : "NaN";
}

std::string escape(const std::string& s, bool quotes) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

// {a="x",b="y"} plus an optional trailing le="..." for histogram buckets; "" when there are none.
std::string format_labels(const Labels& labels, const std::string* le = nullptr) {
  if (labels.empty() && le == nullptr) {
    return "";
  }
  std::string out = "{";
  for (const auto& [k, v] : labels) {
    out += k + "=\"" + escape(v, true) + "\",";
  }
  if (le != nullptr) {
    out += "le=\"" + *le + "\",";
  }
  out.back() = '}';
  return out;
}

// Sorted by name so {a,b} and {b,a} are one series; nullopt on an invalid or repeated name.
std::optional<Labels> normalize(const Labels& labels, MetricType type) {
  Labels sorted = labels;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const std::string& name = sorted[i].first;
    // "le" is the bucket label of histograms; a user label of that name would make buckets ambiguous.
    if (!valid_label_name(name) || (type == MetricType::Histogram && name == "le") ||
        (i > 0 && sorted[i - 1].first == name)) {
      return std::nullopt;
    }
  }
  return sorted;
}

std::optional<std::string> read_file(const char* path) {
  std::ifstream in(path);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();  // procfs files report size 0, so stream rather than size-and-read
  return text.str();
}

}  // namespace

bool valid_metric_name(const std::string& name) { return valid_name(name, true); }

bool valid_label_name(const std::string& name) { return valid_name(name, false) && !name.starts_with("__"); }

void Metrics::describe(const std::string& name, const std::string& help, MetricType type, std::vector<double> buckets) {
  std::scoped_lock lock(mutex_);
  describe_locked(name, help, type, std::move(buckets), nullptr);
}

void Metrics::describe_func(const std::string& name, const std::string& help, MetricType type, ValueFunc read) {
  if (type == MetricType::Histogram || !read) {
    throw std::invalid_argument("metric " + name + ": a value function needs a counter or gauge and a function");
  }
  std::scoped_lock lock(mutex_);
  describe_locked(name, help, type, {}, std::move(read));
}

void Metrics::describe_locked(const std::string& name, const std::string& help, MetricType type,
                              std::vector<double> buckets, ValueFunc read) {
  if (!valid_metric_name(name)) {
    throw std::invalid_argument("invalid metric name \"" + name + "\": want [a-zA-Z_:][a-zA-Z0-9_:]*");
  }
  if (families_.contains(name)) {
    return;
  }
  if (type == MetricType::Histogram) {
    if (buckets.empty()) {
      buckets = kDefaultBuckets;
    }
    for (std::size_t i = 0; i < buckets.size(); ++i) {
      if (!std::isfinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1])) {
        throw std::invalid_argument("metric " + name + ": buckets must be finite and strictly increasing");
      }
    }
  } else {
    buckets.clear();
  }
  families_.emplace(name, Family{help, type, std::move(buckets), std::move(read), {}});
}

void Metrics::drop_locked(const std::string& name, const char* reason) {
  // Counted in the registry itself so a misnamed metric is visible on /metrics; described on first
  // use so a healthy registry does not render an empty family.
  describe_locked(kMetricsDropped, "Metric updates dropped because they did not fit the family's description.",
                  MetricType::Counter, {}, nullptr);
  families_[kMetricsDropped].series[{{"metric", name}, {"reason", reason}}].value += 1;
}

Metrics::Series* Metrics::series_locked(const std::string& name, const Labels& labels, Update update) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    drop_locked(name, "unknown_family");
    return nullptr;
  }
  Family& family = it->second;
  const bool fits = !family.read && (update == Update::Inc   ? family.type != MetricType::Histogram
                                     : update == Update::Set ? family.type == MetricType::Gauge
                                                             : family.type == MetricType::Histogram);
  if (!fits) {
    drop_locked(name, "wrong_type");
    return nullptr;
  }
  std::optional<Labels> key = normalize(labels, family.type);
  if (!key) {
    drop_locked(name, "bad_labels");
    return nullptr;
  }
  auto [series, inserted] = family.series.try_emplace(std::move(*key));
  if (inserted && family.type == MetricType::Histogram) {
    series->second.counts.assign(family.buckets.size() + 1, 0);  // + the +Inf bucket
  }
  return &series->second;
}

void Metrics::inc(const std::string& name, const Labels& labels, double by) {
  std::scoped_lock lock(mutex_);
  auto it = families_.find(name);
  // Checked before creating the series so a rejected increment leaves no zero series behind.
  if (it != families_.end() && it->second.type == MetricType::Counter && !it->second.read && !(by >= 0)) {
    drop_locked(name, "negative_increment");
    return;
  }
  if (Series* s = series_locked(name, labels, Update::Inc)) {
    s->value += by;
  }
}

void Metrics::set(const std::string& name, const Labels& labels, double value) {
  std::scoped_lock lock(mutex_);
  if (Series* s = series_locked(name, labels, Update::Set)) {
    s->value = value;
  }
}

void Metrics::observe(const std::string& name, const Labels& labels, double value) {
  std::scoped_lock lock(mutex_);
  Series* s = series_locked(name, labels, Update::Observe);
  if (s == nullptr) {
    return;
  }
  const std::vector<double>& bounds = families_.at(name).buckets;
  // The first bucket whose upper bound is >= value (le means "less or equal"); past the end is +Inf.
  const auto bucket = std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();
  s->counts[static_cast<std::size_t>(bucket)] += 1;
  s->sum += value;
  s->count += 1;
}

double Metrics::value(const std::string& name, const Labels& labels) const {
  ValueFunc read;
  {
    std::scoped_lock lock(mutex_);
    auto it = families_.find(name);
    if (it == families_.end()) {
      return 0;
    }
    if (!it->second.read) {
      std::optional<Labels> key = normalize(labels, it->second.type);
      auto s = key ? it->second.series.find(*key) : it->second.series.end();
      if (s == it->second.series.end()) {
        return 0;
      }
      return it->second.type == MetricType::Histogram ? static_cast<double>(s->second.count) : s->second.value;
    }
    read = it->second.read;
  }
  return read().value_or(0);  // outside the lock: it may read files
}

std::string Metrics::render() const {
  // Value functions may do I/O, so they run before the lock is taken, not while updates wait.
  std::map<std::string, ValueFunc> funcs;
  {
    std::scoped_lock lock(mutex_);
    for (const auto& [name, family] : families_) {
      if (family.read) {
        funcs.emplace(name, family.read);
      }
    }
  }
  std::map<std::string, std::optional<double>> func_values;
  for (const auto& [name, read] : funcs) {
    func_values.emplace(name, read());
  }

  std::string out;
  std::scoped_lock lock(mutex_);
  for (const auto& [name, family] : families_) {
    out += "# HELP " + name + " " + escape(family.help, false) + "\n";
    out += "# TYPE " + name + " " + type_name(family.type) + "\n";
    if (family.read) {
      auto v = func_values.find(name);  // absent when described after the functions ran
      if (v != func_values.end() && v->second) {
        out += name + " " + format_number(*v->second) + "\n";
      }
      continue;
    }
    for (const auto& [labels, s] : family.series) {
      if (family.type != MetricType::Histogram) {
        out += name + format_labels(labels) + " " + format_number(s.value) + "\n";
        continue;
      }
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < s.counts.size(); ++i) {
        cumulative += s.counts[i];
        const std::string le = i < family.buckets.size() ? format_number(family.buckets[i]) : "+Inf";
        out += name + "_bucket" + format_labels(labels, &le) + " " + std::to_string(cumulative) + "\n";
      }
      out += name + "_sum" + format_labels(labels) + " " + format_number(s.sum) + "\n";
      out += name + "_count" + format_labels(labels) + " " + std::to_string(s.count) + "\n";
    }
  }
  return out;
}

std::optional<ProcessStats> parse_process_stats(const std::string& stat, const std::string& statm,
                                                const std::string& proc_stat, double page_size, double ticks_per_second) {
  // /proc/self/stat: "pid (comm) state ppid ...". comm may hold spaces and parentheses, so fields are
  // counted from the last ')': field 3 (state) is token 0, so field N is token N-3.
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos || page_size <= 0 || ticks_per_second <= 0) {
    return std::nullopt;
  }
  std::istringstream fields(stat.substr(paren + 1));
  std::vector<std::string> tokens{std::istream_iterator<std::string>(fields), std::istream_iterator<std::string>()};
  constexpr std::size_t kUtime = 14 - 3;
  constexpr std::size_t kStime = 15 - 3;
  constexpr std::size_t kStartTime = 22 - 3;
  if (tokens.size() <= kStartTime) {
    return std::nullopt;
  }
  // /proc/self/statm: "size resident shared ..." in pages.
  std::istringstream pages(statm);
  double size = 0;
  double resident = 0;
  if (!(pages >> size >> resident)) {
    return std::nullopt;
  }
  // /proc/stat: the boot time, in Unix seconds, on its "btime" line.
  std::optional<double> boot;
  std::istringstream lines(proc_stat);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("btime ")) {
      boot = std::strtod(line.c_str() + 6, nullptr);
    }
  }
  if (!boot) {
    return std::nullopt;
  }
  try {
    const double utime = std::stod(tokens[kUtime]);
    const double stime = std::stod(tokens[kStime]);
    const double start = std::stod(tokens[kStartTime]);
    return ProcessStats{resident * page_size, (utime + stime) / ticks_per_second, *boot + start / ticks_per_second};
  } catch (const std::exception&) {  // std::stod on a garbled field: treat like an unreadable file
    return std::nullopt;
  }
}

std::optional<ProcessStats> read_process_stats() {
  auto stat = read_file("/proc/self/stat");
  auto statm = read_file("/proc/self/statm");
  auto proc_stat = read_file("/proc/stat");
  if (!stat || !statm || !proc_stat) {
    return std::nullopt;
  }
  return parse_process_stats(*stat, *statm, *proc_stat, static_cast<double>(::sysconf(_SC_PAGESIZE)),
                             static_cast<double>(::sysconf(_SC_CLK_TCK)));
}

void describe_operator_metrics(Metrics& m) {
  m.describe(kReconcileTotal, "Reconciles per controller and result (success, error, requeue).", MetricType::Counter);
  m.describe(kReconcileErrors, "Reconciles that returned an error, per controller.", MetricType::Counter);
  // Reconciles make several API calls, so the default buckets (up to 10s) are extended to a minute.
  m.describe(kReconcileDuration, "Time one reconcile took, per controller.", MetricType::Histogram,
             {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60});
  m.describe(kQueueDepth, "Keys ready in each controller's work queue.", MetricType::Gauge);
  m.describe(kApiRequests, "Requests to the Kubernetes API server, per verb and HTTP status code.", MetricType::Counter);
  m.describe(kManagedObjects, "Objects the operator manages, per kind.", MetricType::Gauge);
  m.describe(kLeader, "1 while this replica holds the leader lease, else 0.", MetricType::Gauge);
  m.inc(kLeader, {}, 0);  // a series at 0 from the start, without resetting it on a second call

  auto field = [](double ProcessStats::*member) {
    return [member]() -> std::optional<double> {
      auto stats = read_process_stats();
      return stats ? std::optional<double>((*stats).*member) : std::nullopt;
    };
  };
  m.describe_func(kProcessResidentMemory, "Resident memory size in bytes.", MetricType::Gauge,
                  field(&ProcessStats::resident_memory_bytes));
  m.describe_func(kProcessCpuSeconds, "Total user and system CPU time spent in seconds.", MetricType::Counter,
                  field(&ProcessStats::cpu_seconds));
  m.describe_func(kProcessStartTime, "Start time of the process since unix epoch in seconds.", MetricType::Gauge,
                  field(&ProcessStats::start_time_seconds));
}

}  // namespace mg::runtime
