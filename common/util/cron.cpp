// common/util/cron.cpp
#include "common/util/cron.hpp"

#include <array>
#include <charconv>
#include <string>
#include <vector>

namespace mg::util {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::sys_days;

//! One of the five fields: its name for messages, its range and the names its values may take.
struct FieldKind {
  const char* name;
  int low;
  int high;
  const std::array<std::string_view, 12>* names = nullptr;  //!< names[i] stands for low + i
};

constexpr std::array<std::string_view, 12> kMonthNames{"jan", "feb", "mar", "apr", "may", "jun",
                                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 12> kDayNames{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

constexpr std::array<FieldKind, 5> kFields{{{"minute", 0, 59},
                                            {"hour", 0, 23},
                                            {"day of month", 1, 31},
                                            {"month", 1, 12, &kMonthNames},
                                            // 7 is Sunday too, as crontab(5) allows.
                                            {"day of week", 0, 7, &kDayNames}}};

constexpr int kSearchDays = 366 * 5;

std::vector<std::string_view> split(std::string_view text, char by) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == by) {
      out.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

std::vector<std::string_view> fields_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

Result<int> value_of(std::string_view text, const FieldKind& kind) {
  if (kind.names != nullptr) {
    const std::string name = lower(text);
    for (std::size_t i = 0; i < kind.names->size(); ++i) {
      if (!(*kind.names)[i].empty() && (*kind.names)[i] == name) return kind.low + static_cast<int>(i);
    }
  }
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return make_invalid(std::string(kind.name) + " \"" + std::string(text) + "\" is not a number" +
                        (kind.names != nullptr ? " or a name" : ""));
  }
  if (value < kind.low || value > kind.high) {
    return make_invalid(std::string(kind.name) + " " + std::to_string(value) + " is outside " +
                        std::to_string(kind.low) + "-" + std::to_string(kind.high));
  }
  return value;
}

//! Sets the bits of one field ("*/15", "1-5", "mon,wed", ...); bit i stands for value i.
template <std::size_t N>
Result<void> parse_field(std::string_view text, const FieldKind& kind, std::bitset<N>& bits) {
  for (std::string_view item : split(text, ',')) {
    int step = 1;
    if (const auto slash = item.find('/'); slash != std::string_view::npos) {
      const std::string_view step_text = item.substr(slash + 1);
      const auto [end, ec] = std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
      if (step_text.empty() || ec != std::errc() || end != step_text.data() + step_text.size() || step < 1 ||
          step > kind.high) {
        return make_invalid(std::string(kind.name) + " step \"" + std::string(step_text) +
                            "\" is not a number from 1 to " + std::to_string(kind.high));
      }
      item = item.substr(0, slash);
    }
    int low = kind.low, high = kind.high;
    if (item != "*" && item != "?") {
      const auto dash = item.find('-');
      auto first = value_of(item.substr(0, dash), kind);
      if (!first.ok()) return first.error();
      low = *first;
      // "a/n" runs from a to the end, as cron does; a lone "a" is just a.
      high = dash == std::string_view::npos ? (step > 1 ? kind.high : low) : 0;
      if (dash != std::string_view::npos) {
        auto last = value_of(item.substr(dash + 1), kind);
        if (!last.ok()) return last.error();
        high = *last;
      }
      if (high < low) {
        return make_invalid(std::string(kind.name) + " range " + std::string(item) + " runs backwards");
      }
    }
    for (int v = low; v <= high; v += step) bits.set(static_cast<std::size_t>(v));
  }
  return {};
}

std::string_view macro(std::string_view text) {
  if (text == "@yearly" || text == "@annually") return "0 0 1 1 *";
  if (text == "@monthly") return "0 0 1 * *";
  if (text == "@weekly") return "0 0 * * 0";
  if (text == "@daily" || text == "@midnight") return "0 0 * * *";
  if (text == "@hourly") return "0 * * * *";
  return {};
}

}  // namespace

Result<CronSchedule> CronSchedule::parse(std::string_view text) {
  if (text.size() > kMaxLength) {
    return make_invalid("is " + std::to_string(text.size()) + " bytes long; a cron schedule has at most " +
                        std::to_string(kMaxLength));
  }
  if (!text.empty() && text.front() == '@') {
    const std::string_view expanded = macro(text);
    if (expanded.empty()) {
      return make_invalid("\"" + std::string(text) +
                          "\" is not a macro: use @yearly, @monthly, @weekly, @daily, @hourly or five fields");
    }
    text = expanded;
  }
  const auto fields = fields_of(text);
  if (fields.size() != kFields.size()) {
    return make_invalid("has " + std::to_string(fields.size()) +
                        " fields; a cron schedule has five: minute hour day-of-month month day-of-week (UTC)");
  }
  CronSchedule out;
  std::bitset<8> week;
  Result<void> steps[] = {parse_field(fields[0], kFields[0], out.minutes_),
                          parse_field(fields[1], kFields[1], out.hours_),
                          parse_field(fields[2], kFields[2], out.days_of_month_),
                          parse_field(fields[3], kFields[3], out.months_), parse_field(fields[4], kFields[4], week)};
  for (auto& step : steps) {
    if (!step.ok()) return step.error();
  }
  for (std::size_t d = 0; d < 7; ++d) out.days_of_week_[d] = week[d];
  if (week[7]) out.days_of_week_.set(0);
  // Vixie cron: a day field that starts with * (or ?) does not restrict the day.
  out.any_day_of_month_ = fields[2].front() == '*' || fields[2].front() == '?';
  out.any_day_of_week_ = fields[4].front() == '*' || fields[4].front() == '?';
  return out;
}

bool CronSchedule::runs_on(sys_days day) const {
  const std::chrono::year_month_day date{day};
  if (!months_[static_cast<unsigned>(date.month())]) return false;
  const bool by_month_day = days_of_month_[static_cast<unsigned>(date.day())];
  const bool by_week_day = days_of_week_[std::chrono::weekday{day}.c_encoding()];
  if (any_day_of_month_ || any_day_of_week_) return by_month_day && by_week_day;
  return by_month_day || by_week_day;
}

std::optional<CronSchedule::TimePoint> CronSchedule::next_after(TimePoint t) const {
  const auto start = std::chrono::floor<minutes>(t) + minutes(1);
  const sys_days first_day = std::chrono::floor<days>(start);
  const int first_minute = static_cast<int>((start - first_day).count());
  for (int d = 0; d < kSearchDays; ++d) {
    const sys_days day = first_day + days(d);
    if (!runs_on(day)) continue;
    for (int m = d == 0 ? first_minute : 0; m < 24 * 60; ++m) {
      if (hours_[static_cast<std::size_t>(m / 60)] && minutes_[static_cast<std::size_t>(m % 60)])
        return day + minutes(m);
    }
  }
  return std::nullopt;
}

std::optional<CronSchedule::TimePoint> CronSchedule::last_at_or_before(TimePoint t) const {
  const auto end = std::chrono::floor<minutes>(t);
  const sys_days last_day = std::chrono::floor<days>(end);
  const int last_minute = static_cast<int>((end - last_day).count());
  for (int d = 0; d < kSearchDays; ++d) {
    const sys_days day = last_day - days(d);
    if (!runs_on(day)) continue;
    for (int m = d == 0 ? last_minute : 24 * 60 - 1; m >= 0; --m) {
      if (hours_[static_cast<std::size_t>(m / 60)] && minutes_[static_cast<std::size_t>(m % 60)])
        return day + minutes(m);
    }
  }
  return std::nullopt;
}

}  // namespace mg::util
