// tests/unit/golden.hpp
//! Golden files: compare output byte for byte with tests/golden/<relative>; with MG_UPDATE_GOLDEN=1 the
//! file is (re)written instead, which is the only way goldens change.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace mg::test {

inline std::string source_path(const std::string& relative) { return std::string(MG_SOURCE_DIR) + "/" + relative; }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void check_golden(const std::string& relative, const std::string& actual) {
  std::string path = source_path("tests/golden/" + relative);
  const char* update = std::getenv("MG_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  INFO("golden file " << path << " (regenerate with MG_UPDATE_GOLDEN=1)");
  REQUIRE(std::filesystem::exists(path));
  CHECK(read_file(path) == actual);
}

//! A generated file committed at `relative` (from the repository root) must equal `generated`; with
//! MG_UPDATE_GOLDEN=1 it is rewritten instead. `tag` is the test tag that regenerates it.
inline void check_committed(const std::string& relative, const std::string& generated, const std::string& tag) {
  std::string path = source_path(relative);
  const char* update = std::getenv("MG_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << generated;
    return;
  }
  INFO(relative << " differs from the generator: run MG_UPDATE_GOLDEN=1 build/tests/unit_tests \"" << tag << "\"");
  CHECK(read_file(path) == generated);
}

}  // namespace mg::test
