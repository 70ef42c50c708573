// common/kube/compare.cpp
#include "common/kube/compare.hpp"

#include <rapidjson/writer.h>

#include <cstdint>
#include <cstdio>

#include "common/api/value_types.hpp"

namespace mg::kube {
namespace {

bool is_empty_collection(const json::Value& v) {
  return (v.IsObject() && v.MemberCount() == 0) || (v.IsArray() && v.Empty());
}

bool same_number(const json::Value& a, const json::Value& b) {
  if (a.IsInt64() && b.IsInt64()) return a.GetInt64() == b.GetInt64();
  return a.GetDouble() == b.GetDouble();
}

bool same_string(const json::Value& actual, const json::Value& desired) {
  std::string_view a(actual.GetString(), actual.GetStringLength());
  std::string_view d(desired.GetString(), desired.GetStringLength());
  return a == d || api::same_quantity(std::string(a), std::string(d));
}

}  // namespace

bool covers(const json::Value& actual, const json::Value& desired) {
  if (desired.IsObject()) {
    if (!actual.IsObject()) return false;
    for (const auto& member : desired.GetObject()) {
      auto it = actual.FindMember(member.name);
      if (it == actual.MemberEnd()) {
        if (is_empty_collection(member.value) || member.value.IsNull()) continue;
        return false;
      }
      if (!covers(it->value, member.value)) return false;
    }
    return true;
  }
  if (desired.IsArray()) {
    if (!actual.IsArray() || actual.Size() != desired.Size()) return false;
    for (rapidjson::SizeType i = 0; i < desired.Size(); ++i) {
      if (!covers(actual[i], desired[i])) return false;
    }
    return true;
  }
  if (desired.IsNumber()) return actual.IsNumber() && same_number(actual, desired);
  if (desired.IsString()) {
    if (actual.IsString()) return same_string(actual, desired);
    // A quantity we write as "2" may come back as the number 2 through some clients.
    if (actual.IsNumber()) return api::same_quantity(json::to_json(actual), desired.GetString());
    return false;
  }
  if (desired.IsBool()) return actual.IsBool() && actual.GetBool() == desired.GetBool();
  return actual.IsNull();
}

namespace {
//! A rapidjson output stream that hashes the bytes written to it (FNV-1a 64: stable across runs and
//! machines, which std::hash is not), so the compact JSON is hashed without being kept.
struct Fnv1aStream {
  using Ch = char;
  uint64_t h = 14695981039346656037ull;
  void Put(char c) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  void Flush() {}
};
}  // namespace

std::string content_hash(const json::Value& value) {
  // The bytes of json::to_json(value), as the Writer produces them for any stream.
  Fnv1aStream stream;
  rapidjson::Writer<Fnv1aStream> writer(stream);
  value.Accept(writer);
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(stream.h));
  return out;
}

}  // namespace mg::kube
