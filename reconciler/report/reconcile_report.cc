#include "reconciler/report/reconcile_report.h"

namespace pgtwin {

bool IsKept(const Plan& plan, const UnmanagedObject& object) {
  for (const Action& action : plan.actions) {
    if (action.op == ActionOp::kDrop && action.blocked_by.empty() && action.site == object.site &&
        action.database == object.database && action.key == object.key) {
      return false;
    }
  }
  return true;
}

PlanCounts CountPlan(const Plan& plan) {
  PlanCounts counts;
  for (const UnmanagedObject& object : plan.unmanaged) counts.unmanaged += IsKept(plan, object);
  for (const Action& action : plan.actions) {
    if (!action.blocked_by.empty()) {
      ++counts.blocked;
      continue;
    }
    switch (action.op) {
      case ActionOp::kCreate:
        ++counts.create;
        break;
      case ActionOp::kAlter:
        ++counts.alter;
        break;
      case ActionOp::kReplace:
        ++counts.replace;
        break;
      case ActionOp::kDrop:
        ++counts.drop;
        break;
    }
  }
  return counts;
}

OutcomeCounts CountOutcomes(const std::vector<ActionOutcome>& outcomes) {
  OutcomeCounts counts;
  for (const ActionOutcome& outcome : outcomes) {
    switch (outcome.state) {
      case ActionState::kDone:
        ++counts.done;
        break;
      case ActionState::kFailed:
        ++counts.failed;
        break;
      case ActionState::kSkipped:
        ++counts.skipped;
        break;
    }
  }
  return counts;
}

size_t FailedSites(const ReconcileReport& report) {
  size_t failed = 0;
  for (const SiteResult& site : report.sites) failed += !site.error.empty();
  return failed;
}

bool Verified(const ReconcileReport& report) {
  if (!report.verification) return report.plan.actions.empty();
  for (const SiteResult& site : report.verification->sites) {
    if (!site.error.empty()) return false;
  }
  return report.verification->remaining.actions.empty();
}

bool Converged(const ReconcileReport& report) {
  if (!report.applied || FailedSites(report) > 0) return false;
  if (report.outcomes.size() != report.plan.actions.size()) return false;
  return CountOutcomes(report.outcomes).done == report.outcomes.size() && Verified(report);
}

std::string_view ActionOpName(ActionOp op) {
  switch (op) {
    case ActionOp::kCreate:
      return "create";
    case ActionOp::kAlter:
      return "alter";
    case ActionOp::kReplace:
      return "replace";
    case ActionOp::kDrop:
      return "drop";
  }
  return "alter";
}

std::string_view ActionOpMarker(ActionOp op) {
  switch (op) {
    case ActionOp::kCreate:
      return "+";
    case ActionOp::kAlter:
      return "~";
    case ActionOp::kReplace:
      return "-/+";
    case ActionOp::kDrop:
      return "-";
  }
  return "~";
}

std::string_view RiskName(Risk risk) { return risk == Risk::kSafe ? "safe" : "destructive"; }

std::string_view ActionStateName(ActionState state) {
  switch (state) {
    case ActionState::kDone:
      return "done";
    case ActionState::kFailed:
      return "failed";
    case ActionState::kSkipped:
      return "skipped";
  }
  return "failed";
}

}  // namespace pgtwin
