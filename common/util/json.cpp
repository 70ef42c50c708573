// common/util/json.cpp
#include "common/util/json.hpp"

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <unordered_set>

#include "common/util/yaml_reader.hpp"
#include "common/util/yaml_scalar.hpp"

namespace mg::json {
namespace {

using yaml::Limit;
using yaml::limit_error;

// Would this string, written plain, read back as something other than the same string?
//! YAML 1.1 readers (PyYAML, and so many tools) turn "2026-11-23..." into a date and "10:30" into
//! the base-60 integer 630: such strings must be quoted to stay strings.
bool looks_like_yaml11_date_or_sexagesimal(const std::string& s) {
  auto digits = [&](size_t from, size_t min, size_t max) {
    size_t n = 0;
    while (from + n < s.size() && n < max && std::isdigit(static_cast<unsigned char>(s[from + n]))) ++n;
    return n >= min ? n : 0;
  };
  if (digits(0, 4, 4) == 4 && s.size() > 5 && s[4] == '-') {
    size_t month = digits(5, 1, 2);
    if (month != 0 && 5 + month < s.size() && s[5 + month] == '-' && digits(6 + month, 1, 2) != 0) return true;
  }
  size_t i = digits(0, 1, 20);
  if (i == 0 || i == s.size() || s[i] != ':') return false;
  while (i < s.size() && s[i] == ':') {
    size_t n = digits(i + 1, 1, 2);
    if (n == 0) return false;
    i += 1 + n;
  }
  return i == s.size();
}

bool needs_quotes(const std::string& s) {
  if (yaml::is_null_word(s) || yaml::is_true_word(s) || yaml::is_false_word(s) || yaml::looks_like_int(s) ||
      yaml::looks_like_float(s) || looks_like_yaml11_date_or_sexagesimal(s)) {
    return true;
  }
  static const char* const kYaml11Words[] = {"y",  "Y",  "yes", "Yes", "YES", "n",   "N",   "no",
                                             "No", "NO", "on",  "On",  "ON",  "off", "Off", "OFF"};
  for (const char* w : kYaml11Words) {
    if (s == w) return true;
  }
  return false;
}

// A block-style YAML writer for JSON trees. yaml-cpp's Emitter spent 96% of a large render deciding how
// to quote each scalar; a JSON tree needs only three scalar forms: plain when the text is unambiguous,
// a literal block for multi-line text, else a JSON string (a valid YAML double-quoted scalar).
// The Unicode line breaks YAML knows besides \n and \r (NEL, LS, PS), as UTF-8, and the escapes that
// write them in a double-quoted scalar. Written raw, libyaml reads them as line breaks and folds them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kUnicodeBreaks{
    {{"\xC2\x85", "\\N"}, {"\xE2\x80\xA8", "\\L"}, {"\xE2\x80\xA9", "\\P"}}};

bool has_unicode_break(const std::string& s) {
  return std::ranges::any_of(kUnicodeBreaks, [&](const auto& b) { return s.find(b.first) != std::string::npos; });
}

// A JSON string is a YAML double-quoted scalar, but for the Unicode line breaks, which are escaped.
std::string double_quoted(const Value& v) {
  std::string out = to_json(v);
  for (const auto& [raw, escape] : kUnicodeBreaks) {
    for (size_t at = out.find(raw); at != std::string::npos; at = out.find(raw, at + escape.size())) {
      out.replace(at, raw.size(), escape);
    }
  }
  return out;
}

bool plain_safe(const std::string& s) {
  if (s.empty() || needs_quotes(s) || has_unicode_break(s)) return false;
  if (s.front() == ' ' || s.back() == ' ') return false;
  static const std::string kIndicators = "-?:,[]{}#&*!|>'\"%@`";
  if (kIndicators.find(s.front()) != std::string::npos) {
    // "-x", "?x" and ":x" are plain in YAML 1.2 only when followed by a non-space; keep it simple.
    return false;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return false;
    if (c == '#' && i > 0 && s[i - 1] == ' ') return false;
    if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) return false;
  }
  return true;
}

// Text that round-trips through a literal block: newline-separated lines with no tabs, no carriage
// returns, no trailing spaces, and a first line that does not start with a space.
bool literal_safe(const std::string& s) {
  if (s.find('\n') == std::string::npos || s.front() == ' ' || s.front() == '\n' || has_unicode_break(s)) {
    return false;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\r' || c == '\t' || (c < 0x20 && c != '\n')) return false;
    if (c == '\n' && i > 0 && s[i - 1] == ' ') return false;
  }
  // Keep at most one trailing newline ("|") or none ("|-").
  return !(s.size() >= 2 && s[s.size() - 1] == '\n' && s[s.size() - 2] == '\n');
}

