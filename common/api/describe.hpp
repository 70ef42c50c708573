// common/api/describe.hpp
//! The type descriptions: each API struct lists its fields once (name, member, options), and that one
//! list drives JSON/YAML decoding (unknown fields are errors that name the path), encoding (in field
//! order, empty optionals omitted), field-by-field merging for templates and overrides (atomic blocks
//! replace whole), and the OpenAPI v3 schema of the generated CRDs.
//!
//! To describe a struct S, specialise `Describe<S>` with `static void fields(Fields<S>& f)`.
//! To describe an enum E, specialise `EnumValues<E>` with `static constexpr std::array kValues`.
//! Pure: no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/api/field_error.hpp"
#include "common/util/json.hpp"

namespace mg::api {

// ---------------------------------------------------------------------------------------------
// Decoding context and paths

struct DecodeContext {
  bool strict = true;  //!< unknown fields are errors (user input); false for objects read from a server
  FieldErrors errors;
  std::string path;

  void error(std::string message) { errors.push_back({path, std::move(message)}); }
};

//! Appends one step to ctx.path for the lifetime of the scope.
class PathScope {
 public:
  PathScope(DecodeContext& ctx, std::string_view field) : ctx_(ctx), saved_(ctx.path.size()) {
    if (!ctx.path.empty()) ctx.path += '.';
    ctx.path += field;
  }
  PathScope(DecodeContext& ctx, size_t index) : ctx_(ctx), saved_(ctx.path.size()) {
    ctx.path += "[" + std::to_string(index) + "]";
  }
  static PathScope key(DecodeContext& ctx, std::string_view key) { return PathScope(ctx, key, 0); }
  ~PathScope() { ctx_.path.resize(saved_); }
  PathScope(const PathScope&) = delete;
  PathScope& operator=(const PathScope&) = delete;

 private:
  PathScope(DecodeContext& ctx, std::string_view key, int /*tag*/) : ctx_(ctx), saved_(ctx.path.size()) {
    ctx.path += "[" + std::string(key) + "]";
  }
  DecodeContext& ctx_;
  size_t saved_;
};

// ---------------------------------------------------------------------------------------------
// Field options (what the CRD schema says about a field, plus merge behaviour)

//! A CEL rule for `x-kubernetes-validations`.
struct Rule {
  std::string rule;
  std::string message;
  std::string field_path;  //!< optional JSONPath the API server reports the error at
  std::string reason;      //!< optional: FieldValueInvalid, FieldValueForbidden, ...
};

struct FieldOptions {
  std::string doc;
  bool required = false;
  std::optional<int64_t> minimum, maximum, min_length, max_length, min_items, max_items, max_properties;
  std::string pattern;
  std::string default_json;        //!< a JSON literal for `default`
  bool atomic = false;             //!< replaced whole by merges and by server-side apply
  std::vector<std::string> map_keys;  //!< `x-kubernetes-list-type: map` keys
  bool set_list = false;           //!< `x-kubernetes-list-type: set`
  bool opaque = false;             //!< schema is only `type: object` (metadata)
  bool lenient = false;            //!< unknown fields under this one are ignored (metadata)
  std::vector<Rule> rules;

