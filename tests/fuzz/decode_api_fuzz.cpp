// tests/fuzz/decode_api_fuzz.cpp
//! YAML/JSON text -> json::parse_documents (kFileLimits) -> the API types, the way `kubectl multigres
//! validate` reads a file: MultigresCluster, CellTemplate and ShardTemplate decoded strictly and not, every
//! kind of the registry validated, and render::load on the whole text. Properties checked:
//!   - a refused input has an error message;
//!   - what we write reads back the same: to_yaml(doc) parses to doc, and to_json(doc) too;
//!   - decode is stable: encode(decode(x)) decodes without new errors and encodes to the same text.
#include "common/api/kinds.hpp"
#include "common/api/multigres_cluster.hpp"
#include "common/render/render.hpp"
#include "common/util/json.hpp"
#include "tests/fuzz/fuzz.hpp"

namespace {

using namespace mg;

void check_reads_back(const json::Value& doc) {
  const std::string want = json::to_json(doc);
  const std::string yaml = json::to_yaml(doc);
  auto again = json::parse_documents(yaml, "to_yaml");
  fuzz::check(again.ok(), "to_yaml output does not parse", yaml + "\n" + (again.ok() ? "" : again.error().message));
  fuzz::check(again->size() == 1, "to_yaml output is not one document", yaml);
  const std::string got = json::to_json((*again)[0]);
  fuzz::check(got == want, "to_yaml output reads back different",
              "want " + want + "\ngot  " + got + "\nyaml:\n" + yaml);
  auto from_json = json::parse_json(want, "to_json");
  fuzz::check(from_json.ok(), "to_json output does not parse", want);
  fuzz::check(json::to_json(*from_json) == want, "to_json output reads back different", want);
}

template <class T>
void decode_twice(const json::Value& doc, bool strict) {
  api::DecodeContext first{.strict = strict};
  T value = api::decode<T>(doc, first);
  json::Document encoded = api::encode(value);
  const std::string once = json::to_json(encoded);
  api::DecodeContext second{.strict = true};
  T again = api::decode<T>(encoded, second);
  if (first.errors.empty() && !second.errors.empty()) {
    fuzz::fail("a valid object encodes to an invalid one", once + "\n" + second.errors.front().str());
  }
  const std::string twice = json::to_json(api::encode(again));
  fuzz::check(once == twice, "encode(decode(x)) is not stable", "once  " + once + "\ntwice " + twice);
  check_reads_back(encoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::text(data, size);
  auto docs = json::parse_documents(text, "fuzz.yaml");
  if (!docs.ok()) {
    fuzz::check(!docs.error().message.empty(), "a refused input has no error message");
  } else {
    for (const auto& doc : *docs) {
      // parse_documents expands `kind: List`; an item that is itself a List would expand again.
      if (json::get_string(doc, "kind") != "List") check_reads_back(doc);
      if (!doc.IsObject()) continue;
      for (bool strict : {true, false}) {
        decode_twice<api::MultigresCluster>(doc, strict);
        decode_twice<api::CellTemplate>(doc, strict);
        decode_twice<api::ShardTemplate>(doc, strict);
        for (const auto& kind : api::all_kinds()) (void)kind.validate(doc, strict);
      }
    }
  }
  render::Input in = render::load({{"fuzz.yaml", std::string(text)}});
  fuzz::check(in.clusters.size() == in.cluster_sources.size(), "render::load: clusters and sources differ in count");
  return 0;
}
