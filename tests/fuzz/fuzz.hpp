// tests/fuzz/fuzz.hpp
//! What every fuzz target shares: the input as text, fields cut from it, and a check that aborts (so
//! libFuzzer saves the input as a crash) with a message naming the broken property.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace mg::fuzz {

inline std::string_view text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

//! A property of the code under test does not hold: print it and abort (a libFuzzer crash).
[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "\nFUZZ PROPERTY BROKEN: %.*s\n", static_cast<int>(what.size()), what.data());
  if (!detail.empty()) {
    constexpr size_t kShown = 2000;
    std::fprintf(stderr, "%.*s%s\n", static_cast<int>(std::min(detail.size(), kShown)), detail.data(),
                 detail.size() > kShown ? " ..." : "");
  }
  std::abort();
}

inline void check(bool ok, std::string_view what, std::string_view detail = {}) {
  if (!ok) fail(what, detail);
}

//! The input cut into fields: its first byte is the separator, the rest is split on it ("|a|b" -> a, b).
//! Always returns at least `n` fields (missing ones empty), so seeds stay readable.
inline std::vector<std::string> fields(std::string_view in, size_t n) {
  std::vector<std::string> out;
  if (!in.empty()) {
    const char sep = in.front();
    in.remove_prefix(1);
    size_t start = 0;
    while (true) {
      size_t at = in.find(sep, start);
      out.emplace_back(in.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
      if (at == std::string_view::npos) break;
      start = at + 1;
    }
  }
  while (out.size() < n) out.emplace_back();
  return out;
}

//! A file of the source tree (samples used as fixed inputs); aborts when it cannot be read.
inline std::string source_file(const std::string& relative) {
  std::ifstream in(std::string(MG_SOURCE_DIR) + "/" + relative, std::ios::binary);
  if (!in) fail("cannot read " + relative);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace mg::fuzz
