// common/util/cron.hpp
//! Cron schedules as crontab(5) writes them, in UTC: five fields (minute, hour, day of month, month,
//! day of week) of `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists `a,b`, month and day
//! names (jan, mon), and the macros @yearly, @annually, @monthly, @weekly, @daily, @midnight and
//! @hourly. When both day fields are restricted a day matching either runs (Vixie cron's rule, which
//! Kubernetes CronJobs follow too). Debian packages no C++ cron library, so this is ours. Pure.
#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <string_view>

#include "common/util/result.hpp"

namespace mg::util {

class CronSchedule {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  //! The schedule `text` means; Invalid naming the field and what it holds when it is not one. Texts
  //! longer than kMaxLength are refused before they are read.
  static Result<CronSchedule> parse(std::string_view text);

  //! The first minute strictly after `t` that the schedule names; nullopt when none comes within five
  //! years (e.g. "0 0 30 2 *", which names no day).
  [[nodiscard]] std::optional<TimePoint> next_after(TimePoint t) const;
  //! The last minute at or before `t` that the schedule names; nullopt when none within five years.
  [[nodiscard]] std::optional<TimePoint> last_at_or_before(TimePoint t) const;

  static constexpr std::size_t kMaxLength = 128;

 private:
  [[nodiscard]] bool runs_on(std::chrono::sys_days day) const;

  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;  //!< 1..31
  std::bitset<13> months_;         //!< 1..12
  std::bitset<7> days_of_week_;    //!< 0 = Sunday
  bool any_day_of_month_ = false;
  bool any_day_of_week_ = false;
};

}  // namespace mg::util
