#pragma once

#include <vector>

#include "model/plan.h"
#include "model/status.h"

namespace pgtwin {

// Runs single actions somewhere (a PostgreSQL instance, a fake in unit tests).
class ActionRunner {
 public:
  virtual ~ActionRunner() = default;
  // Runs all statements of `action` (in one transaction when `action.in_transaction`).
  // A non-ok status is one line naming the site and database.
  virtual Status Run(const Action& action) = 0;
};

// Runs the plan's actions in order. An action whose dependency failed or was skipped, or that
// policy blocks, is skipped; every other action runs, so the rest converges. Returns one
// outcome per action, in plan order.
std::vector<ActionOutcome> ApplyPlan(const Plan& plan, ActionRunner& runner);

}  // namespace pgtwin
