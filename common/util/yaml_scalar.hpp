// common/util/yaml_scalar.hpp
//! What a plain (unquoted, untagged) YAML scalar means: the YAML 1.2 core schema. One definition for the
//! reader (yaml_reader.cpp turns `true` into a boolean) and the writer (json.cpp quotes a string that
//! would read back as another type), so that what we write reads back as it was.
#pragma once

#include <string_view>

#include "common/util/json.hpp"

namespace mg::json::yaml {

//! "", "~", "null", "Null", "NULL".
bool is_null_word(std::string_view s);
bool is_true_word(std::string_view s);
bool is_false_word(std::string_view s);
//! [-+]?[0-9]+
bool looks_like_int(std::string_view s);
//! [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool looks_like_float(std::string_view s);

//! Sends the value of a plain scalar to a Document being populated (its SAX interface): null, a
//! boolean, an integer (int64), a finite float, else the string itself. `on`/`yes` and YAML 1.1 octals
//! stay strings, as in YAML 1.2.
bool emit_plain(std::string_view s, Document& handler);

}  // namespace mg::json::yaml
