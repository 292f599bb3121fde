#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "reconciler/serve/env_status.h"

namespace pgtwin {

// The counters of `pgtwin serve` (thread-safe) and their rendering in the Prometheus text
// format (docs/cli.md, "serve"): passes by environment and result, a pass duration histogram
// per environment, actions by environment, kind and result; gauges (ready, state, drift by
// kind, last success, reconciling) come from the environments' statuses at render time; the
// replication daemons' gauges (running, worker lag) from each environment's last report.
class ServeMetrics {
 public:
  // Counts one finished pass and, when it applied, the outcome of each action of `report`;
  // keeps the report's daemons (none when the pass has no report) for the daemon gauges.
  void RecordPass(const std::string& environment, const PassRecord& record,
                  const ReconcileReport* report);

  // The exposition text: counters, then gauges of `statuses` (sorted by name).
  std::string Render(const std::vector<EnvStatus>& statuses) const;

  // Upper bounds of the pass duration histogram, in seconds (+Inf is implied).
  static const std::vector<double>& DurationBuckets();

 private:
  struct Histogram {
    std::vector<uint64_t> counts;  // per bucket, not cumulative
    uint64_t total = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, uint64_t> passes_;  // (environment, result)
  std::map<std::string, Histogram> durations_;                       // by environment
  // (environment, kind, result)
  std::map<std::tuple<std::string, std::string, std::string>, uint64_t> actions_;
  std::map<std::string, std::vector<DaemonStatus>> daemons_;  // by environment, last pass
};

// `value` escaped for a Prometheus label value (backslash, double quote, newline).
std::string EscapeLabel(const std::string& value);

}  // namespace pgtwin
