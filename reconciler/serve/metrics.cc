#include "reconciler/serve/metrics.h"

#include <chrono>
#include <cstdio>
#include <sstream>
#include <tuple>

namespace pgtwin {
namespace {

std::string Number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

void Header(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

std::string Label(const char* name, const std::string& value) {
  return std::string(name) + "=\"" + EscapeLabel(value) + "\"";
}

}  // namespace

std::string EscapeLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

const std::vector<double>& ServeMetrics::DurationBuckets() {
  static const std::vector<double> buckets = {0.1, 0.25, 0.5, 1,   2.5, 5,   10,
                                              30,  60,   120, 300, 600, 1800};
  return buckets;
}

void ServeMetrics::RecordPass(const std::string& environment, const PassRecord& record,
                              const ReconcileReport* report) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++passes_[{environment, std::string(PassResultName(record.result))}];
  Histogram& histogram = durations_[environment];
  const std::vector<double>& bounds = DurationBuckets();
  histogram.counts.resize(bounds.size() + 1);
  size_t bucket = 0;
  while (bucket < bounds.size() && record.duration_seconds > bounds[bucket]) ++bucket;
  ++histogram.counts[bucket];
  ++histogram.total;
  histogram.sum += record.duration_seconds;
  if (report == nullptr) {
    daemons_.erase(environment);
    return;
  }
  daemons_[environment] = report->daemons;
  if (!report->applied) return;
  for (size_t i = 0; i < report->outcomes.size() && i < report->plan.actions.size(); ++i) {
    ++actions_[{environment, std::string(KindName(report->plan.actions[i].kind)),
                std::string(ActionStateName(report->outcomes[i].state))}];
  }
}

std::string ServeMetrics::Render(const std::vector<EnvStatus>& statuses) const {
  std::ostringstream out;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Header(out, "pgtwin_passes_total", "counter", "Reconcile passes by environment and result.");
    for (const auto& [key, count] : passes_) {
      out << "pgtwin_passes_total{" << Label("environment", key.first) << ','
          << Label("result", key.second) << "} " << count << '\n';
    }
    Header(out, "pgtwin_pass_duration_seconds", "histogram", "Duration of reconcile passes.");
    const std::vector<double>& bounds = DurationBuckets();
    for (const auto& [environment, histogram] : durations_) {
      std::string env = Label("environment", environment);
      uint64_t cumulative = 0;
      for (size_t i = 0; i <= bounds.size(); ++i) {
        cumulative += histogram.counts[i];
        std::string le = i < bounds.size() ? Number(bounds[i]) : "+Inf";
        out << "pgtwin_pass_duration_seconds_bucket{" << env << ",le=\"" << le << "\"} "
            << cumulative << '\n';
      }
      out << "pgtwin_pass_duration_seconds_sum{" << env << "} " << Number(histogram.sum) << '\n';
      out << "pgtwin_pass_duration_seconds_count{" << env << "} " << histogram.total << '\n';
    }
    Header(out, "pgtwin_actions_total", "counter",
           "Applied actions by environment, object kind and result.");
    for (const auto& [key, count] : actions_) {
      out << "pgtwin_actions_total{" << Label("environment", std::get<0>(key)) << ','
          << Label("kind", std::get<1>(key)) << ',' << Label("result", std::get<2>(key)) << "} "
          << count << '\n';
    }
    Header(out, "pgtwin_daemon_running", "gauge",
           "1 when the replication daemon runs, as the environment's last pass found it.");
    for (const EnvStatus& status : statuses) {
      auto found = daemons_.find(status.name);
      if (found == daemons_.end()) continue;
      for (const DaemonStatus& daemon : found->second) {
        out << "pgtwin_daemon_running{" << Label("environment", status.name) << ','
            << Label("daemon", daemon.name) << "} " << (daemon.running ? 1 : 0) << '\n';
      }
    }
    Header(out, "pgtwin_worker_lag_seconds", "gauge",
           "How far a Londiste worker is behind its provider (a root: its queue's ticker lag), "
           "when known.");
    for (const EnvStatus& status : statuses) {
      auto found = daemons_.find(status.name);
      if (found == daemons_.end()) continue;
      for (const DaemonStatus& daemon : found->second) {
        if (!daemon.lag_seconds) continue;
        out << "pgtwin_worker_lag_seconds{" << Label("environment", status.name) << ','
            << Label("daemon", daemon.name) << "} " << Number(*daemon.lag_seconds) << '\n';
      }
    }
  }
  Header(out, "pgtwin_environment_ready", "gauge", "1 when the environment is Ready.");
  for (const EnvStatus& status : statuses) {
    out << "pgtwin_environment_ready{" << Label("environment", status.name) << "} "
        << (status.state == EnvState::kReady ? 1 : 0) << '\n';
  }
  Header(out, "pgtwin_environment_state", "gauge", "1 for the environment's current state.");
  for (const EnvStatus& status : statuses) {
    out << "pgtwin_environment_state{" << Label("environment", status.name) << ','
        << Label("state", std::string(EnvStateName(status.state))) << "} 1\n";
  }
  Header(out, "pgtwin_environment_reconciling", "gauge", "1 while a pass runs.");
  for (const EnvStatus& status : statuses) {
    out << "pgtwin_environment_reconciling{" << Label("environment", status.name) << "} "
        << (status.reconciling ? 1 : 0) << '\n';
  }
  Header(out, "pgtwin_drift_objects", "gauge",
         "Differences the last pass found, by environment and object kind.");
  for (const EnvStatus& status : statuses) {
    for (const auto& [kind, count] : status.drift) {
      out << "pgtwin_drift_objects{" << Label("environment", status.name) << ','
          << Label("kind", kind) << "} " << count << '\n';
    }
  }
  Header(out, "pgtwin_last_success_timestamp_seconds", "gauge",
         "Unix time of the last pass that ended Ready.");
  for (const EnvStatus& status : statuses) {
    if (!status.last_success) continue;
    double seconds =
        std::chrono::duration<double>(status.last_success->time_since_epoch()).count();
    out << "pgtwin_last_success_timestamp_seconds{" << Label("environment", status.name) << "} "
        << Number(seconds) << '\n';
  }
  return out.str();
}

}  // namespace pgtwin
