// common/kube/watch_event.cpp
#include "common/kube/watch_event.hpp"

namespace mg::kube {

const char* to_string(WatchEventType type) {
  switch (type) {
    case WatchEventType::Added:
      return "ADDED";
    case WatchEventType::Modified:
      return "MODIFIED";
    case WatchEventType::Deleted:
      return "DELETED";
    case WatchEventType::Bookmark:
      return "BOOKMARK";
    case WatchEventType::Error:
      return "ERROR";
  }
  return "?";
}

std::string WatchEvent::resource_version() const {
  const json::Value* rv = json::at_path(object, "metadata.resourceVersion");
  return rv != nullptr && rv->IsString() ? std::string(rv->GetString(), rv->GetStringLength()) : std::string();
}

Result<WatchEvent> parse_watch_event(std::string_view line) {
  auto doc = json::parse_json(line, "watch event", json::kServerLimits);
  if (!doc.ok()) return doc.error();
  if (!doc->IsObject()) return make_error(ErrorCode::Invalid, "watch event: not a JSON object");
  std::string type = json::get_string(*doc, "type");
  WatchEvent event;
  if (type == "ADDED") {
    event.type = WatchEventType::Added;
  } else if (type == "MODIFIED") {
    event.type = WatchEventType::Modified;
  } else if (type == "DELETED") {
    event.type = WatchEventType::Deleted;
  } else if (type == "BOOKMARK") {
    event.type = WatchEventType::Bookmark;
  } else if (type == "ERROR") {
    event.type = WatchEventType::Error;
  } else {
    return make_error(ErrorCode::Invalid, "watch event: unknown type \"" + type + "\"");
  }
  auto it = doc->FindMember("object");
  if (it == doc->MemberEnd() || !it->value.IsObject()) {
    return make_error(ErrorCode::Invalid, "watch event " + type + ": missing object");
  }
  // Take the object without copying: swap it into the root and drop the envelope.
  json::Value object;
  object.Swap(it->value);
  static_cast<json::Value&>(*doc).Swap(object);
  event.object = std::move(*doc);
  return event;
}

bool LineSplitter::feed(std::string_view chunk, const std::function<bool(std::string_view)>& on_line) {
  buffer_.append(chunk);
  size_t start = 0;
  bool keep_going = true;
  while (keep_going) {
    size_t nl = buffer_.find('\n', start);
    if (nl == std::string::npos) break;
    std::string_view line(buffer_.data() + start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = nl + 1;
    if (line.find_first_not_of(" \t") != std::string_view::npos) keep_going = on_line(line);
  }
  buffer_.erase(0, start);
  return keep_going;
}

}  // namespace mg::kube
