#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/status.h"

namespace pgtwin {

// Hours of the day (local time of the host) in which `pgtwin serve` may apply: from
// start_hour (inclusive) to end_hour (exclusive), wrapping past midnight when end < start
// ("22-06": 22:00 to 05:59).
struct ApplyWindow {
  int start_hour = 0;
  int end_hour = 24;

  // True when `hour` (0-23) is inside the window.
  bool Contains(int hour) const;
  // "22-06".
  std::string ToString() const;
};

// Parses "START-END" (start 0-23, end 0-24, start != end) into a window; the error says what
// is wrong with `text`.
StatusOr<ApplyWindow> ParseApplyWindow(const std::string& text);

// A time of day (local time of the host), minute precision: "08:00".
struct DailyTime {
  int hour = 0;    // 0-23
  int minute = 0;  // 0-59

  // "08:00".
  std::string ToString() const;
};

// Parses "HH:MM" (hour 0-23, one or two digits; minute 00-59, two digits); the error says what
// is wrong with `text`.
StatusOr<DailyTime> ParseDailyTime(const std::string& text);

// What `pgtwin serve` does with one environment.
struct EnvironmentPolicy {
  bool apply = true;       // `policy: apply`; false: `policy: plan-only` (report drift only)
  bool suspended = false;  // no passes at all until unsuspended
  std::optional<ApplyWindow> window;  // applying only inside it; plan only outside
};

// A webhook receiving the state changes of `pgtwin serve` (docs/cli.md, "serve"). `url` is a
// secret (chat webhook URLs carry their token): only the sender sees it; logs and the API
// show `name` and `format`.
struct NotifyTarget {
  std::string name;             // unique among the targets
  std::string url;              // http:// or https://
  std::string format = "json";  // "slack", "teams" or "json"
};

// The configuration of `pgtwin serve` (docs/cli.md, "serve"). `token` and the notify targets'
// URLs are secrets: never logged or returned by the API.
struct ServeConfig {
  std::string file;                     // the config file as given ("" without one)
  std::string specs_dir;                // directory of ENV.yaml spec files
  int interval_seconds = 300;           // a pass of every environment at least this often
  int max_concurrent = 2;               // passes running at once, all environments together
  std::string listen = "127.0.0.1:8470";  // host:port of the REST API
  std::string token;                    // bearer token for POST requests; "" disables them
  std::string log_format = "text";      // "text" or "json"
  int backoff_initial_seconds = 5;      // first retry after an error
  int backoff_max_seconds = 300;        // retries never wait longer
  int history = 20;                     // passes kept per environment
  int shutdown_grace_seconds = 30;      // on SIGTERM, how long running passes may finish
  int lock_timeout_seconds = 60;        // wait for another reconcile's lock on a site
  EnvironmentPolicy defaults;           // for environments not listed
  std::map<std::string, EnvironmentPolicy> environments;  // by environment name (file stem)
  std::vector<NotifyTarget> notify;     // webhooks told of every change of state
  std::string public_url;               // base of links in messages; "" = http://<listen>
  std::optional<DailyTime> daily_summary;  // the summary to every notify target daily; or off

  // The base URL messages link to, without a trailing slash: public_url, or "http://" + listen.
  std::string LinkBase() const;

  // The policy of environment `name`.
  const EnvironmentPolicy& PolicyFor(const std::string& name) const;
};

}  // namespace pgtwin
