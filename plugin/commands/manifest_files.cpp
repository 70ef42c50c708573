// plugin/commands/manifest_files.cpp
#include "plugin/commands/manifest_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace mg::plugin {
namespace {

Result<render::Source> read_one(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::NotFound, path.string() + ": cannot read the file: check the path");
  std::stringstream ss;
  ss << in.rdbuf();
  return render::Source{path.string(), ss.str()};
}

bool is_manifest(const std::filesystem::path& p) {
  auto ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

}  // namespace

Result<std::vector<render::Source>> read_manifest_files(const std::vector<std::string>& paths) {
  std::vector<render::Source> out;
  for (const auto& arg : paths) {
    if (arg == "-") {
      std::stringstream ss;
      ss << std::cin.rdbuf();
      out.push_back({"<stdin>", ss.str()});
      continue;
    }
    std::filesystem::path path(arg);
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::directory_iterator(path)) {
        if (entry.is_regular_file() && is_manifest(entry.path())) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        auto source = read_one(f);
        if (!source.ok()) return source.error();
        out.push_back(std::move(source).value());
      }
      continue;
    }
    auto source = read_one(path);
    if (!source.ok()) return source.error();
    out.push_back(std::move(source).value());
  }
  return out;
}

}  // namespace mg::plugin
