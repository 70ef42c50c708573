// common/view/text.cpp
#include "common/view/text.hpp"

#include <algorithm>

namespace mg::view {

std::string paint(std::string_view text, Color color, bool enabled) {
  if (!enabled || color == Color::None || text.empty()) return std::string(text);
  const char* code = "";
  switch (color) {
    case Color::Bold:
      code = "\033[1m";
      break;
    case Color::Dim:
      code = "\033[2m";
      break;
    case Color::Red:
      code = "\033[31m";
      break;
    case Color::Green:
      code = "\033[32m";
      break;
    case Color::Yellow:
      code = "\033[33m";
      break;
    case Color::Cyan:
      code = "\033[36m";
      break;
    case Color::None:
      break;
  }
  return std::string(code) + std::string(text) + "\033[0m";
}

size_t display_width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

Table::Table(std::vector<std::string> header, std::string indent)
    : header_(std::move(header)), indent_(std::move(indent)) {}

void Table::row(std::vector<Cell> cells) {
  rows_.push_back(std::move(cells));
}

std::string Table::str(bool color) const {
  std::vector<size_t> widths(header_.size(), 0);
  for (size_t i = 0; i < header_.size(); ++i) widths[i] = display_width(header_[i]);
  for (const auto& r : rows_) {
    for (size_t i = 0; i < r.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], display_width(r[i].text));
  }
  std::string out;
  auto line = [&](const std::vector<Cell>& cells) {
    std::string l = indent_;
    for (size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
      l += paint(cells[i].text, cells[i].color, color);
      if (i + 1 < cells.size()) l += std::string(widths[i] - display_width(cells[i].text) + 2, ' ');
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  std::vector<Cell> head;
  for (const auto& h : header_) head.push_back({h, Color::Bold});
  line(head);
  for (const auto& r : rows_) line(r);
  return out;
}

Color status_color(std::string_view status, bool true_is_good) {
  if (status == "True") return true_is_good ? Color::Green : Color::Red;
  if (status == "False") return true_is_good ? Color::Red : Color::Green;
  return Color::Yellow;
}

Color phase_color(std::string_view phase) {
  if (phase == "Healthy") return Color::Green;
  if (phase == "Degraded") return Color::Red;
  return Color::Yellow;
}

Cell ratio(int64_t ready, int64_t desired) {
  return {std::to_string(ready) + "/" + std::to_string(desired), ready >= desired ? Color::Green : Color::Yellow};
}

}  // namespace mg::view
