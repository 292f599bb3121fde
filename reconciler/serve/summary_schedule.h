#pragma once

#include <ctime>
#include <optional>

#include "model/serve_config.h"

namespace pgtwin {

// The local day of `time` (host time zone) as YYYYMMDD.
int LocalDay(std::time_t time);

// The first moment at `at` (local time, the time zone's rules applied by mktime: a time a DST
// change skips comes an hour later, a repeated one once) strictly after `now` and not on local
// day `skip_day` (YYYYMMDD; 0 skips none).
std::time_t NextDailyTime(DailyTime at, std::time_t now, int skip_day);

// When the daily summary of `pgtwin serve` is due: at the first `at` after the schedule is set,
// then at `at` of each following local day, at most once a local day (a reload setting a later
// time after today's summary was sent waits for tomorrow). The caller passes the clock's time
// (seconds since the epoch), so tests choose it.
class SummarySchedule {
 public:
  // Sends at `at` from `now` on; nullopt turns the summary off.
  void Set(std::optional<DailyTime> at, std::time_t now);

  // True once when `now` has reached the due time (late, after a suspend of the host, too);
  // the next summary is then due on a later local day.
  bool Due(std::time_t now);

  // When the next summary is due; nullopt when off.
  std::optional<std::time_t> next() const { return next_; }

 private:
  std::optional<DailyTime> at_;
  std::optional<std::time_t> next_;
  int sent_day_ = 0;  // local day of the last summary sent (YYYYMMDD), 0 before the first
};

}  // namespace pgtwin
