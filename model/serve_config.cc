#include "model/serve_config.h"

#include <cstdio>

namespace pgtwin {
namespace {

// The number at text[pos..] (one or two digits), advancing pos; -1 when there is none.
int ReadHour(const std::string& text, size_t& pos) {
  size_t start = pos;
  int value = 0;
  while (pos < text.size() && pos - start < 2 && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + (text[pos++] - '0');
  }
  return pos == start ? -1 : value;
}

}  // namespace

bool ApplyWindow::Contains(int hour) const {
  if (start_hour < end_hour) return hour >= start_hour && hour < end_hour;
  return hour >= start_hour || hour < end_hour;
}

std::string ApplyWindow::ToString() const {
  char text[8];
  std::snprintf(text, sizeof text, "%02d-%02d", start_hour % 100, end_hour % 100);
  return text;
}

StatusOr<ApplyWindow> ParseApplyWindow(const std::string& text) {
  size_t pos = 0;
  ApplyWindow window;
  window.start_hour = ReadHour(text, pos);
  bool dash = pos < text.size() && text[pos] == '-';
  if (dash) ++pos;
  window.end_hour = dash ? ReadHour(text, pos) : -1;
  if (window.start_hour < 0 || window.end_hour < 0 || pos != text.size()) {
    return Status(StatusCode::kInvalidArgument,
                  "'" + text + "' is not a window of hours (write START-END, e.g. 22-06)");
  }
  if (window.start_hour > 23 || window.end_hour > 24) {
    return Status(StatusCode::kInvalidArgument,
                  "'" + text + "': hours go from 0 to 23 (24 only as an end)");
  }
  if (window.start_hour == window.end_hour) {
    return Status(StatusCode::kInvalidArgument, "'" + text + "': the window is empty");
  }
  return window;
}

std::string DailyTime::ToString() const {
  char text[8];
  std::snprintf(text, sizeof text, "%02d:%02d", hour % 100, minute % 100);
  return text;
}

StatusOr<DailyTime> ParseDailyTime(const std::string& text) {
  size_t pos = 0;
  DailyTime time;
  time.hour = ReadHour(text, pos);
  bool colon = pos < text.size() && text[pos] == ':';
  if (colon) ++pos;
  size_t minute_start = pos;
  time.minute = colon ? ReadHour(text, pos) : -1;
  if (time.hour < 0 || time.minute < 0 || pos - minute_start != 2 || pos != text.size()) {
    return Status(StatusCode::kInvalidArgument,
                  "'" + text + "' is not a time of day (write HH:MM, e.g. 08:00)");
  }
  if (time.hour > 23 || time.minute > 59) {
    return Status(StatusCode::kInvalidArgument,
                  "'" + text + "': hours go from 0 to 23, minutes from 00 to 59");
  }
  return time;
}

const EnvironmentPolicy& ServeConfig::PolicyFor(const std::string& name) const {
  auto found = environments.find(name);
  return found == environments.end() ? defaults : found->second;
}

std::string ServeConfig::LinkBase() const {
  std::string base = public_url.empty() ? "http://" + listen : public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

}  // namespace pgtwin
