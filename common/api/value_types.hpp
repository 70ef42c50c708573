// common/api/value_types.hpp
//! Kubernetes value types that are not plain structs: Quantity ("500m", "10Gi"), IntOrString and
//! RawJson (a subtree kept as is, e.g. `affinity`, whose schema is Kubernetes' own).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/api/describe.hpp"

namespace mg::api {

//! A resource quantity, kept as the user wrote it (numbers become strings: 1 -> "1").
struct Quantity {
  std::string value;

  Quantity() = default;
  Quantity(std::string v) : value(std::move(v)) {}  // NOLINT: "10Gi" reads naturally
  Quantity(const char* v) : value(v) {}             // NOLINT
  bool operator==(const Quantity&) const = default;
};

//! Whether `text` matches kQuantityPattern (checked without std::regex: any length is safe).
bool is_quantity(std::string_view text);

//! The numeric value of a quantity ("1Gi" -> 1073741824, "500m" -> 0.5), or nullopt when malformed or
//! beyond what a long double holds ("1e5000", "1e-5000").
std::optional<long double> parse_quantity(const std::string& text);

//! True when both parse and denote the same amount ("1" == "1000m").
bool same_quantity(const std::string& a, const std::string& b);

//! The Kubernetes quantity pattern, used in schemas and by the decoder.
extern const char* const kQuantityPattern;

template <>
struct Codec<Quantity> {
  static void decode(const json::Value& in, Quantity& out, DecodeContext& ctx);
  static void encode(const Quantity& v, json::Value& out, json::Allocator& a) { out = json::str(v.value, a); }
  static json::Value schema(json::Allocator& a);
  static bool empty(const Quantity& v) { return v.value.empty(); }
  static void merge(Quantity& base, const Quantity& overlay, bool) {
    if (!overlay.value.empty()) base = overlay;
  }
};

//! An int or a string (Service targetPort, PDB maxUnavailable).
struct IntOrString {
  std::optional<int32_t> number;
  std::string text;

  static IntOrString of(int32_t n) { return IntOrString{n, {}}; }
  static IntOrString of(std::string s) { return IntOrString{std::nullopt, std::move(s)}; }
  bool operator==(const IntOrString&) const = default;
};

template <>
struct Codec<IntOrString> {
  static void decode(const json::Value& in, IntOrString& out, DecodeContext& ctx);
  static void encode(const IntOrString& v, json::Value& out, json::Allocator& a);
  static json::Value schema(json::Allocator& a);
  static bool empty(const IntOrString& v) { return !v.number && v.text.empty(); }
  static void merge(IntOrString& base, const IntOrString& overlay, bool) {
    if (!empty(overlay)) base = overlay;
  }
};

//! A JSON subtree kept verbatim (compact JSON text), with `x-kubernetes-preserve-unknown-fields`.
struct RawJson {
  std::string json;  //!< compact JSON; empty means absent
  bool operator==(const RawJson&) const = default;
};

template <>
struct Codec<RawJson> {
  static void decode(const json::Value& in, RawJson& out, DecodeContext& ctx);
  static void encode(const RawJson& v, json::Value& out, json::Allocator& a);
  static json::Value schema(json::Allocator& a);
  static bool empty(const RawJson& v) { return v.json.empty(); }
  static void merge(RawJson& base, const RawJson& overlay, bool) {
    if (!overlay.json.empty()) base = overlay;
  }
};

}  // namespace mg::api
