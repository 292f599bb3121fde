// The daily summary of `pgtwin serve`: when it is due (an injected clock, the host's time zone
// set to Europe/Berlin for DST changes) and that, when due, it reaches every notify target once,
// in each target's format.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/notify/webhook_notifier.h"
#include "reconciler/serve/summary_schedule.h"

namespace pgtwin {
namespace {

// Sets the process's time zone for one test; restores the one before.
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const char* zone) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    setenv("TZ", zone, 1);
    tzset();
  }
  ~ScopedTimeZone() {
    if (old_) {
      setenv("TZ", old_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  std::optional<std::string> old_;
};

// Seconds since the epoch of a local time (DST as in force then).
std::time_t Local(int year, int month, int day, int hour, int minute, int second = 0) {
  std::tm local{};
  local.tm_year = year - 1900;
  local.tm_mon = month - 1;
  local.tm_mday = day;
  local.tm_hour = hour;
  local.tm_min = minute;
  local.tm_sec = second;
  local.tm_isdst = -1;
  return std::mktime(&local);
}

// "2026-03-29 03:30 CEST".
std::string Show(std::time_t time) {
  std::tm local{};
  localtime_r(&time, &local);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M %Z", &local);
  return text;
}

TEST(SummaryScheduleTest, DueOnceAtTheTimeThenTheNextDay) {
  ScopedTimeZone zone("Europe/Berlin");
  SummarySchedule schedule;
  schedule.Set(DailyTime{8, 0}, Local(2026, 3, 10, 7, 59));
  ASSERT_TRUE(schedule.next().has_value());
  EXPECT_EQ(Show(*schedule.next()), "2026-03-10 08:00 CET");
  EXPECT_FALSE(schedule.Due(Local(2026, 3, 10, 7, 59, 59)));
  EXPECT_TRUE(schedule.Due(Local(2026, 3, 10, 8, 0, 0)));
  EXPECT_FALSE(schedule.Due(Local(2026, 3, 10, 8, 0, 1)));  // no repeat in the same minute
  EXPECT_FALSE(schedule.Due(Local(2026, 3, 10, 23, 59)));
  EXPECT_EQ(Show(*schedule.next()), "2026-03-11 08:00 CET");
  EXPECT_TRUE(schedule.Due(Local(2026, 3, 11, 8, 0, 1)));
}

TEST(SummaryScheduleTest, StartedAfterTheTimeWaitsForTomorrowAndOffIsNeverDue) {
  ScopedTimeZone zone("Europe/Berlin");
  SummarySchedule schedule;
  EXPECT_FALSE(schedule.next().has_value());
  EXPECT_FALSE(schedule.Due(Local(2026, 3, 10, 8, 0)));
  schedule.Set(DailyTime{8, 0}, Local(2026, 3, 10, 8, 0, 30));
  EXPECT_EQ(Show(*schedule.next()), "2026-03-11 08:00 CET");
  schedule.Set(std::nullopt, Local(2026, 3, 10, 9, 0));
  EXPECT_FALSE(schedule.next().has_value());
  EXPECT_FALSE(schedule.Due(Local(2026, 3, 11, 8, 0)));
}

TEST(SummaryScheduleTest, DstChangesKeepTheLocalTime) {
  ScopedTimeZone zone("Europe/Berlin");
  SummarySchedule schedule;
  // Spring forward on 2026-03-29: 23 hours between two summaries at 08:00.
  schedule.Set(DailyTime{8, 0}, Local(2026, 3, 28, 7, 0));
  ASSERT_TRUE(schedule.Due(Local(2026, 3, 28, 8, 0)));
  EXPECT_EQ(Show(*schedule.next()), "2026-03-29 08:00 CEST");
  EXPECT_EQ(*schedule.next() - Local(2026, 3, 28, 8, 0), 23 * 3600);
  // Fall back on 2026-10-25: 25 hours.
  schedule.Set(DailyTime{8, 0}, Local(2026, 10, 24, 7, 0));
  ASSERT_TRUE(schedule.Due(Local(2026, 10, 24, 8, 0)));
  EXPECT_EQ(Show(*schedule.next()), "2026-10-25 08:00 CET");
  EXPECT_EQ(*schedule.next() - Local(2026, 10, 24, 8, 0), 25 * 3600);
}

TEST(SummaryScheduleTest, ATimeTheDstChangeSkipsOrRepeatsIsSentOnce) {
  ScopedTimeZone zone("Europe/Berlin");
  SummarySchedule schedule;
  // 02:30 does not exist on 2026-03-29: sent an hour later, once.
  schedule.Set(DailyTime{2, 30}, Local(2026, 3, 29, 1, 0));
  EXPECT_EQ(Show(*schedule.next()), "2026-03-29 03:30 CEST");
  int sent = 0;
  for (std::time_t now = Local(2026, 3, 29, 1, 0); now < Local(2026, 3, 30, 0, 0); now += 60) {
    sent += schedule.Due(now) ? 1 : 0;
  }
  EXPECT_EQ(sent, 1);
  EXPECT_EQ(Show(*schedule.next()), "2026-03-30 02:30 CEST");
  // 02:30 comes twice on 2026-10-25: sent once.
  schedule.Set(DailyTime{2, 30}, Local(2026, 10, 25, 0, 0));
  sent = 0;
  for (std::time_t now = Local(2026, 10, 25, 0, 0); now < Local(2026, 10, 26, 0, 0); now += 60) {
    sent += schedule.Due(now) ? 1 : 0;
  }
  EXPECT_EQ(sent, 1);
  EXPECT_EQ(Show(*schedule.next()), "2026-10-26 02:30 CET");
}

TEST(SummaryScheduleTest, AReloadAfterTodaysSummaryWaitsForTomorrowAndALateOneIsSentOnce) {
  ScopedTimeZone zone("Europe/Berlin");
  SummarySchedule schedule;
  schedule.Set(DailyTime{8, 0}, Local(2026, 3, 10, 7, 0));
  ASSERT_TRUE(schedule.Due(Local(2026, 3, 10, 8, 0)));
  schedule.Set(DailyTime{9, 0}, Local(2026, 3, 10, 8, 30));  // SIGHUP with a later time
  EXPECT_EQ(Show(*schedule.next()), "2026-03-11 09:00 CET");
  schedule.Set(DailyTime{7, 0}, Local(2026, 3, 10, 8, 30));  // an earlier one
  EXPECT_EQ(Show(*schedule.next()), "2026-03-11 07:00 CET");
  // The host slept through two days: one summary on waking, the next at the time again.
  EXPECT_TRUE(schedule.Due(Local(2026, 3, 13, 10, 0)));
  EXPECT_FALSE(schedule.Due(Local(2026, 3, 13, 10, 0, 1)));
  EXPECT_EQ(Show(*schedule.next()), "2026-03-14 07:00 CET");
}

// Records every body sent, as "target: body".
struct Recorder {
  std::mutex mutex;
  std::vector<std::string> sent;
  Status Send(const WebhookTarget& target, const std::string& body) {
    std::lock_guard<std::mutex> lock(mutex);
    sent.push_back(target.name + ": " + body);
    return Status::Ok();
  }
};

EnvStatus Env(const std::string& name, EnvState state, const std::string& reason) {
  EnvStatus status;
  status.name = name;
  status.state = state;
  status.reason = reason;
  return status;
}

TEST(SummaryScheduleTest, WhenDueTheSummaryReachesEveryTargetOnceInItsFormat) {
  ScopedTimeZone zone("Europe/Berlin");
  Recorder recorder;
  std::vector<EnvStatus> environments = {Env("qa1", EnvState::kReady, "InSync"),
                                         Env("qa2", EnvState::kDegraded, "SiteUnreachable")};
  {
    WebhookNotifier notifier(
        {{"chat", "https://hooks.example.com/s3cret", ChatFormat::kSlack},
         {"script", "http://127.0.0.1:9/s3cret", ChatFormat::kJson}},
        "https://pgtwin.example.com",
        [&](const WebhookTarget& t, const std::string& b) { return recorder.Send(t, b); });
    SummarySchedule schedule;
    schedule.Set(DailyTime{8, 0}, Local(2026, 3, 10, 7, 58));
    // The daemon's loop: once a second.
    for (std::time_t now = Local(2026, 3, 10, 7, 58); now < Local(2026, 3, 10, 8, 3); ++now) {
      if (schedule.Due(now)) notifier.OnSummary(environments);
    }
  }  // the destructor delivers what is queued
  ASSERT_EQ(recorder.sent.size(), 2u);
  ASSERT_EQ(recorder.sent[0].rfind("chat: ", 0), 0u) << recorder.sent[0];
  nlohmann::json slack = nlohmann::json::parse(recorder.sent[0].substr(6));
  EXPECT_THAT(slack.value("text", ""), ::testing::HasSubstr("1 of 2 environments ready"));
  EXPECT_THAT(slack.value("text", ""), ::testing::HasSubstr("qa2: Degraded (SiteUnreachable)"));
  EXPECT_THAT(slack.value("text", ""),
              ::testing::HasSubstr("<https://pgtwin.example.com/api/v1/environments|Status>"));
  ASSERT_EQ(recorder.sent[1].rfind("script: ", 0), 0u) << recorder.sent[1];
  nlohmann::json event = nlohmann::json::parse(recorder.sent[1].substr(8));
  EXPECT_EQ(event["event"], "summary");
  ASSERT_EQ(event["environments"].size(), 2u);
  EXPECT_EQ(event["environments"][1]["environment"], "qa2");
  EXPECT_EQ(event["environments"][1]["state"], "Degraded");
  for (const std::string& body : recorder.sent) {
    EXPECT_EQ(body.find("s3cret"), std::string::npos) << body;
  }
}

}  // namespace
}  // namespace pgtwin
