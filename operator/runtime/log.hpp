// operator/runtime/log.hpp
//! Logger: the operator's structured logs, one JSON object per line, by default to stderr:
//!   {"ts":"2026-11-23T10:00:00.123Z","level":"info","logger":"controller.cell","msg":"applied","cell":"ns/name"}
//! Keys come in that order, then the fields in the order given; every value is a string. Lines are
//! written whole under a mutex, so threads never interleave.
//! It does not redact: callers must never pass secret values (passwords, tokens, Secret data) as
//! messages or fields. It has no config files, rotation or sampling.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/util/result.hpp"

namespace mg::runtime {

enum class LogLevel { Debug, Info, Warn, Error };

//! Extra key/value pairs of a line, written in this order after "msg".
using LogFields = std::vector<std::pair<std::string, std::string>>;

//! "debug", "info", "warn" or "error".
[[nodiscard]] const char* log_level_name(LogLevel level);

//! Parses debug|info|warn|error (the --log-level flag); the error names the value and lists the choices.
[[nodiscard]] Result<LogLevel> parse_log_level(std::string_view text);

//! A JSON-lines logger. All methods are thread-safe.
class Logger {
 public:
  using Sink = std::function<void(std::string_view line)>;
  using WallClock = std::function<std::chrono::system_clock::time_point()>;

  //! Level Info, writing to stderr, timestamps from the system clock.
  Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  //! The process logger, which writes to stderr.
  static Logger& global();

  //! Lines below `level` are dropped.
  void set_level(LogLevel level);
  //! Where lines go (without the trailing newline); tests capture them. Called under the logger's
  //! mutex, one line at a time, so it must not log itself. An empty function restores stderr.
  void set_sink(Sink sink);
  //! Source of "ts", so tests get fixed lines. An empty function restores the system clock.
  void set_clock(WallClock clock);

  //! Writes one line if `level` is enabled. Text that is not valid UTF-8 is repaired (U+FFFD) so the
  //! line always parses.
  void log(LogLevel level, std::string_view logger, std::string_view msg, const LogFields& fields = {});
  [[nodiscard]] bool enabled(LogLevel level) const;

 private:
  std::atomic<LogLevel> level_{LogLevel::Info};  // atomic so enabled() takes no lock
  mutable std::mutex mutex_;
  Sink sink_;         // guarded by mutex_
  WallClock clock_;   // guarded by mutex_
};

//! The line log() would write (without the newline), for `now`. Pure; exposed for tests.
[[nodiscard]] std::string format_log_line(std::chrono::system_clock::time_point now, LogLevel level,
                                          std::string_view logger, std::string_view msg, const LogFields& fields);

//! Logger::global().log(level, ...), one per level:
//!   log_info("controller.cell", "applied", {{"cell", "ns/name"}});
void log_debug(std::string_view logger, std::string_view msg, const LogFields& fields = {});
void log_info(std::string_view logger, std::string_view msg, const LogFields& fields = {});
void log_warn(std::string_view logger, std::string_view msg, const LogFields& fields = {});
void log_error(std::string_view logger, std::string_view msg, const LogFields& fields = {});

}  // namespace mg::runtime
