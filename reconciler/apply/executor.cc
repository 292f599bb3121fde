#include "reconciler/apply/executor.h"

#include <map>
#include <string>

namespace pgtwin {
namespace {

std::string StateWord(ActionState state) {
  return state == ActionState::kFailed ? "failed" : "was skipped";
}

// Why `action` must not run given the outcomes so far, or "" when it may run.
std::string SkipReason(const Action& action, const std::map<int, ActionOutcome>& outcomes,
                       const std::map<int, const Action*>& by_id) {
  if (!action.blocked_by.empty()) return "blocked by policy: " + action.blocked_by;
  for (int dependency : action.depends_on) {
    auto outcome = outcomes.find(dependency);
    auto found = by_id.find(dependency);
    std::string name = "action " + std::to_string(dependency);
    if (found != by_id.end()) name += " (" + found->second->key + ")";
    if (outcome == outcomes.end()) {
      // A plan lists dependencies first; anything else is a planner bug, never run blindly.
      return "depends on " + name + ", which does not come before it in the plan";
    }
    if (outcome->second.state != ActionState::kDone) {
      return "depends on " + name + ", which " + StateWord(outcome->second.state);
    }
  }
  return "";
}

}  // namespace

std::vector<ActionOutcome> ApplyPlan(const Plan& plan, ActionRunner& runner) {
  std::map<int, const Action*> by_id;
  for (const Action& action : plan.actions) by_id[action.id] = &action;

  std::map<int, ActionOutcome> outcomes;
  std::vector<ActionOutcome> result;
  result.reserve(plan.actions.size());
  for (const Action& action : plan.actions) {
    ActionOutcome outcome;
    outcome.action_id = action.id;
    if (std::string reason = SkipReason(action, outcomes, by_id); !reason.empty()) {
      outcome.state = ActionState::kSkipped;
      outcome.error = std::move(reason);
    } else if (Status status = runner.Run(action); !status.ok()) {
      outcome.state = ActionState::kFailed;
      outcome.error = status.message();
    }
    outcomes[action.id] = outcome;
    result.push_back(std::move(outcome));
  }
  return result;
}

}  // namespace pgtwin