  FieldOptions& describe(std::string d) { doc = std::move(d); return *this; }
  FieldOptions& require() { required = true; return *this; }
  FieldOptions& min(int64_t v) { minimum = v; return *this; }
  FieldOptions& max(int64_t v) { maximum = v; return *this; }
  FieldOptions& min_len(int64_t v) { min_length = v; return *this; }
  FieldOptions& max_len(int64_t v) { max_length = v; return *this; }
  FieldOptions& items(int64_t lo, int64_t hi) { min_items = lo; max_items = hi; return *this; }
  FieldOptions& max_props(int64_t v) { max_properties = v; return *this; }
  FieldOptions& match(std::string p) { pattern = std::move(p); return *this; }
  FieldOptions& defaults(std::string json_literal) { default_json = std::move(json_literal); return *this; }
  FieldOptions& atomic_block() { atomic = true; return *this; }
  FieldOptions& keyed_by(std::vector<std::string> keys) { map_keys = std::move(keys); return *this; }
  FieldOptions& as_set() { set_list = true; return *this; }
  FieldOptions& opaque_schema() { opaque = true; return *this; }
  FieldOptions& ignore_unknown() { lenient = true; return *this; }
  FieldOptions& validate(std::string rule, std::string message, std::string reason = {}) {
    rules.push_back({std::move(rule), std::move(message), {}, std::move(reason)});
    return *this;
  }
  //! `self == oldSelf`: the API server refuses changes after creation.
  FieldOptions& immutable(std::string message) { return validate("self == oldSelf", std::move(message)); }
};

// ---------------------------------------------------------------------------------------------
// Descriptions

template <class T>
struct Describe {};  // specialise with: static void fields(Fields<T>&)

//! Declares Describe<T> with its field list defined in a .cpp (keeps headers small).
#define MG_DESCRIBE(T)                \
  template <>                         \
  struct Describe<T> {                \
    static void fields(Fields<T>& f); \
  }

template <class E>
struct EnumValues {};  // specialise with: static constexpr std::array<std::pair<E, std::string_view>, N> kValues

template <class T, class = void>
struct IsDescribed : std::false_type {};
template <class T>
struct IsDescribed<T, std::void_t<decltype(&Describe<T>::fields)>> : std::true_type {};

template <class E, class = void>
struct IsDescribedEnum : std::false_type {};
template <class E>
struct IsDescribedEnum<E, std::void_t<decltype(EnumValues<E>::kValues)>> : std::true_type {};

template <class V, class Enable = void>
struct Codec;  // one specialisation per kind of field type, below

template <class T>
class FieldBase {
 public:
  FieldBase(std::string name) : name_(std::move(name)) {}
  virtual ~FieldBase() = default;
  const std::string& name() const { return name_; }
  FieldOptions& options() { return options_; }
  const FieldOptions& options() const { return options_; }

  virtual void decode(const json::Value& in, T& obj, DecodeContext& ctx) const = 0;
  virtual void encode(const T& obj, json::Value& out, json::Allocator& a) const = 0;
  virtual json::Value schema(json::Allocator& a) const = 0;
  virtual void merge(T& base, const T& overlay) const = 0;
  virtual bool is_set(const T& obj) const = 0;

 private:
  std::string name_;
  FieldOptions options_;
};

//! Applies field options to a property schema. Defined in describe.cpp.
void apply_options(json::Value& schema, const FieldOptions& options, json::Allocator& a);

//! The longest string matched against a field's pattern (std::regex recurses per character); a longer
//! one is refused with that limit. Fields with a pattern also have a maxLength, normally far below.
inline constexpr size_t kMaxPatternInput = 1024;

// Schema bounds checked while decoding, so offline validation reports what the API server would.
void check_bounds(int64_t value, const FieldOptions& o, DecodeContext& ctx);
void check_bounds(const std::string& value, const FieldOptions& o, DecodeContext& ctx);
void check_count(size_t count, const FieldOptions& o, DecodeContext& ctx);

template <class V>
void check_constraints(const V& v, const FieldOptions& o, DecodeContext& ctx) {
  if constexpr (std::is_same_v<V, int32_t> || std::is_same_v<V, int64_t>) {
    check_bounds(static_cast<int64_t>(v), o, ctx);
  } else if constexpr (std::is_same_v<V, std::string>) {
    check_bounds(v, o, ctx);
  } else if constexpr (requires { v.has_value(); *v; }) {
    if (v) check_constraints(*v, o, ctx);
  } else if constexpr (requires { v.size(); v.begin(); }) {
    check_count(v.size(), o, ctx);
  }
}

template <class T, class V>
class FieldImpl final : public FieldBase<T> {
 public:
  FieldImpl(std::string name, V T::*member)
      : FieldBase<T>(std::move(name)), member_(member), default_is_empty_(Codec<V>::empty(T{}.*member)) {}

  void decode(const json::Value& in, T& obj, DecodeContext& ctx) const override {
    PathScope scope(ctx, this->name());
    if (in.IsNull()) return;  // null means absent, as in Kubernetes
    bool strict = ctx.strict;
    if (this->options().lenient) ctx.strict = false;
    size_t errors_before = ctx.errors.size();
    Codec<V>::decode(in, obj.*member_, ctx);
    ctx.strict = strict;
    if (ctx.errors.size() == errors_before) check_constraints(obj.*member_, this->options(), ctx);
  }
  void encode(const T& obj, json::Value& out, json::Allocator& a) const override {
    const V& v = obj.*member_;
    // An empty value is left out only where leaving it out decodes back to it: a field whose default is
    // not empty (kind) is written even when emptied, so that encode(decode(x)) is stable.
    if (Codec<V>::empty(v) && default_is_empty_ && !this->options().required) return;
    json::Value encoded;
    Codec<V>::encode(v, encoded, a);
    out.AddMember(json::str(this->name(), a), std::move(encoded), a);
  }
  json::Value schema(json::Allocator& a) const override {
    json::Value s(rapidjson::kObjectType);
    if (this->options().opaque) {
      s.AddMember("type", "object", a);
    } else {
      s = Codec<V>::schema(a);
    }
    apply_options(s, this->options(), a);
    return s;
  }
  void merge(T& base, const T& overlay) const override {
    Codec<V>::merge(base.*member_, overlay.*member_, this->options().atomic);
  }
  bool is_set(const T& obj) const override { return !Codec<V>::empty(obj.*member_); }

