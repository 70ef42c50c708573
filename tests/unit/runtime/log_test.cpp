// tests/unit/runtime/log_test.cpp: JSON line shape, escaping, level filtering and whole lines under threads.
#include "operator/runtime/log.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/util/json.hpp"

using mg::runtime::LogFields;
using mg::runtime::Logger;
using mg::runtime::LogLevel;
using namespace std::chrono;

namespace {

// 2026-11-23T10:00:00.123Z
system_clock::time_point fixed_time() {
  return sys_days{year{2026} / November / 23} + hours{10} + milliseconds{123};
}

//! A Logger whose lines land in `lines`, stamped with fixed_time().
struct Captured {
  Logger logger;
  std::vector<std::string> lines;
  Captured() {
    logger.set_sink([this](std::string_view line) { lines.emplace_back(line); });
    logger.set_clock(fixed_time);
  }
};

mg::json::Document parse(const std::string& line) {
  mg::json::Document doc;
  doc.Parse(line.c_str(), line.size());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.IsObject());
  return doc;
}

}  // namespace

TEST_CASE("a log line has ts, level, logger, msg, then the fields in order", "[runtime]") {
  Captured c;
  c.logger.log(LogLevel::Info, "controller.cell", "applied", {{"cell", "ns/name"}, {"b", "2"}, {"a", "1"}});
  REQUIRE(c.lines.size() == 1);
  CHECK(c.lines[0] ==
        R"({"ts":"2026-11-23T10:00:00.123Z","level":"info","logger":"controller.cell","msg":"applied",)"
        R"("cell":"ns/name","b":"2","a":"1"})");
}

TEST_CASE("timestamps are UTC with zero-padded milliseconds", "[runtime]") {
  const auto t = sys_days{year{2027} / January / 2} + hours{3} + minutes{4} + seconds{5} + milliseconds{6};
  CHECK(mg::runtime::format_log_line(t, LogLevel::Error, "l", "m", {}) ==
        R"({"ts":"2027-01-02T03:04:05.006Z","level":"error","logger":"l","msg":"m"})");
}

TEST_CASE("quotes, backslashes, newlines and control characters are escaped", "[runtime]") {
  const std::string line = mg::runtime::format_log_line(fixed_time(), LogLevel::Warn, "x",
                                                        "say \"hi\"\\\nnext\ttab\x01", {{"k\"ey", "v\r\n"}});
  CHECK(line.find(R"("msg":"say \"hi\"\\\nnext\ttab\u0001")") != std::string::npos);
  CHECK(line.find(R"("k\"ey":"v\r\n")") != std::string::npos);
  CHECK(line.find('\n') == std::string::npos);  // one physical line
  auto doc = parse(line);
  CHECK(std::string(doc["msg"].GetString()) == "say \"hi\"\\\nnext\ttab\x01");
}

TEST_CASE("unicode passes through and invalid UTF-8 becomes U+FFFD", "[runtime]") {
  const std::string line = mg::runtime::format_log_line(
      fixed_time(), LogLevel::Info, "x", "h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x90\x98",  // héllo ✓ 🐘
      {{"bad", "a\xFF" "b\xC3"}, {"surrogate", "\xED\xA0\x80"}, {"overlong", "\xC0\xAF"}});
  auto doc = parse(line);
  CHECK(std::string(doc["msg"].GetString()) == "h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x90\x98");
  CHECK(std::string(doc["bad"].GetString()) == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
  CHECK(std::string(doc["surrogate"].GetString()) == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(std::string(doc["overlong"].GetString()) == "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("lines below the level are dropped", "[runtime]") {
  Captured c;
  CHECK_FALSE(c.logger.enabled(LogLevel::Debug));  // Info by default
  CHECK(c.logger.enabled(LogLevel::Info));
  c.logger.log(LogLevel::Debug, "x", "hidden");
  c.logger.log(LogLevel::Info, "x", "shown");
  c.logger.set_level(LogLevel::Warn);
  c.logger.log(LogLevel::Info, "x", "hidden");
  c.logger.log(LogLevel::Warn, "x", "warned");
  c.logger.log(LogLevel::Error, "x", "failed");
  c.logger.set_level(LogLevel::Debug);
  c.logger.log(LogLevel::Debug, "x", "debugged");
  REQUIRE(c.lines.size() == 4);
  CHECK(parse(c.lines[0])["msg"] == "shown");
  CHECK(parse(c.lines[1])["level"] == "warn");
  CHECK(parse(c.lines[2])["level"] == "error");
  CHECK(parse(c.lines[3])["level"] == "debug");
}

TEST_CASE("parse_log_level accepts the four names and lists them on error", "[runtime]") {
  CHECK(mg::runtime::parse_log_level("debug").value() == LogLevel::Debug);
  CHECK(mg::runtime::parse_log_level("info").value() == LogLevel::Info);
  CHECK(mg::runtime::parse_log_level("warn").value() == LogLevel::Warn);
  CHECK(mg::runtime::parse_log_level("error").value() == LogLevel::Error);
  auto bad = mg::runtime::parse_log_level("verbose");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == mg::ErrorCode::Invalid);
  CHECK(bad.error().message == "invalid log level \"verbose\": want one of debug, info, warn, error");
  CHECK_FALSE(mg::runtime::parse_log_level("INFO").ok());
}

TEST_CASE("lines from many threads arrive whole", "[runtime]") {
  Logger logger;
  std::vector<std::string> lines;  // the sink runs under the logger's mutex, so no lock of its own
  logger.set_sink([&lines](std::string_view line) { lines.emplace_back(line); });
  constexpr int kThreads = 4;
  constexpr int kEach = 250;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&logger, t] {
      for (int i = 0; i < kEach; ++i) {
        logger.log(LogLevel::Info, "worker", std::string(100, static_cast<char>('a' + t)),
                   {{"i", std::to_string(i)}});
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  REQUIRE(lines.size() == kThreads * kEach);
  for (const std::string& line : lines) {
    auto doc = parse(line);
    const std::string msg = doc["msg"].GetString();
    CHECK(msg == std::string(100, msg[0]));
  }
}

TEST_CASE("the global logger and the helpers write through the sink", "[runtime]") {
  Logger& global = Logger::global();
  CHECK(&global == &Logger::global());
  std::vector<std::string> lines;
  global.set_sink([&lines](std::string_view line) { lines.emplace_back(line); });
  global.set_level(LogLevel::Debug);
  mg::runtime::log_debug("t", "d");
  mg::runtime::log_info("t", "i", {{"cell", "ns/name"}});
  mg::runtime::log_warn("t", "w");
  mg::runtime::log_error("t", "e");
  global.set_level(LogLevel::Info);  // restore the process defaults for other tests
  global.set_sink({});
  REQUIRE(lines.size() == 4);
  CHECK(parse(lines[1])["cell"] == "ns/name");
  CHECK(parse(lines[3])["level"] == "error");
}
