#include "reconciler/serve/summary_schedule.h"

namespace pgtwin {

int LocalDay(std::time_t time) {
  std::tm local{};
  localtime_r(&time, &local);
  return (local.tm_year + 1900) * 10000 + (local.tm_mon + 1) * 100 + local.tm_mday;
}

std::time_t NextDailyTime(DailyTime at, std::time_t now, int skip_day) {
  std::tm today{};
  localtime_r(&now, &today);
  // Tomorrow's `at` is always after `now` and never on skip_day (a day before tomorrow).
  for (int days = 0;; ++days) {
    std::tm candidate{};
    candidate.tm_year = today.tm_year;
    candidate.tm_mon = today.tm_mon;
    candidate.tm_mday = today.tm_mday + days;
    candidate.tm_hour = at.hour;
    candidate.tm_min = at.minute;
    candidate.tm_isdst = -1;  // whatever is in force on that day
    std::time_t time = std::mktime(&candidate);
    if (time > now && LocalDay(time) != skip_day) return time;
  }
}

void SummarySchedule::Set(std::optional<DailyTime> at, std::time_t now) {
  at_ = at;
  next_.reset();
  if (at_) next_ = NextDailyTime(*at_, now, sent_day_);
}

bool SummarySchedule::Due(std::time_t now) {
  if (!next_ || now < *next_) return false;
  sent_day_ = LocalDay(*next_);
  next_ = NextDailyTime(*at_, now, sent_day_);
  return true;
}

}  // namespace pgtwin
