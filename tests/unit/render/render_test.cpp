// tests/unit/render/render_test.cpp: every sample renders to its golden file, byte for byte, and twice
// gives the same bytes.
#include <catch2/catch.hpp>

#include "common/render/render.hpp"
#include "tests/unit/golden.hpp"

using namespace mg;

namespace {

struct SampleCase {
  const char* golden;
  std::vector<const char*> files;
};

const std::vector<SampleCase> kSamples = {
    {"minimal", {"minimal.yaml"}},
    {"two-cells", {"small-templates.yaml", "two-cells.yaml"}},
    {"templated", {"templated.yaml"}},
    {"inline", {"inline.yaml"}},
    {"power-user", {"power-user.yaml"}},
    {"example-cluster", {"example-cluster.yaml", "cell-template.yaml", "shard-template.yaml"}},
};

render::Output render_output(const SampleCase& sample) {
  std::vector<render::Source> sources;
  for (const char* f : sample.files) {
    std::string path = test::source_path(std::string("config/samples/") + f);
    sources.push_back({f, test::read_file(path)});
  }
  auto input = render::load(sources);
  INFO(input.errors.size() << " load errors; first: " << (input.errors.empty() ? "" : input.errors[0]));
  REQUIRE(input.errors.empty());
  auto output = render::render(input);
  INFO(output.errors.size() << " render errors; first: " << (output.errors.empty() ? "" : output.errors[0]));
  REQUIRE(output.errors.empty());
  return output;
}

std::string render_sample(const SampleCase& sample) {
  const auto output = render_output(sample);
  std::vector<const json::Value*> values;
  for (const auto& o : output.objects) values.push_back(&o);
  return json::to_yaml_stream(values);
}

}  // namespace

TEST_CASE("every sample renders to its golden file", "[render]") {
  for (const auto& sample : kSamples) {
    SECTION(sample.golden) { test::check_golden(std::string("render/") + sample.golden + ".yaml", render_sample(sample)); }
  }
}

TEST_CASE("rendering twice gives identical bytes", "[render]") {
  for (const auto& sample : kSamples) {
    INFO(sample.golden);
    CHECK(render_sample(sample) == render_sample(sample));
  }
}

TEST_CASE("rendered output reads back as the same objects", "[render]") {
  for (const auto& sample : kSamples) {
    INFO(sample.golden);
    std::string yaml = render_sample(sample);
    auto docs = json::parse_documents(yaml, sample.golden);
    REQUIRE(docs.ok());
    std::string again;
    for (const auto& d : *docs) again += "---\n" + json::to_yaml(d);
    CHECK(again == yaml);
  }
}

TEST_CASE("the minimal sample yields database postgres, tablegroup default, shard 0-inf", "[render]") {
  std::string yaml = render_sample(kSamples[0]);
  CHECK_THAT(yaml, Catch::Contains("databaseName: postgres"));
  CHECK_THAT(yaml, Catch::Contains("tableGroupName: default"));
  CHECK_THAT(yaml, Catch::Contains("shardName: 0-inf"));
}

TEST_CASE(
    "render warns about each shard and readOnly pool Multigres v0.1.0 cannot serve as asked, and about "
    "nothing else",
    "[render]") {
  for (const auto& sample : kSamples) {
    INFO(sample.golden);
    const auto output = render_output(sample);
    const std::string name(sample.golden);
    if (name == "minimal" || name == "two-cells" || name == "templated" || name == "inline") {
      CHECK(output.warnings.empty());
      continue;
    }
    REQUIRE_FALSE(output.warnings.empty());
    size_t readonly_pools = 0;
    for (const auto& w : output.warnings) {
      CHECK_THAT(w, Catch::Contains(": spec.databases["));
      if (w.find("].type: readOnly: Multigres v0.1.0 cannot keep a pooler out of primary elections") !=
          std::string::npos) {
        ++readonly_pools;
      } else {
        CHECK_THAT(w, Catch::Contains("cannot be served by Multigres v0.1.0"));
      }
    }
    // power-user's geo-distributed-shard and example's standard-shard-ha carry a readOnly pool.
    CHECK(readonly_pools == (name == "power-user" ? 2u : 1u));
  }
}
