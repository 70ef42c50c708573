// common/status/conditions.cpp
#include "common/status/conditions.hpp"

#include <algorithm>

namespace mg::status {

const api::Condition* find_condition(const std::vector<api::Condition>& conditions, const std::string& type) {
  auto it = std::find_if(conditions.begin(), conditions.end(), [&](const api::Condition& c) { return c.type == type; });
  return it == conditions.end() ? nullptr : &*it;
}

bool is_true(const std::vector<api::Condition>& conditions, const std::string& type) {
  const api::Condition* c = find_condition(conditions, type);
  return c != nullptr && c->status == kTrue;
}

std::string bounded_message(std::string message) {
  const auto limit = static_cast<size_t>(api::kMaxConditionMessage);
  if (message.size() <= limit) return message;
  constexpr size_t kNoteRoom = 64;  // " ... (N bytes more)" with N up to 20 digits
  size_t cut = limit - kNoteRoom;
  while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  const size_t dropped = message.size() - cut;
  message.resize(cut);
  message += " ... (" + std::to_string(dropped) + " bytes more)";
  return message;
}

void set_condition(std::vector<api::Condition>& conditions, const std::vector<api::Condition>& previous,
                   std::string type, bool value, std::string reason, std::string message, int64_t generation,
                   const std::string& now) {
  api::Condition c;
  c.status = value ? kTrue : kFalse;
  const api::Condition* before = find_condition(previous, type);
  c.lastTransitionTime = before != nullptr && before->status == c.status ? before->lastTransitionTime : now;
  c.type = std::move(type);
  c.reason = std::move(reason);
  c.message = bounded_message(std::move(message));
  c.observedGeneration = generation;
  auto it = std::find_if(conditions.begin(), conditions.end(), [&](const api::Condition& x) { return x.type == c.type; });
  if (it != conditions.end()) {
    *it = std::move(c);
  } else {
    conditions.push_back(std::move(c));
  }
  std::sort(conditions.begin(), conditions.end(),
            [](const api::Condition& a, const api::Condition& b) { return a.type < b.type; });
}

void set_reconciled(std::vector<api::Condition>& conditions, const std::vector<api::Condition>& previous,
                    const std::optional<std::string>& terminal_error, int64_t generation, const std::string& now) {
  if (terminal_error) {
    set_condition(conditions, previous, kReconciled, false, "ApplyFailed", *terminal_error, generation, now);
    return;
  }
  set_condition(conditions, previous, kReconciled, true, "Applied", "every child is as the spec says", generation, now);
}

}  // namespace mg::status
