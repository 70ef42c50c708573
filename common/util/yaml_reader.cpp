// common/util/yaml_reader.cpp
#include "common/util/yaml_reader.hpp"

#include <yaml.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <unordered_map>

#include "common/util/yaml_scalar.hpp"

namespace mg::json::yaml {
namespace {

// One event inside an anchored node, kept so that an alias can replay it.
struct Recorded {
  yaml_event_type_t type;  // scalar, sequence or mapping start, sequence or mapping end
  bool plain = false;      // scalar: plain and untagged, so resolved by the core schema
  std::string text;        // scalar
};

// A collection being read. Its values go straight into the Document's SAX interface, which allocates
// each collection at its final size when it ends.
struct Frame {
  bool mapping = false;
  rapidjson::SizeType count = 0;                 // elements, or members
  bool key_next = true;                          // mapping: the next scalar is a key
  std::string anchor;                            // registered when the collection ends
  size_t first_event = 0;                        // its start in the recording
  size_t first_node = 0;                         // the node count before it
  std::unordered_map<std::string, size_t> keys;  // mapping: key -> line where it was defined
};

// An anchored node: its events in the recording, and how many values replaying them makes.
struct Anchor {
  size_t first_event = 0;
  size_t end_event = 0;
  size_t nodes = 0;
};

std::string line_of(const yaml_mark_t& mark) {
  return "line " + std::to_string(mark.line + 1);
}

std::string c_str(const yaml_char_t* s) {
  return s == nullptr ? std::string() : reinterpret_cast<const char*>(s);
}

// libyaml hands out events that own their strings.
class EventGuard {
 public:
  explicit EventGuard(yaml_event_t& event) : event_(event) {}
  ~EventGuard() { yaml_event_delete(&event_); }
  EventGuard(const EventGuard&) = delete;
  EventGuard& operator=(const EventGuard&) = delete;

 private:
  yaml_event_t& event_;
};

class StreamReader {
 public:
  StreamReader(std::string_view text, std::string_view source, const ParseLimits& limits)
      : text_(text), source_(source), limits_(limits) {
    initialized_ = yaml_parser_initialize(&parser_) != 0;
    if (initialized_) {
      yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    }
  }
  ~StreamReader() {
    if (initialized_) yaml_parser_delete(&parser_);
  }
  StreamReader(const StreamReader&) = delete;
  StreamReader& operator=(const StreamReader&) = delete;

  Result<std::vector<Document>> read() {
    if (!initialized_) {
      return make_error(ErrorCode::Internal, source_ + ": cannot start the YAML parser: out of memory");
    }
    std::vector<Document> out;
    for (;;) {
      yaml_event_t event;
      if (yaml_parser_parse(&parser_, &event) == 0) return syntax_error();
      EventGuard guard(event);
      if (event.type == YAML_STREAM_END_EVENT) return out;
      if (event.type != YAML_DOCUMENT_START_EVENT) continue;
      if (auto added = read_document(line_of(event.start_mark), out); !added.ok()) return added.error();
    }
  }

 private:
  // Everything up to the document's end, through RapidJSON's Populate (the only way to hand a
  // Document its root from SAX events).
  Result<void> read_document(const std::string& start, std::vector<Document>& out) {
    Document doc;
    std::optional<Error> failed;
    auto generate = [&](Document& handler) {
      auto filled = fill(handler);
      if (!filled.ok()) failed = filled.error();
      return filled.ok();
    };
    doc.Populate(generate);
    if (failed) return *failed;
    if (doc.IsNull()) return {};  // an empty document, as kubectl skips it
    if (out.size() >= limits_.max_documents) return limit_error(Limit::Documents, limits_, source_, start);
    out.push_back(std::move(doc));
    return {};
  }

  // Anchors belong to one document: an alias cannot reach into the one before.
  Result<void> fill(Document& handler) {
    handler_ = &handler;
    frames_.clear();
    anchors_.clear();
    recording_.clear();
    open_anchors_ = 0;
    for (;;) {
      yaml_event_t event;
      if (yaml_parser_parse(&parser_, &event) == 0) return syntax_error();
      EventGuard guard(event);
      line_ = event.start_mark.line + 1;
      where_ = "line " + std::to_string(line_);
      if (event.type == YAML_DOCUMENT_END_EVENT) return {};
      if (auto handled = handle(event); !handled.ok()) return handled;
    }
  }

