// tests/unit/kube/fixtures.hpp: an in-memory Environment (files and variables) for loading tests.
#pragma once

#include <map>
#include <string>

#include "common/kube/rest_config.hpp"

namespace mg::kube::test {

struct FakeFs {
  std::map<std::string, std::string> files;
  std::map<std::string, std::string> vars;

  Environment env() const {
    Environment e;
    e.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = vars.find(name);
      if (it == vars.end()) return std::nullopt;
      return it->second;
    };
    e.read_file = [this](const std::string& path) -> Result<std::string> {
      auto it = files.find(path);
      if (it == files.end()) return make_error(ErrorCode::NotFound, path + ": No such file or directory");
      return it->second;
    };
    return e;
  }
};

// "hello" etc. in base64, for *-data fields.
inline constexpr const char* kCaPemB64 = "Q0EgUEVN";        // "CA PEM"
inline constexpr const char* kCertPemB64 = "Q0VSVCBQRU0=";  // "CERT PEM"
inline constexpr const char* kKeyPemB64 = "S0VZIFBFTQ==";   // "KEY PEM"

}  // namespace mg::kube::test
