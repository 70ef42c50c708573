// operator/runtime/events.cpp
#include "operator/runtime/events.hpp"

#include "operator/runtime/log.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <optional>
#include <utility>

#include "operator/runtime/leader_election.hpp"  // format_micro_time

namespace mg::runtime {

namespace {

constexpr const char* kEventApiVersion = "events.k8s.io/v1";
constexpr std::size_t kMaxNameBytes = 253;
constexpr std::size_t kSuffixBytes = 17;  // "." + 16 hex

bool is_alnum_lower(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

//! RFC 1123 subdomain: labels of [a-z0-9-] that start and end alphanumeric, joined by dots.
bool is_dns_subdomain(std::string_view s) {
  if (s.empty() || s.size() > kMaxNameBytes) {
    return false;
  }
  char prev = '.';
  for (char c : s) {
    if (c == '.') {
      if (!is_alnum_lower(prev)) {
        return false;
      }
    } else if (c == '-') {
      if (prev == '.') {
        return false;
      }
    } else if (!is_alnum_lower(c)) {
      return false;
    }
    prev = c;
  }
  return is_alnum_lower(prev);
}

//! `s` lowercased, every other character turned to '-', trimmed of leading/trailing '-'.
std::string dns_label_of(std::string_view s, std::size_t max_bytes) {
  std::string out;
  for (char c : s) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    out += is_alnum_lower(lower) ? lower : '-';
  }
  if (out.size() > max_bytes) {
    out.resize(max_bytes);
  }
  const auto first = out.find_first_not_of('-');
  if (first == std::string::npos) {
    return "";
  }
  const auto last = out.find_last_not_of('-');
  return out.substr(first, last - first + 1);
}

void set_string(json::Value& obj, const char* key, std::string_view value, json::Allocator& a) {
  json::set(obj, key, json::str(value, a), a);
}

}  // namespace

// ---------------------------------------------------------------- pure parts

const char* event_type_name(EventType type) {
  return type == EventType::Warning ? "Warning" : "Normal";
}

std::string truncate_utf8(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) {
    return std::string(s);
  }
  std::size_t cut = max_bytes;
  // Back up over continuation bytes (10xxxxxx) so the cut lands before a character's lead byte.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return std::string(s.substr(0, cut));
}

std::string event_namespace(const EventRegarding& regarding) {
  return regarding.namespace_name.empty() ? "default" : regarding.namespace_name;
}

std::string event_name(std::string_view regarding_name, uint64_t random) {
  const std::size_t max_prefix = kMaxNameBytes - kSuffixBytes;
  std::string prefix;
  if (regarding_name.size() <= max_prefix && is_dns_subdomain(regarding_name)) {
    prefix = regarding_name;
  } else {
    prefix = dns_label_of(regarding_name, max_prefix);
  }
  char suffix[kSuffixBytes + 1];
  std::snprintf(suffix, sizeof suffix, ".%016" PRIx64, random);
  return (prefix.empty() ? std::string("event") : prefix) + suffix;
}

std::string event_key(const EventRecord& r) {
  std::string key;
  for (const std::string* part : {&r.regarding.uid, &r.regarding.api_version, &r.regarding.kind,
                                  &r.regarding.namespace_name, &r.regarding.name, &r.reason, &r.action, &r.note}) {
    key += *part;
    key += '\x1f';  // unit separator: cannot be confused with text in the parts
  }
  key += event_type_name(r.type);
  return key;
}

