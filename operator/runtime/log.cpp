// operator/runtime/log.cpp
#include "operator/runtime/log.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <ctime>
#include <new>

namespace mg::runtime {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one (bad lead byte,
// bad or missing continuation, overlong form, surrogate, above U+10FFFF).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  const unsigned lead = byte(0);
  auto in = [](unsigned b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; };
  if (lead < 0x80) {
    return 1;
  }
  if (in(lead, 0xC2, 0xDF)) {
    return in(byte(1), 0x80, 0xBF) ? 2 : 0;
  }
  if (in(lead, 0xE0, 0xEF)) {
    // The second byte's range excludes overlong forms (E0) and UTF-16 surrogates (ED).
    const unsigned lo = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned hi = lead == 0xED ? 0x9F : 0xBF;
    return in(byte(1), lo, hi) && in(byte(2), 0x80, 0xBF) ? 3 : 0;
  }
  if (in(lead, 0xF0, 0xF4)) {
    // Excludes overlong forms (F0) and code points above U+10FFFF (F4).
    const unsigned lo = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned hi = lead == 0xF4 ? 0x8F : 0xBF;
    return in(byte(1), lo, hi) && in(byte(2), 0x80, 0xBF) && in(byte(3), 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

// `s` with every invalid byte replaced by U+FFFD. RapidJSON copies bytes through unchecked, so
// without this one bad byte (say, from a pod's output) would make the whole line unparseable.
std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      i += 1;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(JsonWriter& w, std::string_view s) {
  const std::string text = valid_utf8(s);
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

// RFC 3339 in UTC with milliseconds: 2026-11-23T10:00:00.123Z.
std::string format_time(std::chrono::system_clock::time_point now) {
  const auto since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const std::time_t seconds = std::chrono::system_clock::to_time_t(
      std::chrono::system_clock::time_point(std::chrono::floor<std::chrono::seconds>(since_epoch)));
  const auto millis = static_cast<int>((since_epoch - std::chrono::floor<std::chrono::seconds>(since_epoch)).count());
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[96];  // room for any int in every field, so the compiler can prove no truncation
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
  return buf;
}

void write_stderr(std::string_view line) {
  std::string whole(line);
  whole += '\n';
  // One fwrite of the whole line: stderr is unbuffered, so this is one write(2) in practice, and
  // other processes sharing the stream see whole lines too.
  std::fwrite(whole.data(), 1, whole.size(), stderr);
}

}  // namespace

const char* log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::Debug:
      return "debug";
    case LogLevel::Info:
      return "info";
    case LogLevel::Warn:
      return "warn";
    case LogLevel::Error:
      return "error";
  }
  return "info";  // unreachable: the switch covers every enumerator
}

Result<LogLevel> parse_log_level(std::string_view text) {
  for (LogLevel level : {LogLevel::Debug, LogLevel::Info, LogLevel::Warn, LogLevel::Error}) {
    if (text == log_level_name(level)) {
      return level;
    }
  }
  return make_invalid("invalid log level \"" + std::string(text) + "\": want one of debug, info, warn, error");
}

std::string format_log_line(std::chrono::system_clock::time_point now, LogLevel level, std::string_view logger,
                            std::string_view msg, const LogFields& fields) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("ts");
  write_string(w, format_time(now));
  w.Key("level");
  write_string(w, log_level_name(level));
  w.Key("logger");
  write_string(w, logger);
  w.Key("msg");
  write_string(w, msg);
  for (const auto& [key, value] : fields) {
    write_string(w, key);  // Writer::Key is String, so this writes a key
    write_string(w, value);
  }
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

Logger::Logger() = default;

Logger& Logger::global() {
  // Built in static storage and never destroyed, so destructors of other statics can still log at exit.
  alignas(Logger) static unsigned char storage[sizeof(Logger)];
  static Logger* logger = ::new (storage) Logger();
  return *logger;
}

void Logger::set_level(LogLevel level) { level_.store(level, std::memory_order_relaxed); }

bool Logger::enabled(LogLevel level) const { return level >= level_.load(std::memory_order_relaxed); }

void Logger::set_sink(Sink sink) {
  std::scoped_lock lock(mutex_);
  sink_ = std::move(sink);
}

void Logger::set_clock(WallClock clock) {
  std::scoped_lock lock(mutex_);
  clock_ = std::move(clock);
}

void Logger::log(LogLevel level, std::string_view logger, std::string_view msg, const LogFields& fields) {
  if (!enabled(level)) {
    return;
  }
  // Formatted under the lock too, so timestamps are in line order.
  std::scoped_lock lock(mutex_);
  const auto now = clock_ ? clock_() : std::chrono::system_clock::now();
  const std::string line = format_log_line(now, level, logger, msg, fields);
  if (sink_) {
    sink_(line);
  } else {
    write_stderr(line);
  }
}

void log_debug(std::string_view logger, std::string_view msg, const LogFields& fields) {
  Logger::global().log(LogLevel::Debug, logger, msg, fields);
}
void log_info(std::string_view logger, std::string_view msg, const LogFields& fields) {
  Logger::global().log(LogLevel::Info, logger, msg, fields);
}
void log_warn(std::string_view logger, std::string_view msg, const LogFields& fields) {
  Logger::global().log(LogLevel::Warn, logger, msg, fields);
}
void log_error(std::string_view logger, std::string_view msg, const LogFields& fields) {
  Logger::global().log(LogLevel::Error, logger, msg, fields);
}

}  // namespace mg::runtime
