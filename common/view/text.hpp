// common/view/text.hpp
//! Text output helpers of the views: ANSI colour that is applied only when asked, and aligned tables
//! whose column widths ignore the colour codes. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mg::view {

enum class Color { None, Bold, Dim, Red, Green, Yellow, Cyan };

//! `text` wrapped in the ANSI codes of `color` when `enabled`, else `text` as is.
std::string paint(std::string_view text, Color color, bool enabled);

//! One table cell: its text and colour.
struct Cell {
  std::string text;
  Color color = Color::None;
};

//! Columns separated by two spaces, padded to the widest cell (in characters, UTF-8 aware); the last
//! column is not padded; every line starts with `indent` and ends with '\n'. The header row is bold.
class Table {
 public:
  explicit Table(std::vector<std::string> header, std::string indent = "");
  void row(std::vector<Cell> cells);
  [[nodiscard]] std::string str(bool color) const;
  [[nodiscard]] bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> header_;
  std::string indent_;
  std::vector<std::vector<Cell>> rows_;
};

//! The number of characters (UTF-8 code points) in `s`.
size_t display_width(std::string_view s);

//! The colour of a condition status: good is green, bad is red, Unknown is yellow.
Color status_color(std::string_view status, bool true_is_good);

//! The colour of a phase: Healthy green, Degraded red, others yellow.
Color phase_color(std::string_view phase);

//! "3/3" coloured green when ready == desired (and desired > 0 or both 0), yellow otherwise.
Cell ratio(int64_t ready, int64_t desired);

}  // namespace mg::view