 private:
  V T::*member_;
  bool default_is_empty_;
};

//! The field list of one described struct, in declaration (and output) order.
template <class T>
class Fields {
 public:
  template <class V>
  FieldOptions& operator()(std::string name, V T::*member) {
    fields_.push_back(std::make_unique<FieldImpl<T, V>>(std::move(name), member));
    return fields_.back()->options();
  }
  //! A field of a base of T: a block shared by several kinds (PodOptions) is written flat into each.
  template <class V, class Base>
  requires(std::is_base_of_v<Base, T> && !std::is_same_v<Base, T>) FieldOptions& operator()(std::string name,
                                                                                            V Base::*member) {
    return (*this)(std::move(name), static_cast<V T::*>(member));
  }
  //! A CEL rule on the whole struct (cross-field rules: "exactly one of zone or region").
  Fields& rule(std::string rule, std::string message, std::string field_path = {}) {
    rules_.push_back({std::move(rule), std::move(message), std::move(field_path), {}});
    return *this;
  }
  Fields& doc(std::string d) {
    doc_ = std::move(d);
    return *this;
  }
  const std::vector<std::unique_ptr<FieldBase<T>>>& list() const { return fields_; }
  const std::vector<Rule>& rules() const { return rules_; }
  const std::string& doc() const { return doc_; }
  const FieldBase<T>* find(std::string_view name) const {
    for (const auto& f : fields_) {
      if (f->name() == name) return f.get();
    }
    return nullptr;
  }

