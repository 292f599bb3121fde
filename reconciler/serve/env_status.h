#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/spec.h"
#include "model/status.h"
#include "reconciler/report/reconcile_report.h"

namespace pgtwin {

using WallTime = std::chrono::system_clock::time_point;

// `time` in UTC through strftime's `format` (e.g. "%Y-%m-%dT%H:%M:%SZ").
std::string FormatUtc(WallTime time, const char* format);

// Where an environment stands after its last pass (docs/cli.md, "serve").
enum class EnvState {
  kPending,    // no pass has finished yet
  kReady,      // Test matches the spec (converged, or in sync)
  kDrifted,    // differences found and left in place (plan-only, outside the window, blocked)
  kDegraded,   // the pass failed (a site down, an action failed, INT unreachable): retrying
  kStalled,    // the spec does not validate: waiting for the file to change
  kSuspended,  // suspended in the config: no passes
};

// "Pending", "Ready", "Drifted", "Degraded", "Stalled", "Suspended".
std::string_view EnvStateName(EnvState state);

// How one pass ended, as counted in metrics.
enum class PassResult {
  kConverged,  // applied and verified, or nothing to do
  kDrift,      // planned only, and changes are pending
  kFailed,     // not converged: a site or an action failed
  kError,      // stopped before planning (INT unreachable, ...)
  kInvalid,    // the spec does not validate
};

// "converged", "drift", "failed", "error", "invalid".
std::string_view PassResultName(PassResult result);

// One finished pass, as kept in an environment's history.
struct PassRecord {
  uint64_t number = 0;        // 1, 2, ... per environment
  std::string trigger;        // "start", "interval", "spec changed", "retry", "api", "config"
  WallTime started;
  double duration_seconds = 0;
  bool applied = false;       // false: planned only (dry run)
  PassResult result = PassResult::kConverged;
  std::string summary;        // one line
  std::map<std::string, size_t> drift;  // differences found, by kind word
  size_t unmanaged = 0;
  OutcomeCounts outcomes;
};

// What one pass returned, before it is classified: spec errors, an error status, or a report.
struct PassInput {
  std::vector<SpecError> spec_errors;
  Status error;
  ReconcileReport report;
  bool dry_run = false;
  std::string dry_run_reason;  // why it only planned: "PlanOnly", "OutsideApplyWindow"
};

// A state with its reason (CamelCase) and message (one line).
struct StateVerdict {
  EnvState state = EnvState::kPending;
  PassResult result = PassResult::kConverged;
  std::string reason;
  std::string message;
  bool retry = false;  // the next pass comes after a backoff, not the interval
};

// Decides the state after a pass (pure). Spec errors: Stalled (SpecInvalid, the first error as
// file:line:col). An error status: Degraded (PassFailed). A site not planned: Degraded
// (SiteUnreachable). An apply that failed: Degraded (ActionsFailed). Applied and converged:
// Ready (Converged). A dry run with changes: Drifted (its dry_run_reason); blocked actions only:
// Drifted (BlockedByPolicy); nothing to do: Ready (InSync).
StateVerdict ClassifyPass(const PassInput& pass);

// A change of an environment's state, for listeners (notifications, logs).
struct StateChange {
  std::string environment;
  EnvState old_state = EnvState::kPending;
  EnvState new_state = EnvState::kPending;
  std::string reason;
  std::string summary;  // what changed, one line
  WallTime at;
};

struct EnvStatus;

// Hears every StateChange of every environment; called outside the status lock, from the
// worker that ran the pass. Implementations must be thread-safe and must not block long.
class StateListener {
 public:
  virtual ~StateListener() = default;
  virtual void OnStateChange(const StateChange& change) = 0;
  // The summary of every environment (the daily summary of `pgtwin serve`), sorted by name;
  // called from the daemon's main thread. Ignored unless overridden.
  virtual void OnSummary(const std::vector<EnvStatus>& environments) { (void)environments; }
};

// Everything known about one environment: what the API shows.
struct EnvStatus {
  std::string name;       // the spec file's stem
  std::string spec_file;  // its path
  EnvState state = EnvState::kPending;
  std::string reason;
  std::string message;
  std::string policy;     // "apply", "plan-only", "suspended" (with the window, when set)
  bool reconciling = false;
  std::optional<WallTime> reconciling_since;
  std::optional<WallTime> last_transition;
  std::optional<WallTime> last_success;  // last pass that ended Ready
  int failures = 0;                      // consecutive Degraded passes
  std::optional<WallTime> next_pass;     // when the next scheduled pass is due
  std::map<std::string, size_t> drift;   // last pass's differences by kind
  std::vector<SpecError> spec_errors;    // when Stalled
  std::optional<ReconcileReport> last_report;  // last plan and its outcomes
  std::deque<PassRecord> passes;         // newest last
};

// Records a finished pass in `status` (history trimmed to `history`), sets its state from
// `verdict` and returns the change when the state is new.
std::optional<StateChange> RecordPass(EnvStatus* status, PassRecord record,
                                      const StateVerdict& verdict, PassInput pass,
                                      size_t history);

}  // namespace pgtwin
