// common/util/json.cpp
#include "common/util/json.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdlib>
#include <regex>

namespace mg::json {
namespace {

// YAML 1.2 core schema (plus the 1.1 booleans kubectl still accepts, so `on`/`yes` stay strings
// only when quoted) for plain scalars.
bool is_null_word(const std::string& s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }
bool is_true_word(const std::string& s) { return s == "true" || s == "True" || s == "TRUE"; }
bool is_false_word(const std::string& s) { return s == "false" || s == "False" || s == "FALSE"; }

bool parse_int(const std::string& s, int64_t& out) {
  static const std::regex kInt("[-+]?[0-9]+");
  if (!std::regex_match(s, kInt)) return false;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  out = v;
  return true;
}

bool parse_float(const std::string& s, double& out) {
  static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  if (!std::regex_match(s, kFloat)) return false;
  out = std::strtod(s.c_str(), nullptr);
  return std::isfinite(out);
}

// Would this string, written plain, read back as something other than the same string?
bool needs_quotes(const std::string& s) {
  int64_t i = 0;
  double d = 0;
  if (is_null_word(s) || is_true_word(s) || is_false_word(s) || parse_int(s, i) || parse_float(s, d)) return true;
  static const std::regex kYaml11Words("y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF");
  return std::regex_match(s, kYaml11Words);
}

Value from_yaml(const YAML::Node& node, Allocator& a) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return Value(rapidjson::kNullType);
    case YAML::NodeType::Sequence: {
      Value arr(rapidjson::kArrayType);
      for (const auto& item : node) arr.PushBack(from_yaml(item, a), a);
      return arr;
    }
    case YAML::NodeType::Map: {
      Value obj(rapidjson::kObjectType);
      for (const auto& kv : node) {
        auto key = kv.first.Scalar();
        set(obj, key, from_yaml(kv.second, a), a);
      }
      return obj;
    }
    case YAML::NodeType::Scalar:
      break;
  }
  const std::string& s = node.Scalar();
  if (node.Tag() != "?") return str(s, a);  // quoted or explicitly tagged: a string
  if (is_null_word(s)) return Value(rapidjson::kNullType);
  if (is_true_word(s)) return Value(true);
  if (is_false_word(s)) return Value(false);
  int64_t i = 0;
  if (parse_int(s, i)) return Value(i);
  double d = 0;
  if (parse_float(s, d)) return Value(d);
  return str(s, a);
}

void emit(YAML::Emitter& out, const Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      out << YAML::Null;
      return;
    case rapidjson::kFalseType:
      out << false;
      return;
    case rapidjson::kTrueType:
      out << true;
      return;
    case rapidjson::kNumberType:
      if (v.IsInt64()) {
        out << v.GetInt64();
      } else if (v.IsUint64()) {
        out << v.GetUint64();
      } else {
        out << v.GetDouble();
      }
      return;
    case rapidjson::kStringType: {
      std::string s(v.GetString(), v.GetStringLength());
      if (s.find('\n') != std::string::npos) {
        out << YAML::Literal << s;
      } else if (needs_quotes(s)) {
        out << YAML::DoubleQuoted << s;
      } else {
        out << s;
      }
      return;
    }
    case rapidjson::kArrayType:
      if (v.Empty()) {
        out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        return;
      }
      out << YAML::BeginSeq;
      for (const auto& item : v.GetArray()) emit(out, item);
      out << YAML::EndSeq;
      return;
    case rapidjson::kObjectType:
      if (v.MemberCount() == 0) {
        out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        return;
      }
      out << YAML::BeginMap;
      for (const auto& m : v.GetObject()) {
        std::string key(m.name.GetString(), m.name.GetStringLength());
        out << YAML::Key;
        if (needs_quotes(key)) {
          out << YAML::DoubleQuoted << key;
        } else {
          out << key;
        }
        out << YAML::Value;
        emit(out, m.value);
      }
      out << YAML::EndMap;
      return;
  }
}

void append_documents(Document&& doc, std::vector<Document>& out) {
  if (doc.IsObject() && get_string(doc, "kind") == "List") {
    if (const Value* items = find(doc, "items"); items != nullptr && items->IsArray()) {
      for (const auto& item : items->GetArray()) out.push_back(clone(item));
      return;
    }
  }
  out.push_back(std::move(doc));
}

}  // namespace

Result<Document> parse_json(std::string_view text, std::string_view source) {
  Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    return make_error(ErrorCode::Invalid, std::string(source) + ": invalid JSON at offset " +
                                              std::to_string(doc.GetErrorOffset()) + ": " +
                                              rapidjson::GetParseError_En(doc.GetParseError()));
  }
  return doc;
}

Result<std::vector<Document>> parse_documents(std::string_view text, std::string_view source) {
  std::vector<Document> out;
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return out;
  if (text[first] == '{' || text[first] == '[') {
    auto doc = parse_json(text, source);
    if (!doc.ok()) return doc.error();
    append_documents(std::move(doc).value(), out);
    return out;
  }
  std::vector<YAML::Node> nodes;
  try {
    nodes = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    return make_error(ErrorCode::Invalid, std::string(source) + ": invalid YAML at line " +
                                              std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  for (const auto& node : nodes) {
    if (node.IsNull()) continue;
    Document doc;
    Value v = from_yaml(node, doc.GetAllocator());
    static_cast<Value&>(doc).Swap(v);
    append_documents(std::move(doc), out);
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
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, value);
  std::string s = out.c_str();
  if (s.empty() || s.back() != '\n') s += '\n';
  return s;
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

const Value* at_path(const Value& v, std::string_view dotted) {
  const Value* cur = &v;
  while (cur != nullptr && !dotted.empty()) {
    auto dot = dotted.find('.');
    cur = find(*cur, dotted.substr(0, dot));
    dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
  }
  return cur;
}

}  // namespace mg::json
