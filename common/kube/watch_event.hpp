// common/kube/watch_event.hpp
//! The watch stream format: newline-delimited JSON `{"type": ADDED|MODIFIED|DELETED|BOOKMARK|ERROR,
//! "object": {...}}`, cut into lines from arbitrary network chunks. Pure.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/util/json.hpp"
#include "common/util/result.hpp"

namespace mg::kube {

enum class WatchEventType { Added, Modified, Deleted, Bookmark, Error };

const char* to_string(WatchEventType type);

struct WatchEvent {
  WatchEventType type = WatchEventType::Added;
  json::Document object;  //!< the object; a metav1.Status for Error; only metadata.resourceVersion for Bookmark

  //! object.metadata.resourceVersion, or "".
  std::string resource_version() const;
};

//! Parses one line of a watch stream. Invalid for bad JSON, an unknown type or a missing object.
Result<WatchEvent> parse_watch_event(std::string_view line);

//! Reassembles lines from chunks. Blank lines are skipped; a trailing partial line waits for more.
class LineSplitter {
 public:
  //! Calls on_line for each complete line in the data so far (without the newline, '\r' trimmed).
  //! Stops early and returns false when on_line returns false.
  bool feed(std::string_view chunk, const std::function<bool(std::string_view line)>& on_line);

  //! Bytes received after the last newline.
  const std::string& pending() const { return buffer_; }

 private:
  std::string buffer_;
};

}  // namespace mg::kube