json::Document event_body(const EventRecord& r, const EventSource& source) {
  json::Document d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  set_string(d, "apiVersion", kEventApiVersion, a);
  set_string(d, "kind", "Event", a);
  json::Value meta(rapidjson::kObjectType);
  set_string(meta, "name", r.name, a);
  set_string(meta, "namespace", r.namespace_name, a);
  json::set(d, "metadata", std::move(meta), a);
  set_string(d, "eventTime", format_micro_time(r.event_time), a);
  if (r.count >= 2) {
    json::Value series(rapidjson::kObjectType);
    json::set(series, "count", json::Value(r.count), a);
    set_string(series, "lastObservedTime", format_micro_time(r.last_observed_time), a);
    json::set(d, "series", std::move(series), a);
  }
  set_string(d, "reportingController", source.reporting_controller, a);
  set_string(d, "reportingInstance", truncate_utf8(source.reporting_instance, kEventFieldMaxBytes), a);
  set_string(d, "action", truncate_utf8(r.action, kEventFieldMaxBytes), a);
  set_string(d, "reason", truncate_utf8(r.reason, kEventFieldMaxBytes), a);
  json::Value regarding(rapidjson::kObjectType);
  set_string(regarding, "apiVersion", r.regarding.api_version, a);
  set_string(regarding, "kind", r.regarding.kind, a);
  set_string(regarding, "name", r.regarding.name, a);
  if (!r.regarding.namespace_name.empty()) {
    set_string(regarding, "namespace", r.regarding.namespace_name, a);
  }
  if (!r.regarding.uid.empty()) {
    set_string(regarding, "uid", r.regarding.uid, a);
  }
  json::set(d, "regarding", std::move(regarding), a);
  set_string(d, "note", truncate_utf8(r.note, kEventNoteMaxBytes), a);
  set_string(d, "type", event_type_name(r.type), a);
  return d;
}

std::string series_patch(const EventRecord& r) {
  return R"({"series":{"count":)" + std::to_string(r.count) + R"(,"lastObservedTime":")" +
         format_micro_time(r.last_observed_time) + R"("}})";
}

EventAggregator::Entry& EventAggregator::observe(const std::string& key, const EventRecord& occurrence,
                                                 Clock::TimePoint now) {
  auto it = entries_.find(key);
  if (it != entries_.end() && now - it->second.last_seen < kWindow) {
    Entry& e = it->second;
    ++e.record.count;
    e.record.last_observed_time = occurrence.last_observed_time;
    e.last_seen = now;
    return e;
  }
  if (it != entries_.end()) {  // expired: a new Event; a queued write stays queued and writes this one
    it->second = Entry{occurrence, now, false, it->second.pending};
    return it->second;
  }
  if (entries_.size() >= max_entries_) {
    make_room(now);
  }
  return entries_.emplace(key, Entry{occurrence, now, false, false}).first->second;
}

EventAggregator::Entry* EventAggregator::find(const std::string& key) {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

void EventAggregator::make_room(Clock::TimePoint now) {
  std::erase_if(entries_, [&](const auto& kv) { return !kv.second.pending && now - kv.second.last_seen >= kWindow; });
  while (entries_.size() >= max_entries_) {
    auto oldest = entries_.end();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (!it->second.pending && (oldest == entries_.end() || it->second.last_seen < oldest->second.last_seen)) {
        oldest = it;
      }
    }
    if (oldest == entries_.end()) {
      return;  // everything is queued: the queue bound limits the cache instead
    }
    entries_.erase(oldest);
  }
}

// ---------------------------------------------------------------- the recorder

EventRecorder::EventRecorder(kube::Client& client, std::string reporting_controller, std::string reporting_instance,
                             const Clock& clock)
    : client_(client),
      source_{std::move(reporting_controller), std::move(reporting_instance)},
      clock_(clock),
      aggregator_(std::max(EventAggregator::kDefaultMaxEntries, kQueueCapacity)),
      random_(std::random_device{}()) {
  writer_ = std::thread([this] { run(); });
}

EventRecorder::~EventRecorder() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  writer_.join();
}

