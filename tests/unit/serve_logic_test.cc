// Pure logic of `pgtwin serve`: backoff, apply windows, state transitions, metrics text.
#include <gtest/gtest.h>

#include <chrono>

#include "model/serve_config.h"
#include "reconciler/serve/backoff.h"
#include "reconciler/serve/env_status.h"
#include "reconciler/serve/metrics.h"

namespace pgtwin {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ServeBackoff, DoublesUpToTheCapWithJitter) {
  EXPECT_EQ(BackoffDelay(1, seconds(5), seconds(300), 0.5), milliseconds(5000));
  EXPECT_EQ(BackoffDelay(2, seconds(5), seconds(300), 0.5), milliseconds(10000));
  EXPECT_EQ(BackoffDelay(4, seconds(5), seconds(300), 0.5), milliseconds(40000));
  EXPECT_EQ(BackoffDelay(30, seconds(5), seconds(300), 0.5), milliseconds(300000));
  EXPECT_EQ(BackoffDelay(1, seconds(5), seconds(300), 0.0), milliseconds(4000));
  EXPECT_EQ(BackoffDelay(2, seconds(5), seconds(300), 0.999999), milliseconds(11999));
  // Jitter never goes above the cap, and nothing below one second.
  EXPECT_EQ(BackoffDelay(30, seconds(5), seconds(300), 0.99), milliseconds(300000));
  EXPECT_EQ(BackoffDelay(1, seconds(1), seconds(1), 0.0), milliseconds(1000));
  EXPECT_EQ(BackoffDelay(1000000, seconds(5), seconds(60), 0.5), milliseconds(60000));
}

TEST(ServeWindow, ParsesAndContains) {
  StatusOr<ApplyWindow> night = ParseApplyWindow("22-06");
  ASSERT_TRUE(night.ok());
  EXPECT_TRUE(night->Contains(22));
  EXPECT_TRUE(night->Contains(0));
  EXPECT_TRUE(night->Contains(5));
  EXPECT_FALSE(night->Contains(6));
  EXPECT_FALSE(night->Contains(12));
  EXPECT_EQ(night->ToString(), "22-06");
  StatusOr<ApplyWindow> day = ParseApplyWindow("9-17");
  ASSERT_TRUE(day.ok());
  EXPECT_TRUE(day->Contains(9));
  EXPECT_FALSE(day->Contains(17));
  EXPECT_TRUE(ParseApplyWindow("0-24")->Contains(23));
  EXPECT_EQ(ParseApplyWindow("22").status().message(),
            "'22' is not a window of hours (write START-END, e.g. 22-06)");
  EXPECT_EQ(ParseApplyWindow("5-5").status().message(), "'5-5': the window is empty");
  EXPECT_EQ(ParseApplyWindow("24-3").status().message(),
            "'24-3': hours go from 0 to 23 (24 only as an end)");
  EXPECT_FALSE(ParseApplyWindow("1-2x").ok());
  EXPECT_FALSE(ParseApplyWindow("").ok());
}

Action MakeAction(ObjectKind kind, std::string blocked = "") {
  Action action;
  action.site = "dc1";
  action.kind = kind;
  action.key = "table:public.t";
  action.blocked_by = std::move(blocked);
  return action;
}

TEST(ServeStates, ClassifiesEachKindOfPass) {
  PassInput invalid;
  invalid.spec_errors = {{{"qa1.yaml", 3, 7}, "unknown key 'x'"}, {{"qa1.yaml", 9, 1}, "y"}};
  StateVerdict verdict = ClassifyPass(invalid);
  EXPECT_EQ(verdict.state, EnvState::kStalled);
  EXPECT_EQ(verdict.reason, "SpecInvalid");
  EXPECT_EQ(verdict.message, "qa1.yaml:3:7: unknown key 'x' (and 1 more)");
  EXPECT_FALSE(verdict.retry);

  PassInput error;
  error.error = Status(StatusCode::kConnectionFailed, "INT down");
  verdict = ClassifyPass(error);
  EXPECT_EQ(verdict.state, EnvState::kDegraded);
  EXPECT_EQ(verdict.result, PassResult::kError);
  EXPECT_TRUE(verdict.retry);

  PassInput down;
  down.report.sites = {{"dc1", "postgresql://h:1", "could not connect"}};
  verdict = ClassifyPass(down);
  EXPECT_EQ(verdict.state, EnvState::kDegraded);
  EXPECT_EQ(verdict.reason, "SiteUnreachable");
  EXPECT_EQ(verdict.message, "site dc1: could not connect");

  PassInput converged;
  converged.report.sites = {{"dc1", "postgresql://h:1", ""}};
  converged.report.plan.actions = {MakeAction(ObjectKind::kTable)};
  converged.report.applied = true;
  converged.report.outcomes = {{0, ActionState::kDone, ""}};
  converged.report.verification = Verification{{{"dc1", "postgresql://h:1", ""}}, {}};
  verdict = ClassifyPass(converged);
  EXPECT_EQ(verdict.state, EnvState::kReady);
  EXPECT_EQ(verdict.reason, "Converged");
  EXPECT_EQ(verdict.message, "1 actions done");

  PassInput failed = converged;
  failed.report.outcomes = {{0, ActionState::kFailed, "site dc1: boom"}};
  failed.report.verification.reset();
  verdict = ClassifyPass(failed);
  EXPECT_EQ(verdict.state, EnvState::kDegraded);
  EXPECT_EQ(verdict.reason, "ActionsFailed");
  EXPECT_EQ(verdict.message, "0 done, 1 failed, 0 skipped: site dc1: boom");

  PassInput drift;
  drift.report.sites = converged.report.sites;
  drift.report.plan.actions = {MakeAction(ObjectKind::kTable)};
  drift.dry_run = true;
  drift.dry_run_reason = "OutsideApplyWindow";
  verdict = ClassifyPass(drift);
  EXPECT_EQ(verdict.state, EnvState::kDrifted);
  EXPECT_EQ(verdict.reason, "OutsideApplyWindow");
  EXPECT_FALSE(verdict.retry);

  PassInput blocked = converged;
  blocked.report.plan.actions = {MakeAction(ObjectKind::kTable, "protected")};
  blocked.report.outcomes = {{0, ActionState::kSkipped, "blocked"}};
  blocked.report.verification.reset();
  verdict = ClassifyPass(blocked);
  EXPECT_EQ(verdict.state, EnvState::kDrifted);
  EXPECT_EQ(verdict.reason, "BlockedByPolicy");

  PassInput in_sync;
  in_sync.report.sites = converged.report.sites;
  in_sync.dry_run = true;
  verdict = ClassifyPass(in_sync);
  EXPECT_EQ(verdict.state, EnvState::kReady);
  EXPECT_EQ(verdict.reason, "InSync");
}