void write_scalar(std::string& out, const Value& v, size_t indent) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      out += "null";
      return;
    case rapidjson::kFalseType:
      out += "false";
      return;
    case rapidjson::kTrueType:
      out += "true";
      return;
    case rapidjson::kNumberType:
      out += to_json(v);
      return;
    case rapidjson::kStringType: {
      std::string s(v.GetString(), v.GetStringLength());
      if (plain_safe(s)) {
        out += s;
      } else if (literal_safe(s)) {
        bool trailing = s.back() == '\n';
        out += trailing ? "|" : "|-";
        // libyaml wants a block scalar's lines indented by at least one space, even at the top level.
        std::string pad(std::max<size_t>(indent, 2), ' ');
        size_t start = 0;
        std::string body = trailing ? s.substr(0, s.size() - 1) : s;
        while (start <= body.size()) {
          size_t nl = body.find('\n', start);
          std::string line = body.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
          out += "\n";
          if (!line.empty()) out += pad + line;
          if (nl == std::string::npos) break;
          start = nl + 1;
        }
      } else {
        out += double_quoted(v);
      }
      return;
    }
    default:
      return;
  }
}

bool is_empty_collection(const Value& v) {
  return (v.IsObject() && v.MemberCount() == 0) || (v.IsArray() && v.Empty());
}

void write_key(std::string& out, const Value& name) {
  std::string key(name.GetString(), name.GetStringLength());
  out += plain_safe(key) ? key : double_quoted(name);
  out += ':';
}

// Writes `v` as the value of a mapping key or sequence item whose content starts at `indent`.
void write_node(std::string& out, const Value& v, size_t indent, bool inline_first);

void write_value_after_key(std::string& out, const Value& v, size_t indent) {
  if (is_empty_collection(v)) {
    out += v.IsObject() ? " {}\n" : " []\n";
  } else if (v.IsObject()) {
    out += '\n';
    write_node(out, v, indent + 2, false);
  } else if (v.IsArray()) {
    out += '\n';
    write_node(out, v, indent + 2, false);
  } else {
    out += ' ';
    write_scalar(out, v, indent + 2);
    out += '\n';
  }
}

void write_node(std::string& out, const Value& v, size_t indent, bool inline_first) {
  std::string pad(indent, ' ');
  bool first = true;
  auto lead = [&] {
    if (!(first && inline_first)) out += pad;
    first = false;
  };
  if (v.IsObject()) {
    for (const auto& m : v.GetObject()) {
      lead();
      write_key(out, m.name);
      write_value_after_key(out, m.value, indent);
    }
  } else if (v.IsArray()) {
    for (const auto& item : v.GetArray()) {
      lead();
      out += "- ";
      if (is_empty_collection(item)) {
        out += item.IsObject() ? "{}\n" : "[]\n";
      } else if (item.IsObject() || item.IsArray()) {
        write_node(out, item, indent + 2, true);
      } else {
        write_scalar(out, item, indent + 2);
        out += '\n';
      }
    }
  } else {
    lead();
    write_scalar(out, v, indent);
    out += '\n';
  }
}

