// common/pg/quote.cpp
//! The one identifier quoting function. Pure (no connection), so validation and tests can use it:
//! PostgreSQL's rule for a delimited identifier is `"` ... `"` with each `"` inside doubled, and any
//! other byte (semicolons, spaces, unicode) taken literally. NUL cannot be sent at all, and names over
//! 63 bytes would be silently truncated by the server, so both are refused.
#include <string>

#include "common/pg/pg.hpp"

namespace mg::pg {

namespace {
constexpr size_t kMaxIdentifierBytes = 63;  // NAMEDATALEN - 1
}

Result<std::string> quote_identifier(std::string_view name) {
  if (name.empty()) return make_invalid("a PostgreSQL name must not be empty");
  if (name.find('\0') != std::string_view::npos) return make_invalid("a PostgreSQL name must not contain a NUL byte");
  if (name.size() > kMaxIdentifierBytes) {
    return make_invalid("the PostgreSQL name is " + std::to_string(name.size()) +
                        " bytes long; the server keeps at most 63 bytes, use a shorter name");
  }
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace mg::pg