 private:
  std::vector<std::unique_ptr<FieldBase<T>>> fields_;
  std::vector<Rule> rules_;
  std::string doc_;
};

//! The (built once) field list of T.
template <class T>
const Fields<T>& fields_of() {
  static const Fields<T> fields = [] {
    Fields<T> f;
    Describe<T>::fields(f);
    return f;
  }();
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Codecs for scalar types (defined in describe.cpp)

template <>
struct Codec<std::string> {
  static void decode(const json::Value& in, std::string& out, DecodeContext& ctx);
  static void encode(const std::string& v, json::Value& out, json::Allocator& a) { out = json::str(v, a); }
  static json::Value schema(json::Allocator& a);
  static bool empty(const std::string& v) { return v.empty(); }
  static void merge(std::string& base, const std::string& overlay, bool) {
    if (!overlay.empty()) base = overlay;
  }
};

template <>
struct Codec<bool> {
  static void decode(const json::Value& in, bool& out, DecodeContext& ctx);
  static void encode(bool v, json::Value& out, json::Allocator&) { out.SetBool(v); }
  static json::Value schema(json::Allocator& a);
  static bool empty(bool) { return false; }
  static void merge(bool& base, bool overlay, bool) { base = overlay; }
};

bool decode_integer(const json::Value& in, int64_t& out, DecodeContext& ctx, bool is32);
json::Value integer_schema(bool is32, json::Allocator& a);

template <class I>
struct Codec<I, std::enable_if_t<std::is_same_v<I, int32_t> || std::is_same_v<I, int64_t>>> {
  static void decode(const json::Value& in, I& out, DecodeContext& ctx) {
    int64_t v = 0;
    if (decode_integer(in, v, ctx, std::is_same_v<I, int32_t>)) out = static_cast<I>(v);
  }
  static void encode(I v, json::Value& out, json::Allocator&) { out.SetInt64(v); }
  static json::Value schema(json::Allocator& a) { return integer_schema(std::is_same_v<I, int32_t>, a); }
  static bool empty(I) { return false; }
  static void merge(I& base, I overlay, bool) { base = overlay; }
};

// ---------------------------------------------------------------------------------------------
// Codecs for containers

template <class V>
struct Codec<std::optional<V>> {
  static void decode(const json::Value& in, std::optional<V>& out, DecodeContext& ctx) {
    out.emplace();
    Codec<V>::decode(in, *out, ctx);
  }
  static void encode(const std::optional<V>& v, json::Value& out, json::Allocator& a) { Codec<V>::encode(*v, out, a); }
  static json::Value schema(json::Allocator& a) { return Codec<V>::schema(a); }
  static bool empty(const std::optional<V>& v) { return !v.has_value(); }
  static void merge(std::optional<V>& base, const std::optional<V>& overlay, bool atomic) {
    if (!overlay) return;
    if (base && !atomic && IsDescribed<V>::value) {
      Codec<V>::merge(*base, *overlay, false);
    } else {
      base = overlay;
    }
  }
};

template <class V>
struct Codec<std::vector<V>> {
  static void decode(const json::Value& in, std::vector<V>& out, DecodeContext& ctx) {
    if (!in.IsArray()) {
      ctx.error("must be a list");
      return;
    }
    out.clear();
    out.reserve(in.Size());
    for (rapidjson::SizeType i = 0; i < in.Size(); ++i) {
      PathScope scope(ctx, static_cast<size_t>(i));
      out.emplace_back();
      if (in[i].IsNull()) {
        // An empty `-` item: taken as a default item, its required fields would go unchecked (and
        // encode to an invalid object). The API server refuses it too ("must be of type object").
        ctx.error("must not be null: fill in the list item or remove it");
        continue;
      }
      Codec<V>::decode(in[i], out.back(), ctx);
    }
  }
  static void encode(const std::vector<V>& v, json::Value& out, json::Allocator& a) {
    out.SetArray();
    for (const auto& item : v) {
      json::Value e;
      Codec<V>::encode(item, e, a);
      out.PushBack(std::move(e), a);
    }
  }
  static json::Value schema(json::Allocator& a) {
    json::Value s(rapidjson::kObjectType);
    s.AddMember("type", "array", a);
    s.AddMember("items", Codec<V>::schema(a), a);
    return s;
  }
  static bool empty(const std::vector<V>& v) { return v.empty(); }
  static void merge(std::vector<V>& base, const std::vector<V>& overlay, bool) {
    if (!overlay.empty()) base = overlay;  // lists replace whole
  }
};

template <class V>
struct Codec<std::map<std::string, V>> {
  static void decode(const json::Value& in, std::map<std::string, V>& out, DecodeContext& ctx) {
    if (!in.IsObject()) {
      ctx.error("must be a map");
      return;
    }
    out.clear();
    for (const auto& m : in.GetObject()) {
      std::string key(m.name.GetString(), m.name.GetStringLength());
      auto scope = PathScope::key(ctx, key);
      if (!m.value.IsNull()) Codec<V>::decode(m.value, out[key], ctx);
    }
  }
  static void encode(const std::map<std::string, V>& v, json::Value& out, json::Allocator& a) {
    out.SetObject();
    for (const auto& [key, item] : v) {
      json::Value e;
      Codec<V>::encode(item, e, a);
      out.AddMember(json::str(key, a), std::move(e), a);
    }
  }
  static json::Value schema(json::Allocator& a) {
    json::Value s(rapidjson::kObjectType);
    s.AddMember("type", "object", a);
    s.AddMember("additionalProperties", Codec<V>::schema(a), a);
    return s;
  }
  static bool empty(const std::map<std::string, V>& v) { return v.empty(); }
  //! Merges per key; an overlay key the base lacks is added (an override can add a pool).
  static void merge(std::map<std::string, V>& base, const std::map<std::string, V>& overlay, bool atomic) {
    if (atomic) {
      if (!overlay.empty()) base = overlay;
      return;
    }
    for (const auto& [key, item] : overlay) {
      auto it = base.find(key);
      if (it == base.end()) {
        base.emplace(key, item);
      } else {
        Codec<V>::merge(it->second, item, false);
      }
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Codecs for described enums and structs

std::string enum_choices(const std::vector<std::string_view>& names);

template <class E>
struct Codec<E, std::enable_if_t<IsDescribedEnum<E>::value>> {
  static void decode(const json::Value& in, E& out, DecodeContext& ctx) {
    if (in.IsString()) {
      std::string_view s(in.GetString(), in.GetStringLength());
      for (const auto& [value, name] : EnumValues<E>::kValues) {
        if (name == s) {
          out = value;
          return;
        }
      }
    }
    ctx.error("unsupported value " + json::to_json(in) + ": must be one of " + enum_choices(names()));
  }
  static void encode(E v, json::Value& out, json::Allocator& a) { out = json::str(name(v), a); }
  static json::Value schema(json::Allocator& a) {
    json::Value s(rapidjson::kObjectType);
    s.AddMember("type", "string", a);
    json::Value values(rapidjson::kArrayType);
    for (const auto& n : names()) values.PushBack(json::str(n, a), a);
    s.AddMember("enum", std::move(values), a);
    return s;
  }
  static bool empty(E) { return false; }
  static void merge(E& base, E overlay, bool) { base = overlay; }

  static std::string_view name(E v) {
    for (const auto& [value, n] : EnumValues<E>::kValues) {
      if (value == v) return n;
    }
    return {};
  }
  static std::vector<std::string_view> names() {
    std::vector<std::string_view> out;
    for (const auto& entry : EnumValues<E>::kValues) out.push_back(entry.second);
    return out;
  }
};

//! Decodes the members of an object into T; unknown members are errors in strict mode.
template <class T>
void decode_struct(const json::Value& in, T& out, DecodeContext& ctx);

std::string known_fields_hint(const std::vector<std::string_view>& names);

template <class T>
struct Codec<T, std::enable_if_t<IsDescribed<T>::value>> {
  static void decode(const json::Value& in, T& out, DecodeContext& ctx) { decode_struct(in, out, ctx); }
  static void encode(const T& v, json::Value& out, json::Allocator& a) {
    out.SetObject();
    for (const auto& f : fields_of<T>().list()) f->encode(v, out, a);
  }
  static json::Value schema(json::Allocator& a) {
    const auto& fields = fields_of<T>();
    json::Value s(rapidjson::kObjectType);
    if (!fields.doc().empty()) s.AddMember("description", json::str(fields.doc(), a), a);
    s.AddMember("type", "object", a);
    json::Value props(rapidjson::kObjectType);
    json::Value required(rapidjson::kArrayType);
    for (const auto& f : fields.list()) {
      props.AddMember(json::str(f->name(), a), f->schema(a), a);
      if (f->options().required) required.PushBack(json::str(f->name(), a), a);
    }
    if (props.MemberCount() > 0) s.AddMember("properties", std::move(props), a);
    if (!required.Empty()) s.AddMember("required", std::move(required), a);
    if (!fields.rules().empty()) {
      FieldOptions rules_only;
      rules_only.rules = fields.rules();
      apply_options(s, rules_only, a);
    }
    return s;
  }
  static bool empty(const T& v) {
    for (const auto& f : fields_of<T>().list()) {
      if (f->is_set(v)) return false;
    }
    return true;
  }
  static void merge(T& base, const T& overlay, bool atomic) {
    if (atomic) {
      base = overlay;
      return;
    }
    for (const auto& f : fields_of<T>().list()) f->merge(base, overlay);
  }
};

template <class T>
void decode_struct(const json::Value& in, T& out, DecodeContext& ctx) {
  if (!in.IsObject()) {
    ctx.error("must be an object, not " + json::to_json(in));
    return;
  }
  const auto& fields = fields_of<T>();
  for (const auto& m : in.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    if (const auto* f = fields.find(key); f != nullptr) {
      f->decode(m.value, out, ctx);
    } else if (ctx.strict) {
      PathScope scope(ctx, key);
      std::vector<std::string_view> names;
      for (const auto& field : fields.list()) names.push_back(field->name());
      ctx.error("unknown field; " + known_fields_hint(names));
    }
  }
  for (const auto& f : fields.list()) {
    if (f->options().required && (!in.HasMember(f->name().c_str()) || in[f->name().c_str()].IsNull())) {
      PathScope scope(ctx, f->name());
      ctx.error("Required value: set it");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Entry points

//! Decodes `in` into a T, collecting every error with its path.
template <class T>
T decode(const json::Value& in, DecodeContext& ctx) {
  T out{};
  Codec<T>::decode(in, out, ctx);
  return out;
}

//! Encodes `v` as a new JSON document.
template <class T>
json::Document encode(const T& v) {
  json::Document doc;
  json::Value out;
  Codec<T>::encode(v, out, doc.GetAllocator());
  static_cast<json::Value&>(doc).Swap(out);
  return doc;
}

//! Field-by-field merge of `overlay` onto `base` (atomic blocks replace whole; maps merge per key).
template <class T>
void merge(T& base, const T& overlay) {
  Codec<T>::merge(base, overlay, false);
}

}  // namespace mg::api