// Whether `s` is well-formed UTF-8 (RFC 3629: shortest form, no surrogates, at most U+10FFFF), which is
// what libyaml requires of YAML: RapidJSON passes invalid bytes through, and turns a lone low-surrogate
// escape ("\udc00") into bytes no UTF-8 reader accepts, so what we wrote back would not read back.
bool valid_utf8(const char* s, size_t n) {
  const auto* p = reinterpret_cast<const unsigned char*>(s);
  for (size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (n - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

// RapidJSON's SAX events into a Document, counted: its iterative parser keeps no C++ stack per level, and
// this handler stops it at the depth and node limits before the document grows any further. It also
// refuses what the YAML reader refuses: a string that is not UTF-8 and a key repeated in one object
// (kubectl refuses both; a repeated key would otherwise decode as whichever came last).
class BoundedHandler {
 public:
  BoundedHandler(Document& doc, const ParseLimits& limits) : doc_(doc), limits_(limits) {}

  bool Null() { return value() && doc_.Null(); }
  bool Bool(bool b) { return value() && doc_.Bool(b); }
  bool Int(int i) { return value() && doc_.Int(i); }
  bool Uint(unsigned u) { return value() && doc_.Uint(u); }
  bool Int64(int64_t i) { return value() && doc_.Int64(i); }
  bool Uint64(uint64_t u) { return value() && doc_.Uint64(u); }
  bool Double(double d) { return value() && doc_.Double(d); }
  // Numbers arrive as their text (kParseNumbersAsStringsFlag) and are converted here: RapidJSON's own
  // conversion may miss a double by an ulp (so what its Writer wrote would read back different), and
  // its full-precision one has undefined behaviour on "0e80" (clz of 0). strtod rounds correctly.
  bool RawNumber(const char* s, rapidjson::SizeType n, bool /*copy*/) {
    if (!value()) return false;
    const char* end = s + n;
    if (std::find_if(s, end, [](char c) { return c == '.' || c == 'e' || c == 'E'; }) == end) {
      int64_t i = 0;
      if (auto r = std::from_chars(s, end, i); r.ec == std::errc() && r.ptr == end) return doc_.Int64(i);
      uint64_t u = 0;
      if (auto r = std::from_chars(s, end, u); r.ec == std::errc() && r.ptr == end) return doc_.Uint64(u);
    }
    const std::string text(s, n);
    const double d = std::strtod(text.c_str(), nullptr);
    if (std::isfinite(d)) return doc_.Double(d);
    refused_ = "the number " + text.substr(0, 40) + (n > 40 ? "..." : "") + " is beyond a double";
    return false;
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    return text(s, n) && value() && doc_.String(s, n, copy);
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    return text(s, n) && unique(s, n) && value() && doc_.Key(s, n, copy);
  }
  bool StartObject() {
    if (!open()) return false;
    if (objects_ == keys_.size()) keys_.emplace_back();
    keys_[objects_++].clear();
    return doc_.StartObject();
  }
  bool EndObject(rapidjson::SizeType members) {
    --objects_;
    return close() && doc_.EndObject(members);
  }
  bool StartArray() { return open() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) { return close() && doc_.EndArray(elements); }

  //! The limit that stopped the parse, if one did.
  std::optional<Limit> exceeded() const { return exceeded_; }
  //! What else stopped it (a string not UTF-8, a repeated key), or "".
  const std::string& refused() const { return refused_; }

 private:
  bool value() {
    if (++nodes_ <= limits_.max_nodes) return true;
    exceeded_ = Limit::Nodes;
    return false;
  }
  bool open() {
    if (!value()) return false;
    if (++depth_ <= limits_.max_depth) return true;
    exceeded_ = Limit::Depth;
    return false;
  }
  bool close() {
    --depth_;
    return true;
  }
  bool text(const char* s, size_t n) {
    if (valid_utf8(s, n)) return true;
    refused_ = "a string is not valid UTF-8";
    return false;
  }
  bool unique(const char* s, size_t n) {
    if (objects_ == 0 || keys_[objects_ - 1].emplace(s, n).second) return true;
    refused_ = "object key " + to_json(Value(rapidjson::StringRef(s, static_cast<rapidjson::SizeType>(n)))) +
               " already defined";
    return false;
  }

  Document& doc_;
  const ParseLimits& limits_;
  size_t nodes_ = 0;
  size_t depth_ = 0;
  std::optional<Limit> exceeded_;
  std::vector<std::unordered_set<std::string>> keys_;  //!< keys of each open object (reused per depth)
  size_t objects_ = 0;                                 //!< open objects
  std::string refused_;
};

// A `kind: List` stands for its items, as kubectl reads it. Every document counts against the limit,
// since each costs a RapidJSON pool of its own.
Result<void> append_documents(Document&& doc, std::string_view source, const ParseLimits& limits,
                              std::vector<Document>& out) {
  if (doc.IsObject() && get_string(doc, "kind") == "List") {
    if (const Value* items = find(doc, "items"); items != nullptr && items->IsArray()) {
      if (items->Size() > limits.max_documents - std::min(out.size(), limits.max_documents)) {
        return limit_error(Limit::Documents, limits, source);
      }
      for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
        if (!(*items)[i].IsObject()) {
          return make_error(ErrorCode::Invalid, std::string(source) + ": items[" + std::to_string(i) +
                                                    "] of a kind: List is not an object: fill it in or remove it");
        }
      }
      for (const auto& item : items->GetArray()) out.push_back(clone(item));
      return {};
    }
  }
  if (out.size() >= limits.max_documents) return limit_error(Limit::Documents, limits, source);
  out.push_back(std::move(doc));
  return {};
}

}  // namespace

Result<Document> parse_json(std::string_view text, std::string_view source, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes) return limit_error(Limit::Bytes, limits, source);
  Document doc;
  rapidjson::Reader reader;
  rapidjson::ParseResult result;
  std::optional<Limit> exceeded;
  std::string refused;
  auto generate = [&](Document& into) {
    rapidjson::MemoryStream bytes(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(bytes);
    BoundedHandler handler(into, limits);
    result = reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag>(in, handler);
    exceeded = handler.exceeded();
    refused = handler.refused();
    return !result.IsError();
  };
  doc.Populate(generate);
  if (exceeded) return limit_error(*exceeded, limits, source, "offset " + std::to_string(result.Offset()));
  if (!refused.empty()) {
    return make_error(ErrorCode::Invalid, std::string(source) + ": invalid JSON at offset " +
                                              std::to_string(result.Offset()) + ": " + refused);
  }
  if (result.IsError()) {
    return make_error(ErrorCode::Invalid, std::string(source) + ": invalid JSON at offset " +
                                              std::to_string(result.Offset()) + ": " +
                                              rapidjson::GetParseError_En(result.Code()));
  }
  return doc;
}

Result<std::vector<Document>> parse_documents(std::string_view text, std::string_view source,
                                              const ParseLimits& limits) {
  if (text.size() > limits.max_bytes) return limit_error(Limit::Bytes, limits, source);
  std::vector<Document> out;
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return out;
  std::vector<Document> docs;
  if (text[first] == '{' || text[first] == '[') {
    auto doc = parse_json(text, source, limits);
    if (!doc.ok()) return doc.error();
    docs.push_back(std::move(doc).value());
  } else {
    auto stream = yaml::read_stream(text, source, limits);
    if (!stream.ok()) return stream.error();
    docs = std::move(stream).value();
  }
  for (auto& doc : docs) {
    if (auto added = append_documents(std::move(doc), source, limits, out); !added.ok()) return added.error();
  }
  return out;
}

std::string to_json(const Value& value, bool pretty) {
  rapidjson::StringBuffer buf;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    w.SetIndent(' ', 2);
    value.Accept(w);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    value.Accept(w);
  }
  return {buf.GetString(), buf.GetSize()};
}

