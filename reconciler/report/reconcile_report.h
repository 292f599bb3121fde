#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/daemon.h"
#include "model/plan.h"

namespace pgtwin {

// One Test site of a reconcile run, and whether it could be planned.
struct SiteResult {
  std::string name;    // "dc1"
  std::string server;  // safe to print: "postgresql://postgres@qa1-db1:5432"
  std::string error;   // "" when observed; else why it was not planned (one line)
};

// What an apply's check found: the sites where actions were done, observed and planned again.
struct Verification {
  std::vector<SiteResult> sites;  // observed again (error: could not be)
  Plan remaining;                 // planned from them: what is still different
};

// Everything a reconcile run reports: the sites, the plan and, after apply, the outcomes and
// the verification.
struct ReconcileReport {
  std::string environment;
  std::vector<SiteResult> sites;
  Plan plan;
  bool applied = false;                 // false for --dry-run (and when apply did not start)
  std::vector<ActionOutcome> outcomes;  // when applied: one per action, in plan order
  std::optional<Verification> verification;  // when applied and some action was done
  // The replication daemons the spec's `workers` has pgtwin run, as found at the end of the
  // pass (after the apply, if any): running or not, lag and last error.
  std::vector<DaemonStatus> daemons;
};

// Counts of a plan. Blocked actions count only as blocked: they do not run.
struct PlanCounts {
  size_t create = 0;
  size_t alter = 0;
  size_t replace = 0;
  size_t drop = 0;
  size_t unmanaged = 0;  // unmanaged objects kept (see IsKept)
  size_t blocked = 0;

  size_t Changes() const { return create + alter + replace + drop; }
};

// Counts of apply outcomes.
struct OutcomeCounts {
  size_t done = 0;
  size_t failed = 0;
  size_t skipped = 0;
};

PlanCounts CountPlan(const Plan& plan);

// True when the plan leaves an unmanaged object in place: no drop action of it (same site,
// database and key) that policy lets run.
bool IsKept(const Plan& plan, const UnmanagedObject& object);
OutcomeCounts CountOutcomes(const std::vector<ActionOutcome>& outcomes);

// Sites that could not be planned.
size_t FailedSites(const ReconcileReport& report);

// True when Test is known to match the desired state on every planned site after the apply:
// the plan had no action, or the verification observed every site again and planned nothing.
bool Verified(const ReconcileReport& report);

// True after an apply in which every site was planned, every action is done and the result
// is verified.
bool Converged(const ReconcileReport& report);

// "create", "alter", "replace", "drop".
std::string_view ActionOpName(ActionOp op);
// "+", "~", "-/+", "-".
std::string_view ActionOpMarker(ActionOp op);
// "safe", "destructive".
std::string_view RiskName(Risk risk);
// "done", "failed", "skipped".
std::string_view ActionStateName(ActionState state);

}  // namespace pgtwin