TEST(ServeStates, RecordsPassesAndReportsOnlyChanges) {
  EnvStatus status;
  status.name = "qa1";
  PassInput down;
  down.report.sites = {{"dc1", "postgresql://h:1", "could not connect"}};
  StateVerdict verdict = ClassifyPass(down);
  PassRecord record;
  record.started = WallTime(std::chrono::seconds(1000));
  std::optional<StateChange> change = RecordPass(&status, record, verdict, down, 2);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->old_state, EnvState::kPending);
  EXPECT_EQ(change->new_state, EnvState::kDegraded);
  EXPECT_EQ(change->environment, "qa1");
  EXPECT_EQ(status.failures, 1);
  EXPECT_FALSE(RecordPass(&status, record, verdict, down, 2).has_value());
  EXPECT_EQ(status.failures, 2);

  PassInput ok;
  ok.report.sites = {{"dc1", "postgresql://h:1", ""}};
  change = RecordPass(&status, record, ClassifyPass(ok), ok, 2);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->new_state, EnvState::kReady);
  EXPECT_EQ(status.failures, 0);
  EXPECT_EQ(status.passes.size(), 2u);
  ASSERT_TRUE(status.last_success.has_value());
  EXPECT_TRUE(status.last_report.has_value());
}

TEST(ServeMetricsText, RendersCountersHistogramAndGauges) {
  ServeMetrics metrics;
  PassRecord record;
  record.result = PassResult::kConverged;
  record.duration_seconds = 0.3;
  ReconcileReport report;
  report.applied = true;
  report.plan.actions = {MakeAction(ObjectKind::kTable)};
  report.outcomes = {{0, ActionState::kDone, ""}};
  metrics.RecordPass("qa\"1", record, &report);
  record.result = PassResult::kFailed;
  record.duration_seconds = 7;
  metrics.RecordPass("qa\"1", record, nullptr);

  EnvStatus status;
  status.name = "qa\"1";
  status.state = EnvState::kReady;
  status.drift = {{"table", 3}};
  status.last_success = WallTime(std::chrono::seconds(1700000000));
  std::string text = metrics.Render({status});
  EXPECT_NE(text.find("# TYPE pgtwin_passes_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("pgtwin_passes_total{environment=\"qa\\\"1\",result=\"converged\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("pgtwin_passes_total{environment=\"qa\\\"1\",result=\"failed\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("pgtwin_pass_duration_seconds_bucket{environment=\"qa\\\"1\",le=\"0.25\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("pgtwin_pass_duration_seconds_bucket{environment=\"qa\\\"1\",le=\"0.5\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("pgtwin_pass_duration_seconds_bucket{environment=\"qa\\\"1\",le=\"10\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("pgtwin_pass_duration_seconds_bucket{environment=\"qa\\\"1\",le=\"+Inf\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("pgtwin_pass_duration_seconds_count{environment=\"qa\\\"1\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("pgtwin_actions_total{environment=\"qa\\\"1\",kind=\"table\","
                      "result=\"done\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("pgtwin_environment_ready{environment=\"qa\\\"1\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("pgtwin_drift_objects{environment=\"qa\\\"1\",kind=\"table\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("pgtwin_last_success_timestamp_seconds{environment=\"qa\\\"1\"} 1700000000\n"),
            std::string::npos);
}

}  // namespace
}  // namespace pgtwin