std::string to_yaml(const Value& value) {
  std::string out;
  if (is_empty_collection(value)) return value.IsObject() ? "{}\n" : "[]\n";
  write_node(out, value, 0, false);
  return out;
}

std::string to_yaml_stream(const std::vector<const Value*>& values) {
  std::string out;
  for (const Value* v : values) {
    out += "---\n";
    out += to_yaml(*v);
  }
  return out;
}

Document clone(const Value& value) {
  Document doc;
  doc.CopyFrom(value, doc.GetAllocator());
  return doc;
}

namespace {
//! A document and the pool it allocates from, sized up front; they live and die together.
struct CompactDocument {
  explicit CompactDocument(size_t bytes) : pool(std::max<size_t>(bytes, 1)), doc(&pool) {}
  Allocator pool;
  Document doc;
};
}  // namespace

std::shared_ptr<const Document> compact_copy(const Value& value) {
  // A copy allocates the same sizes in the same order each time: measure one, then make the kept one in
  // a single chunk of that size.
  Allocator measure;
  const Value measured(value, measure);
  auto holder = std::make_shared<CompactDocument>(measure.Size());
  holder->doc.CopyFrom(value, holder->pool);
  return {holder, &holder->doc};
}

const Value* find(const Value& v, std::string_view key) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(Value(rapidjson::StringRef(key.data(), key.size())));
  return it == v.MemberEnd() ? nullptr : &it->value;
}

std::string get_string(const Value& v, std::string_view key) {
  const Value* m = find(v, key);
  return (m != nullptr && m->IsString()) ? std::string(m->GetString(), m->GetStringLength()) : std::string();
}

void set(Value& obj, std::string_view key, Value value, Allocator& a) {
  auto it = obj.FindMember(Value(rapidjson::StringRef(key.data(), key.size())));
  if (it != obj.MemberEnd()) {
    it->value = std::move(value);
  } else {
    obj.AddMember(str(key, a), std::move(value), a);
  }
}

const Value* status_condition(const Value& object, std::string_view type) {
  const Value* conditions = at_path(object, "status.conditions");
  if (conditions == nullptr || !conditions->IsArray()) return nullptr;
  for (const auto& c : conditions->GetArray()) {
    if (get_string(c, "type") == type) return &c;
  }
  return nullptr;
}

const Value* at_path(const Value& v, std::string_view dotted) {
  const Value* cur = &v;
  while (cur != nullptr && !dotted.empty()) {
    auto dot = dotted.find('.');
    cur = find(*cur, dotted.substr(0, dot));
    dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
  }
  return cur;
}

std::string string_at(const Value& v, std::string_view dotted) {
  const Value* found = at_path(v, dotted);
  return found != nullptr && found->IsString() ? found->GetString() : std::string();
}

int64_t int_at(const Value& v, std::string_view dotted) {
  const Value* found = at_path(v, dotted);
  return found != nullptr && found->IsInt64() ? found->GetInt64() : 0;
}

std::string annotation(const Value& object, std::string_view key) {
  const Value* annotations = at_path(object, "metadata.annotations");
  return annotations != nullptr && annotations->IsObject() ? get_string(*annotations, key) : std::string();
}

std::string label(const Value& object, std::string_view key) {
  const Value* labels = at_path(object, "metadata.labels");
  return labels != nullptr && labels->IsObject() ? get_string(*labels, key) : std::string();
}

}  // namespace mg::json
