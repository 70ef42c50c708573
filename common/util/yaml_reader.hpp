// common/util/yaml_reader.hpp
//! YAML text -> JSON trees (RapidJSON) with libyaml, within ParseLimits. Not for direct use: read YAML
//! with json::parse_documents, which also reads JSON and expands `kind: List`.
//!
//! Why libyaml: yaml-cpp 0.7 (Debian 12) loops forever, allocating, on some malformed input (a
//! document that starts with `,`: jbeder/yaml-cpp#1319, fixed upstream in 2024), and keeps aliases as
//! shared nodes that any walk expands without bound (300 bytes stood for 387 million values). libyaml is
//! a pull parser of events with its stacks on the heap, fuzzed in OSS-Fuzz, that never expands an alias
//! itself: the tree is built here, the events of anchored nodes are recorded and replayed for an alias,
//! and every value, nesting level, alias expansion and document is counted against the limits.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/util/json.hpp"
#include "common/util/result.hpp"

namespace mg::json::yaml {

//! Every non-empty document of a YAML stream, in order. A plain scalar resolves by the YAML 1.2 core
//! schema (yaml_scalar.hpp); a quoted or tagged one is a string; keys are taken as written, and a
//! repeated key or a collection as a key is an error (as in kubectl). Errors name the source and line.
Result<std::vector<Document>> read_stream(std::string_view text, std::string_view source, const ParseLimits& limits);

//! The limits of ParseLimits, for their errors.
enum class Limit { Bytes, Depth, Nodes, AliasNodes, Documents };

//! "<source>: <where>: <what went beyond the limit> (<limit>); <what to do>"; `where` may be empty.
Error limit_error(Limit limit, const ParseLimits& limits, std::string_view source, std::string_view where = {});

}  // namespace mg::json::yaml
