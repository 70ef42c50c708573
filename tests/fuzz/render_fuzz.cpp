// tests/fuzz/render_fuzz.cpp
//! The resolver pipeline as `kubectl multigres render` and `validate` run it: render::load on the fuzz
//! input next to the sample templates (config/samples/cell-template.yaml, shard-template.yaml,
//! small-templates.yaml: a cluster may name them, or the `default` ones), then render::render, which
//! resolves (defaults, template layering, validation) and builds every object, also when load reported
//! errors (as both commands do). Properties checked on every rendered object:
//!   - it is a Kubernetes object (kind, metadata.name);
//!   - it covers itself (kube::covers, what the operator's "write only the difference" rests on);
//!   - what `render` prints reads back the same (to_yaml and to_json).
#include "common/kube/compare.hpp"
#include "common/render/render.hpp"
#include "common/util/json.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/templates.hpp"

using namespace mg;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<render::Source> sources = fuzz::sample_templates();
  sources.push_back({"fuzz.yaml", std::string(fuzz::text(data, size))});
  render::Input in = render::load(sources);
  render::Output out = render::render(in);
  for (const auto& object : out.objects) {
    const std::string json = json::to_json(object);
    fuzz::check(object.IsObject() && !json::get_string(object, "kind").empty() &&
                    !json::string_at(object, "metadata.name").empty(),
                "a rendered object has no kind or name", json);
    fuzz::check(kube::covers(object, object), "a rendered object does not cover itself", json);
    const std::string yaml = json::to_yaml(object);
    auto again = json::parse_documents(yaml, "render output");
    fuzz::check(again.ok() && again->size() == 1 && json::to_json((*again)[0]) == json,
                "a rendered object does not read back from its YAML", yaml);
  }
  return 0;
}
