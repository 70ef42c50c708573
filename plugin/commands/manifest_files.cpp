// plugin/commands/manifest_files.cpp
#include "plugin/commands/manifest_files.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "common/util/json.hpp"

namespace mg::plugin {
namespace {

// One byte past the size limit is enough for parse_documents to refuse the input with its message.
std::string read_bounded(std::istream& in) {
  const size_t cap = json::kFileLimits.max_bytes + 1;
  std::string out;
  std::array<char, 64 * 1024> buffer{};
  while (out.size() < cap) {
    in.read(buffer.data(), static_cast<std::streamsize>(std::min(buffer.size(), cap - out.size())));
    out.append(buffer.data(), static_cast<size_t>(in.gcount()));
    if (!in) break;
  }
  return out;
}

Result<render::Source> read_one(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::NotFound, path.string() + ": cannot read the file: check the path");
  return render::Source{path.string(), read_bounded(in)};
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
      out.push_back({"<stdin>", read_bounded(std::cin)});
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

std::string no_objects_error(std::string_view command, const std::vector<std::string>& paths,
                             const render::Input& input) {
  if (input.objects > 0 || !input.errors.empty()) return {};
  std::string names;
  for (const auto& p : paths) names += (names.empty() ? "" : ", ") + (p == "-" ? std::string("<stdin>") : p);
  return "no objects passed to " + std::string(command) + " (read " + names +
         "): give manifests that hold Kubernetes objects (documents with apiVersion and kind)";
}

void print_warnings(const std::vector<std::string>& warnings, CommandContext& ctx) {
  for (const auto& w : warnings) ctx.err << "warning: " << w << "\n";
}

}  // namespace mg::plugin
