// tests/unit/render/invalid_test.cpp: every manifest in tests/invalid/ is rejected offline with the errors
// its header promises, and every sample in config/samples/ validates cleanly.
//
// Header of an invalid manifest (comment lines at the top of the file):
//   # expect: <field path>: <substring of the message>   one or more; path "(none)" = no field path
//   # caught-by: admission | resolver                     who rejects it in a real cluster
//   # offline: no                                         offline validation misses it (must not crash)
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "common/render/render.hpp"
#include "tests/unit/golden.hpp"

using namespace mg;

namespace {

struct Expectation {
  std::string path;  //!< "(none)" when the error has no field path (YAML syntax, unknown kind, ...)
  std::string text;
};

struct Header {
  std::vector<Expectation> expects;
  std::vector<std::string> caught_by;
  bool offline = true;
};

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.pop_back();
  size_t start = s.find_first_not_of(" \t");
  return start == std::string::npos ? std::string() : s.substr(start);
}

//! Reads the leading comment block of a manifest.
Header parse_header(const std::string& text) {
  Header h;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos = end == std::string::npos ? text.size() : end + 1;
    if (line.rfind('#', 0) != 0) break;
    std::string body = trim(line.substr(1));
    if (body.rfind("expect:", 0) == 0) {
      std::string rest = trim(body.substr(7));
      size_t sep = rest.find(": ");
      if (sep == std::string::npos) {
        h.expects.push_back({rest, ""});
      } else {
        h.expects.push_back({rest.substr(0, sep), trim(rest.substr(sep + 2))});
      }
    } else if (body.rfind("caught-by:", 0) == 0) {
      h.caught_by.push_back(trim(body.substr(10)));
    } else if (body.rfind("offline:", 0) == 0) {
      h.offline = trim(body.substr(8)) != "no";
    }
  }
  return h;
}

//! True when one error names `e.path` (as "...: <path>: ...") and says `e.text` after it.
bool reported(const std::vector<std::string>& errors, const Expectation& e) {
  for (const auto& error : errors) {
    if (e.path == "(none)") {
      if (error.find(e.text) != std::string::npos) return true;
      continue;
    }
    std::string needle = ": " + e.path + ": ";
    for (size_t at = error.find(needle); at != std::string::npos; at = error.find(needle, at + 1)) {
      if (error.find(e.text, at + needle.size()) != std::string::npos) return true;
    }
  }
  return false;
}

std::vector<std::filesystem::path> invalid_manifests() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_path("tests/invalid"))) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "  " + l + "\n";
  return out;
}

//! load + render over `sources`; returns every error of both steps.
std::vector<std::string> all_errors(const std::vector<render::Source>& sources) {
  auto input = render::load(sources);
  auto output = render::render(input);
  std::vector<std::string> errors = input.errors;
  errors.insert(errors.end(), output.errors.begin(), output.errors.end());
  return errors;
}

}  // namespace

TEST_CASE("the expectation parser reads paths and messages", "[invalid]") {
  auto h = parse_header(
      "# expect: spec.cells[0]: set exactly one of zone or region\n"
      "# expect: (none): invalid YAML at line\n"
      "# caught-by: resolver\n"
      "# offline: no\n"
      "apiVersion: v1\n"
      "# expect: x: after the header, ignored\n");
  REQUIRE(h.expects.size() == 2);
  CHECK(h.expects[0].path == "spec.cells[0]");
  CHECK(h.expects[0].text == "set exactly one of zone or region");
  CHECK(h.expects[1].path == "(none)");
  CHECK(h.caught_by == std::vector<std::string>{"resolver"});
  CHECK_FALSE(h.offline);

  std::vector<std::string> errors = {"f.yaml: MultigresCluster/x: spec.cells[0].name: duplicate cell \"a\""};
  CHECK(reported(errors, {"spec.cells[0].name", "duplicate cell"}));
  CHECK_FALSE(reported(errors, {"spec.cells[0]", "duplicate cell"}));  // a path is matched whole
  CHECK_FALSE(reported(errors, {"spec.cells[0].name", "unknown field"}));
  CHECK(reported(errors, {"(none)", "duplicate cell"}));
}

TEST_CASE("every invalid manifest is rejected with the errors its header expects", "[invalid]") {
  auto files = invalid_manifests();
  CHECK(files.size() >= 45);
  size_t admission = 0, resolver = 0, offline_no = 0;
  for (const auto& file : files) {
    std::string name = file.filename().string();
    std::string text = test::read_file(file.string());
    Header header = parse_header(text);
    INFO("tests/invalid/" << name);

    CHECK_FALSE(header.expects.empty());
    REQUIRE(header.caught_by.size() == 1);
    const std::string& by = header.caught_by.front();
    CHECK((by == "admission" || by == "resolver"));
    if (!header.offline) CHECK(by == "admission");  // what offline misses, the API server must catch
    admission += by == "admission";
    resolver += by == "resolver";
    offline_no += !header.offline;

    // What the library does (load + render, never throwing), and what `kubectl multigres validate`
    // prints: load errors when there are any, else the resolver's.
    auto input = render::load({{name, text}});
    render::Output output;
    REQUIRE_NOTHROW(output = render::render(input));
    const std::vector<std::string>& shown = input.errors.empty() ? output.errors : input.errors;
    INFO("errors:\n" << join_lines(input.errors) << join_lines(output.errors));

    if (!header.offline) continue;  // only "does not crash" is required
    CHECK_FALSE(shown.empty());
    for (const auto& error : shown) CHECK_FALSE(error.empty());
    // A resolver-only case must pass the schema checks of decoding: the API server would accept it.
    if (by == "resolver") CHECK(input.errors.empty());
    for (const auto& e : header.expects) {
      INFO("expect: " << e.path << ": " << e.text);
      CHECK(reported(shown, e));
    }
  }
  // Both kinds of rejection are covered.
  CHECK(admission > 0);
  CHECK(resolver > 0);
  CHECK(offline_no < files.size());
}

TEST_CASE("every sample validates with no errors", "[invalid]") {
  auto sample = [](const std::string& name) {
    std::string path = "config/samples/" + name;
    return render::Source{path, test::read_file(test::source_path(path))};
  };
  for (const char* name : {"minimal.yaml", "templated.yaml", "inline.yaml", "power-user.yaml"}) {
    INFO(name);
    auto errors = all_errors({sample(name)});
    INFO(join_lines(errors));
    CHECK(errors.empty());
  }
  SECTION("the seed example with its two templates") {
    auto input =
        render::load({sample("example-cluster.yaml"), sample("cell-template.yaml"), sample("shard-template.yaml")});
    auto output = render::render(input);
    INFO(join_lines(input.errors) << join_lines(output.errors));
    CHECK(input.errors.empty());
    CHECK(output.errors.empty());
    CHECK(input.clusters.size() == 1);
    CHECK_FALSE(output.objects.empty());
  }
  SECTION("the seed example without its templates is rejected, naming both") {
    auto errors = all_errors({sample("example-cluster.yaml")});
    CHECK(reported(errors, {"spec.cells[0].cellTemplate", "CellTemplate \"standard-cell-ha\" not found"}));
    CHECK(reported(errors, {"spec.databases[0].tablegroups[0].shards[0].shardTemplate",
                            "ShardTemplate \"standard-shard-ha\" not found"}));
  }
}
