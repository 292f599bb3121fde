#include "reconciler/serve/env_status.h"

#include <ctime>
#include <utility>

namespace pgtwin {

std::string FormatUtc(WallTime time, const char* format) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::strftime(text, sizeof text, format, &utc);
  return text;
}
namespace {

std::string PlanSummary(const PlanCounts& counts) {
  return std::to_string(counts.create) + " to create, " + std::to_string(counts.alter) +
         " to change, " + std::to_string(counts.replace) + " to replace, " +
         std::to_string(counts.drop) + " to drop, " + std::to_string(counts.blocked) +
         " blocked";
}

// The first failed action's error, when there is one.
std::string FirstActionError(const ReconcileReport& report) {
  for (const ActionOutcome& outcome : report.outcomes) {
    if (outcome.state == ActionState::kFailed) return outcome.error;
  }
  return "";
}

// True when what an apply left different is only what policy blocks.
bool OnlyBlockedRemain(const ReconcileReport& report) {
  if (!report.verification) return true;
  for (const SiteResult& site : report.verification->sites) {
    if (!site.error.empty()) return false;
  }
  for (const Action& action : report.verification->remaining.actions) {
    if (action.blocked_by.empty()) return false;
  }
  return true;
}

}  // namespace

std::string_view EnvStateName(EnvState state) {
  switch (state) {
    case EnvState::kPending: return "Pending";
    case EnvState::kReady: return "Ready";
    case EnvState::kDrifted: return "Drifted";
    case EnvState::kDegraded: return "Degraded";
    case EnvState::kStalled: return "Stalled";
    case EnvState::kSuspended: return "Suspended";
  }
  return "Pending";
}

std::string_view PassResultName(PassResult result) {
  switch (result) {
    case PassResult::kConverged: return "converged";
    case PassResult::kDrift: return "drift";
    case PassResult::kFailed: return "failed";
    case PassResult::kError: return "error";
    case PassResult::kInvalid: return "invalid";
  }
  return "error";
}

StateVerdict ClassifyPass(const PassInput& pass) {
  StateVerdict verdict;
  if (!pass.spec_errors.empty()) {
    verdict.state = EnvState::kStalled;
    verdict.result = PassResult::kInvalid;
    verdict.reason = "SpecInvalid";
    verdict.message = pass.spec_errors.front().ToString();
    if (pass.spec_errors.size() > 1) {
      verdict.message += " (and " + std::to_string(pass.spec_errors.size() - 1) + " more)";
    }
    return verdict;
  }
  if (!pass.error.ok()) {
    verdict.state = EnvState::kDegraded;
    verdict.result = PassResult::kError;
    verdict.reason = "PassFailed";
    verdict.message = pass.error.message();
    verdict.retry = true;
    return verdict;
  }
  const ReconcileReport& report = pass.report;
  for (const SiteResult& site : report.sites) {
    if (site.error.empty()) continue;
    verdict.state = EnvState::kDegraded;
    verdict.result = PassResult::kFailed;
    verdict.reason = "SiteUnreachable";
    verdict.message = "site " + site.name + ": " + site.error;
    verdict.retry = true;
    return verdict;
  }
  PlanCounts counts = CountPlan(report.plan);
  if (report.applied) {
    OutcomeCounts outcomes = CountOutcomes(report.outcomes);
    if (outcomes.failed > 0 || (!Converged(report) && outcomes.skipped > counts.blocked)) {
      verdict.state = EnvState::kDegraded;
      verdict.result = PassResult::kFailed;
      verdict.reason = "ActionsFailed";
      verdict.message = std::to_string(outcomes.done) + " done, " +
                        std::to_string(outcomes.failed) + " failed, " +
                        std::to_string(outcomes.skipped) + " skipped";
      if (std::string first = FirstActionError(report); !first.empty()) {
        verdict.message += ": " + first;
      }
      verdict.retry = true;
      return verdict;
    }
    if (counts.blocked > 0 && OnlyBlockedRemain(report)) {
      verdict.state = EnvState::kDrifted;
      verdict.result = PassResult::kDrift;
      verdict.reason = "BlockedByPolicy";
      verdict.message = std::to_string(outcomes.done) + " done; " +
                        std::to_string(counts.blocked) + " blocked by policy";
      return verdict;
    }
    if (!Verified(report)) {
      verdict.state = EnvState::kDegraded;
      verdict.result = PassResult::kFailed;
      verdict.reason = "NotConverged";
      verdict.message = "observed again after the apply, Test still differs";
      verdict.retry = true;
      return verdict;
    }
    verdict.state = EnvState::kReady;
    verdict.reason = "Converged";
    verdict.message = outcomes.done == 0 ? "in sync"
                                         : std::to_string(outcomes.done) + " actions done";
    return verdict;
  }
  if (counts.Changes() > 0) {
    verdict.state = EnvState::kDrifted;
    verdict.result = PassResult::kDrift;
    verdict.reason = pass.dry_run_reason.empty() ? "PlanOnly" : pass.dry_run_reason;
    verdict.message = PlanSummary(counts);
    return verdict;
  }
  if (counts.blocked > 0) {
    verdict.state = EnvState::kDrifted;
    verdict.result = PassResult::kDrift;
    verdict.reason = "BlockedByPolicy";
    verdict.message = PlanSummary(counts);
    return verdict;
  }
  verdict.state = EnvState::kReady;
  verdict.reason = "InSync";
  verdict.message = "in sync";
  return verdict;
}

std::optional<StateChange> RecordPass(EnvStatus* status, PassRecord record,
                                      const StateVerdict& verdict, PassInput pass,
                                      size_t history) {
  EnvState old_state = status->state;
  bool has_report = pass.spec_errors.empty() && pass.error.ok();
  status->drift = has_report ? record.drift : std::map<std::string, size_t>{};
  status->spec_errors = std::move(pass.spec_errors);
  if (has_report) status->last_report = std::move(pass.report);
  status->failures = verdict.retry ? status->failures + 1 : 0;
  status->state = verdict.state;
  status->reason = verdict.reason;
  status->message = verdict.message;
  WallTime finished = record.started + std::chrono::duration_cast<WallTime::duration>(
                                           std::chrono::duration<double>(record.duration_seconds));
  if (verdict.state == EnvState::kReady) status->last_success = finished;
  status->passes.push_back(std::move(record));
  while (status->passes.size() > history) status->passes.pop_front();
  if (old_state == verdict.state) return std::nullopt;
  status->last_transition = finished;
  return StateChange{status->name, old_state, verdict.state, verdict.reason, verdict.message,
                     finished};
}

}  // namespace pgtwin
