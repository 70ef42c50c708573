// tests/fuzz/topo_records_fuzz.cpp
//! The Multigres topology records (common/topo, clustermetadata.proto) as the operator reads them from
//! etcd: Cell and Database records (registry.cpp compares and lists them) and the MultiPooler records
//! each multipooler writes (topology.cpp takes pod roles from them), each via ParseFromString; the etcd
//! JSON gateway's range reply around them (kServerLimits, base64 keys and values, int64 as strings);
//! and the records the operator writes (desired_registration) for a cluster given as YAML. The first
//! byte picks the mode: 'C', 'D', 'P' raw record bytes; 'J' an etcd range reply; 'Y' a cluster
//! manifest (templates from config/samples); anything else: the whole input as each record kind.
//! Properties:
//!   - a decoded record re-encodes to bytes that decode to an equal record (unknown fields kept);
//!   - role_name / serving_name name every enum value a record can carry (or give "" for unknown ones);
//!   - every desired record decodes to what was built, under the key layout of records.hpp.

#include <cstdlib>
#include <type_traits>

#include "common/kube/encoding.hpp"
#include "common/render/render.hpp"
#include "common/topo/records.hpp"
#include "common/util/json.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/templates.hpp"

using namespace mg;

namespace {

template <class Message>
void round_trip(const std::string& bytes) {
  Message first;
  if (!first.ParseFromString(bytes)) return;
  const std::string again = first.SerializeAsString();
  Message second;
  fuzz::check(second.ParseFromString(again), "a record does not decode from its own encoding");
  fuzz::check(topo::canonical_bytes(first) == topo::canonical_bytes(second), "a record changes through encode/decode",
              std::to_string(bytes.size()) + " bytes in, " + std::to_string(again.size()) + " bytes out");
  if constexpr (std::is_same_v<Message, clustermetadata::MultiPooler>) {
    (void)topo::role_name(first.type());
    (void)topo::serving_name(first.serving_status());
  }
}

void every_kind(const std::string& bytes) {
  round_trip<clustermetadata::Cell>(bytes);
  round_trip<clustermetadata::Database>(bytes);
  round_trip<clustermetadata::MultiPooler>(bytes);
}

// etcd's JSON gateway writes int64 as strings and leaves out zero values (as etcd.cpp reads them).
int64_t int_field(const json::Value& v, const char* name) {
  const json::Value* f = json::find(v, name);
  if (f == nullptr) return 0;
  if (f->IsString()) return std::strtoll(f->GetString(), nullptr, 10);
  return f->IsInt64() ? f->GetInt64() : 0;
}

void etcd_reply(std::string_view text) {
  auto doc = json::parse_json(text, "etcd range reply", json::kServerLimits);
  if (!doc.ok()) return;
  (void)int_field(*doc, "count");
  if (const json::Value* header = json::find(*doc, "header")) (void)int_field(*header, "revision");
  const json::Value* kvs = json::find(*doc, "kvs");
  if (kvs == nullptr || !kvs->IsArray()) return;
  for (const auto& kv : kvs->GetArray()) {
    const json::Value* key = json::find(kv, "key");
    const json::Value* value = json::find(kv, "value");
    auto k = kube::base64_decode(key != nullptr && key->IsString() ? key->GetString() : "");
    auto v = kube::base64_decode(value != nullptr && value->IsString() ? value->GetString() : "");
    (void)int_field(kv, "mod_revision");
    (void)int_field(kv, "version");
    if (!k.ok() || !v.ok()) continue;
    if (k->ends_with("/Cell"))
      round_trip<clustermetadata::Cell>(*v);
    else if (k->ends_with("/Database"))
      round_trip<clustermetadata::Database>(*v);
    else if (k->ends_with("/Pooler"))
      round_trip<clustermetadata::MultiPooler>(*v);
    else
      every_kind(*v);
  }
}

void registration(std::string_view yaml) {
  std::vector<render::Source> sources = fuzz::sample_templates();
  sources.push_back({"fuzz.yaml", std::string(yaml)});
  render::Input in = render::load(sources);
  static const resolve::Templates kNone;
  for (const auto& cluster : in.clusters) {
    auto t = in.templates.find(cluster.metadata.namespace_);
    auto resolution = resolve::resolve(cluster, t == in.templates.end() ? kNone : t->second);
    if (!resolution.cluster) continue;
    topo::Registration reg = topo::desired_registration(*resolution.cluster);
    for (const auto& record : reg.records) {
      if (record.kind == topo::RecordKind::Cell) {
        clustermetadata::Cell cell;
        fuzz::check(cell.ParseFromString(record.bytes) && cell.name() == record.name,
                    "a desired Cell record does not decode", record.key);
        fuzz::check(record.key == topo::cell_key(reg.global.rootPath, record.name), "a Cell record is not at its key",
                    record.key);
      } else {
        clustermetadata::Database db;
        fuzz::check(db.ParseFromString(record.bytes) && db.name() == record.name,
                    "a desired Database record does not decode", record.key);
        fuzz::check(record.key == topo::database_key(reg.global.rootPath, record.name),
                    "a Database record is not at its key", record.key);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string rest(fuzz::text(data + 1, size - 1));
  switch (data[0]) {
    case 'C':
      round_trip<clustermetadata::Cell>(rest);
      break;
    case 'D':
      round_trip<clustermetadata::Database>(rest);
      break;
    case 'P':
      round_trip<clustermetadata::MultiPooler>(rest);
      break;
    case 'J':
      etcd_reply(rest);
      break;
    case 'Y':
      registration(rest);
      break;
    default:
      every_kind(std::string(fuzz::text(data, size)));
  }
  return 0;
}