void EventRecorder::event(const EventRegarding& regarding, EventType type, std::string reason, std::string action,
                          std::string note) {
  const auto wall_now = std::chrono::system_clock::now();
  EventRecord occurrence;
  occurrence.regarding = regarding;
  occurrence.type = type;
  occurrence.reason = std::move(reason);
  occurrence.action = std::move(action);
  occurrence.note = truncate_utf8(note, kEventNoteMaxBytes);  // the key sees what the server stores
  occurrence.namespace_name = event_namespace(regarding);
  occurrence.event_time = wall_now;
  occurrence.last_observed_time = wall_now;
  const std::string key = event_key(occurrence);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) {
      ++dropped_;
      return;
    }
    occurrence.name = event_name(regarding.name, random_());
    EventAggregator::Entry& entry = aggregator_.observe(key, occurrence, clock_.now());
    if (entry.pending) {
      return;  // folded into the write already queued
    }
    if (queue_.size() >= kQueueCapacity) {
      ++dropped_;  // the entry keeps its count: a later repeat writes it
      return;
    }
    entry.pending = true;
    queue_.push_back(key);
  }
  cv_.notify_all();
}

void EventRecorder::flush() {
  std::unique_lock<std::mutex> lock(mutex_);
  cv_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

uint64_t EventRecorder::dropped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_;
}

void EventRecorder::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  std::optional<Clock::TimePoint> give_up_at;  // set once stopping
  while (true) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_ && !give_up_at) {
      give_up_at = clock_.now() + kShutdownGrace;
    }
    if (give_up_at && clock_.now() >= *give_up_at) {
      dropped_ += queue_.size();  // the API server is too slow to wait for: give up on the rest
      queue_.clear();
    }
    if (queue_.empty()) {
      cv_.notify_all();  // flush() waiters
      return;            // stopping, and everything queued is written
    }
    const std::string key = std::move(queue_.front());
    queue_.pop_front();
    EventAggregator::Entry* entry = aggregator_.find(key);
    if (entry == nullptr) {  // cannot happen: pending entries are never evicted; skip rather than crash
      cv_.notify_all();
      continue;
    }
    entry->pending = false;
    const EventRecord snapshot = entry->record;
    const bool written = entry->written;
    busy_ = true;
    lock.unlock();
    std::string name = write(snapshot, written);
    lock.lock();
    busy_ = false;
    entry = aggregator_.find(key);
    // Record the outcome unless the entry was replaced meanwhile (expired and started over).
    if (entry != nullptr && entry->record.name == snapshot.name) {
      entry->written = !name.empty();
      if (!name.empty()) {
        entry->record.name = name;
      }
    }
    if (queue_.empty()) {
      cv_.notify_all();  // flush() waiters
    }
  }
}

std::string EventRecorder::write(const EventRecord& record, bool written) {
  const std::string what =
      std::string(event_type_name(record.type)) + " event " + record.reason + " about " + record.regarding.kind + " " +
      (record.regarding.namespace_name.empty() ? "" : record.regarding.namespace_name + "/") + record.regarding.name;
  if (written) {
    const kube::ObjectRef ref{
        .api_version = kEventApiVersion, .kind = "Event", .namespace_name = record.namespace_name, .name = record.name};
    auto patched = client_.patch(ref, kube::PatchType::Merge, series_patch(record));
    if (patched.ok()) {
      return record.name;
    }
    if (patched.error().code != ErrorCode::NotFound) {
      log_warn("events", "updating an event failed", {{"event", what}, {"error", patched.error().message}});
      return record.name;  // still exists as far as we know: a later repeat patches again
    }
    // Gone (the server's event TTL, or deleted): create it again under a new name.
  }
  EventRecord fresh = record;
  if (written) {
    std::lock_guard<std::mutex> lock(mutex_);
    fresh.name = event_name(record.regarding.name, random_());
  }
  auto created = client_.create(event_body(fresh, source_));
  if (!created.ok()) {
    log_warn("events", "creating an event failed", {{"event", what}, {"error", created.error().message}});
    return "";
  }
  return fresh.name;
}

}  // namespace mg::runtime