  Result<void> handle(const yaml_event_t& event) {
    switch (event.type) {
      case YAML_SCALAR_EVENT: {
        const auto& s = event.data.scalar;
        std::string_view text(reinterpret_cast<const char*>(s.value), s.length);
        return scalar(text, s.style == YAML_PLAIN_SCALAR_STYLE && s.tag == nullptr, c_str(s.anchor));
      }
      case YAML_ALIAS_EVENT:
        return alias(c_str(event.data.alias.anchor));
      case YAML_SEQUENCE_START_EVENT:
        return open(false, c_str(event.data.sequence_start.anchor));
      case YAML_MAPPING_START_EVENT:
        return open(true, c_str(event.data.mapping_start.anchor));
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        return close();
      default:
        return {};
    }
  }

  Result<void> count_node() {
    if (nodes_ >= limits_.max_nodes) return limit_error(Limit::Nodes, limits_, source_, where_);
    ++nodes_;
    return {};
  }

  void record(yaml_event_type_t type, bool plain = false, std::string_view text = {}) {
    recording_.push_back(Recorded{type, plain, std::string(text)});
  }

  bool key_next() const { return !frames_.empty() && frames_.back().mapping && frames_.back().key_next; }

  // A value is in place: the parent counts it and, if a mapping, waits for its next key.
  void value_done() {
    if (frames_.empty()) return;
    Frame& parent = frames_.back();
    ++parent.count;
    parent.key_next = true;
  }

  Result<void> scalar(std::string_view text, bool plain, const std::string& anchor) {
    if (auto counted = count_node(); !counted.ok()) return counted;
    if (!anchor.empty()) anchors_[anchor] = Anchor{recording_.size(), recording_.size() + 1, 1};
    if (open_anchors_ > 0 || !anchor.empty()) record(YAML_SCALAR_EVENT, plain, text);
    auto size = static_cast<rapidjson::SizeType>(text.size());
    if (key_next()) {
      // Keys are taken as written, as kubectl takes them; a repeated key is an error, as in kubectl.
      Frame& mapping = frames_.back();
      auto [defined, added] = mapping.keys.try_emplace(std::string(text), line_);
      if (!added) {
        return make_error(ErrorCode::Invalid, source_ + ": invalid YAML at " + where_ + ": mapping key \"" +
                                                  std::string(text) + "\" already defined at line " +
                                                  std::to_string(defined->second));
      }
      handler_->Key(text.data(), size, true);
      mapping.key_next = false;
      return {};
    }
    if (plain) {
      emit_plain(text, *handler_);
    } else {
      handler_->String(text.data(), size, true);
    }
    value_done();
    return {};
  }

  // The anchored node's events again, through the same path: every value is counted and every level
  // of depth checked as if it were written out.
  Result<void> alias(const std::string& name) {
    auto it = anchors_.find(name);
    if (it == anchors_.end()) {
      return make_error(ErrorCode::Invalid, source_ + ": invalid YAML at " + where_ + ": alias *" + name +
                                                " names no anchor (&" + name + ") that ends before it");
    }
    Anchor anchor = it->second;
    if (anchor.nodes > limits_.max_alias_nodes - alias_nodes_) {
      return limit_error(Limit::AliasNodes, limits_, source_, where_);
    }
    alias_nodes_ += anchor.nodes;
    for (size_t i = anchor.first_event; i < anchor.end_event; ++i) {
      Recorded event = recording_[i];  // a copy: replaying may record, and so move, the recording
      Result<void> replayed = event.type == YAML_SCALAR_EVENT           ? scalar(event.text, event.plain, {})
                              : event.type == YAML_SEQUENCE_START_EVENT ? open(false, {})
                              : event.type == YAML_MAPPING_START_EVENT  ? open(true, {})
                                                                        : close();
      if (!replayed.ok()) return replayed;
    }
    return {};
  }

