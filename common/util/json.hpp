// common/util/json.hpp
//! The one JSON tree the project uses (RapidJSON), and text <-> tree for JSON and YAML.
//! JSON is read by RapidJSON's iterative parser, YAML by libyaml's event parser (yaml_reader.hpp), both
//! into the same tree so both formats decode through the same code, and both within ParseLimits.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.hpp"

namespace mg::json {

//! RapidJSON's pool allocator with 4 KiB chunks instead of its fixed 64 KiB: a document takes its first
//! chunk at its first value, so each of the dozens of small objects a reconcile builds at once (a Service
//! is ~1 KiB of values) held 64 KiB, and the operator's workers together peaked at megabytes of empty
//! pool. Values larger than a chunk still get a chunk of their own size.
class Allocator : public rapidjson::MemoryPoolAllocator<> {
 public:
  static constexpr size_t kChunkBytes = 4096;
  explicit Allocator(size_t chunk_bytes = kChunkBytes) : MemoryPoolAllocator(chunk_bytes) {}
};

using Value = rapidjson::GenericValue<rapidjson::UTF8<>, Allocator>;
using Document = rapidjson::GenericDocument<rapidjson::UTF8<>, Allocator>;

//! What one parse may cost, so that no input (an alias bomb, `[[[[...`, a runaway pipe) can make it
//! crash, hang or allocate without bound. An input beyond any limit is refused with an error that names
//! the limit, its value and the source, and says what to do. docs/architecture.md explains the values.
struct ParseLimits {
  size_t max_bytes;        //!< length of the text
  size_t max_depth;        //!< collections nested in one another
  size_t max_nodes;        //!< values and keys built, YAML alias expansions included
  size_t max_alias_nodes;  //!< values and keys YAML aliases expand to
  size_t max_documents;    //!< documents of a stream, the items of a `kind: List` counted one by one
};

//! What people write: manifests the plugin reads (files, stdin) and kubeconfigs. Five times the API
//! server's 3 MiB request limit; depth and values far beyond any Kubernetes object (the deepest CRD
//! schema nests 29 levels, config/install.yaml holds 4,300 values in 21 documents); no real manifest
//! aliases 100,000 values. A thousand documents is more than any manifest we know holds.
inline constexpr ParseLimits kFileLimits{.max_bytes = size_t{16} << 20,
                                         .max_depth = 256,
                                         .max_nodes = 1'000'000,
                                         .max_alias_nodes = 100'000,
                                         .max_documents = 1'000};

//! Replies of the API server and etcd (JSON, so no aliases and one document): a LIST page or an unpaged
//! relist may run to tens of MiB, and the API server stores objects nested up to its own limit of
//! 10,000 levels, which the operator must still be able to read.
inline constexpr ParseLimits kServerLimits{.max_bytes = size_t{256} << 20,
                                           .max_depth = 10'000,
                                           .max_nodes = 32'000'000,
                                           .max_alias_nodes = 0,
                                           .max_documents = 1};

//! Parses one JSON text. Errors name the source and the offset.
Result<Document> parse_json(std::string_view text, std::string_view source, const ParseLimits& limits = kFileLimits);

//! Parses every document of a YAML (or JSON) stream. Empty documents are skipped; a `kind: List`
//! document is expanded into its items. Errors name the source and the line.
Result<std::vector<Document>> parse_documents(std::string_view text, std::string_view source,
                                              const ParseLimits& limits = kFileLimits);

//! Compact or indented JSON. Member order is insertion order, so output is deterministic.
std::string to_json(const Value& value, bool pretty = false);

//! Block-style YAML; strings that would read back as another type are quoted.
std::string to_yaml(const Value& value);

//! Several objects as one YAML stream separated by `---`.
std::string to_yaml_stream(const std::vector<const Value*>& values);

//! Deep copy into a new document.
Document clone(const Value& value);

//! A deep copy whose values live in one block of exactly the size they need, for documents kept long
//! (the operator's cache): a plain Document's last chunk is partly empty.
std::shared_ptr<const Document> compact_copy(const Value& value);

//! A string value owned by the allocator.
inline Value str(std::string_view s, Allocator& a) {
  return Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

//! Member lookup that returns nullptr when absent or when `v` is not an object.
const Value* find(const Value& v, std::string_view key);

//! Reads a string member, or "" when absent or not a string.
std::string get_string(const Value& v, std::string_view key);

//! Sets (or replaces) member `key` of object `obj`.
void set(Value& obj, std::string_view key, Value value, Allocator& a);

//! Follows a dotted path of object keys ("metadata.name"); nullptr when any step is missing.
const Value* at_path(const Value& v, std::string_view dotted);
//! The string at a dotted path, or "" when it is missing or not a string.
std::string string_at(const Value& v, std::string_view dotted);
//! The integer at a dotted path, or 0 when it is missing or not an integer.
int64_t int_at(const Value& v, std::string_view dotted);
//! The condition of `type` in a Kubernetes object's status.conditions (a list of {type, status, reason,
//! message}), or nullptr.
const Value* status_condition(const Value& object, std::string_view type);
//! metadata.annotations[key] of a Kubernetes object, or "" (keys hold dots: no dotted path for them).
std::string annotation(const Value& object, std::string_view key);
//! metadata.labels[key] of a Kubernetes object, or "".
std::string label(const Value& object, std::string_view key);

}  // namespace mg::json
