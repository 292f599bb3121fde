#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model/spec.h"
#include "model/status.h"
#include "providers/postgres/plan_runner.h"
#include "reconciler/report/reconcile_report.h"

namespace pgtwin {

// How to run one reconcile pass of an environment (what `pgtwin reconcile` and each pass of
// `pgtwin serve` do).
struct RunOptions {
  bool dry_run = false;            // plan only: nothing is locked or written
  bool prune = false;              // drop unmanaged objects (or policy.prune in the spec)
  std::vector<std::string> sites;  // only these sites; empty: every site
  int lock_timeout = 60;           // seconds to wait for another holder of a site's lock
  RunLimits limits;                // lock_timeout and statement_timeout of applied statements
  int parallel = 4;                // databases read at once per site
  // Called with one line when a site's lock is held by another session and the pass waits.
  std::function<void(const std::string&)> on_wait;
  // Called once the plan is built, before anything is applied (e.g. to print it).
  std::function<void(const ReconcileReport&)> on_plan;
  // Asked before each action of an apply; when it returns true the action is not run and
  // fails as abandoned (its dependents are skipped), so a shutdown stops between actions.
  std::function<bool()> cancelled;
};

// What one pass found and did. `spec_errors` non-empty: the spec (or its Prod snapshot) is
// invalid and nothing was observed; otherwise `report` holds the sites, the plan and, after an
// apply, the outcomes and the verification.
struct RunResult {
  std::vector<SpecError> spec_errors;
  ReconcileReport report;
};

// Loads and checks the spec at `spec_path`, expands it (reading INT's password hashes when
// passwords are managed), observes the selected sites at once (locking them and refusing
// sources unless dry_run), plans and, unless dry_run, applies and verifies. Never prints and
// never exits; a site that fails is reported in the result. A non-ok status is an error that
// stops the pass before planning (INT unreachable, an unknown --site, a bad ignore rule).
StatusOr<RunResult> RunReconcile(const std::string& spec_path, const RunOptions& options);

// Differences of a plan by object kind word ("table": 3): every action, blocked ones included.
std::map<std::string, size_t> DriftByKind(const Plan& plan);

}  // namespace pgtwin