  Result<void> open(bool mapping, const std::string& anchor) {
    if (key_next()) {
      return make_error(ErrorCode::Invalid, source_ + ": invalid YAML at " + where_ +
                                                ": a mapping key is a collection: keys must be strings");
    }
    if (frames_.size() >= limits_.max_depth) return limit_error(Limit::Depth, limits_, source_, where_);
    if (auto counted = count_node(); !counted.ok()) return counted;
    Frame frame;
    frame.mapping = mapping;
    frame.anchor = anchor;
    frame.first_event = recording_.size();
    frame.first_node = nodes_ - 1;
    if (!anchor.empty()) ++open_anchors_;
    if (open_anchors_ > 0) record(mapping ? YAML_MAPPING_START_EVENT : YAML_SEQUENCE_START_EVENT);
    frames_.push_back(std::move(frame));
    if (mapping) {
      handler_->StartObject();
    } else {
      handler_->StartArray();
    }
    return {};
  }

  Result<void> close() {
    Frame frame = std::move(frames_.back());
    frames_.pop_back();
    if (open_anchors_ > 0) record(frame.mapping ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT);
    if (frame.mapping) {
      handler_->EndObject(frame.count);
    } else {
      handler_->EndArray(frame.count);
    }
    if (!frame.anchor.empty()) {
      --open_anchors_;
      anchors_[frame.anchor] = Anchor{frame.first_event, recording_.size(), nodes_ - frame.first_node};
    }
    value_done();
    return {};
  }

  // libyaml reports reader errors (bad encoding) by byte offset, the others by mark.
  Error syntax_error() const {
    if (parser_.error == YAML_MEMORY_ERROR) {
      return make_error(ErrorCode::Internal, source_ + ": out of memory while reading YAML");
    }
    size_t line = parser_.problem_mark.line + 1, column = parser_.problem_mark.column + 1;
    std::string problem = parser_.problem != nullptr ? parser_.problem : "unknown error";
    if (parser_.error == YAML_READER_ERROR) {
      std::string_view before = text_.substr(0, std::min(parser_.problem_offset, text_.size()));
      line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
      size_t newline = before.rfind('\n');
      column = newline == std::string_view::npos ? before.size() + 1 : before.size() - newline;
      if (parser_.problem_value != -1) problem += " (byte " + std::to_string(parser_.problem_value) + ")";
    }
    std::string message = source_ + ": invalid YAML at line " + std::to_string(line) + ", column " +
                          std::to_string(column) + ": " + problem;
    if (parser_.context != nullptr) {
      message += " (" + std::string(parser_.context) + " at " + line_of(parser_.context_mark) + ")";
    }
    return make_error(ErrorCode::Invalid, std::move(message));
  }

  yaml_parser_t parser_{};
  bool initialized_ = false;
  std::string_view text_;
  std::string source_;
  const ParseLimits& limits_;

  Document* handler_ = nullptr;  // the document being read
  size_t line_ = 0;              // of the event being read
  std::string where_;            // "line N"
  std::vector<Frame> frames_;
  std::unordered_map<std::string, Anchor> anchors_;
  std::vector<Recorded> recording_;  // the events of anchored nodes, while one is open
  size_t open_anchors_ = 0;
  size_t nodes_ = 0;        // in the whole stream: memory is what the limit bounds
  size_t alias_nodes_ = 0;  // in the whole stream
};

}  // namespace

Result<std::vector<Document>> read_stream(std::string_view text, std::string_view source, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes) return limit_error(Limit::Bytes, limits, source);
  return StreamReader(text, source, limits).read();
}

Error limit_error(Limit limit, const ParseLimits& limits, std::string_view source, std::string_view where) {
  std::string what;
  switch (limit) {
    case Limit::Bytes:
      what = "larger than " + std::to_string(limits.max_bytes) + " bytes (the size limit); split it into several files";
      break;
    case Limit::Depth:
      what = "collections nest deeper than " + std::to_string(limits.max_depth) +
             " levels (the depth limit); flatten the document";
      break;
    case Limit::Nodes:
      what = "more than " + std::to_string(limits.max_nodes) +
             " values (the node limit, aliases expanded); split it into several files";
      break;
    case Limit::AliasNodes:
      what = "YAML aliases expand to more than " + std::to_string(limits.max_alias_nodes) +
             " values (the alias expansion limit); write the objects out without anchors and aliases";
      break;
    case Limit::Documents:
      what = "more than " + std::to_string(limits.max_documents) +
             " documents (the document limit, the items of a `kind: List` counted); split it into several files";
      break;
  }
  std::string message(source);
  if (!where.empty()) message += ": " + std::string(where);
  return make_error(ErrorCode::Invalid, message + ": " + what);
}

}  // namespace mg::json::yaml
