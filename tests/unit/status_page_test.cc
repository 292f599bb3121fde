// The status page of `pgtwin serve` rendered from made-up environment statuses: escaping,
// states, drift, last pass, the plan's lines and their cap.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "reconciler/serve/status_page.h"

namespace pgtwin {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// 2026-12-07 20:00:00 UTC.
WallTime At(int seconds_after) {
  return WallTime(std::chrono::seconds(1796673600 + seconds_after));
}

Action MakeAction(int id, ActionOp op, const std::string& key) {
  Action action;
  action.id = id;
  action.site = "dc1";
  action.database = "app_db";
  action.op = op;
  action.key = key;
  action.sql = {"CREATE ROLE r PASSWORD " + std::string(kSecretPlaceholder)};
  return action;
}

TEST(HtmlEscape, ReplacesEveryMarkupCharacter) {
  EXPECT_EQ(HtmlEscape("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
  EXPECT_EQ(HtmlEscape("&amp;"), "&amp;amp;");
  EXPECT_EQ(HtmlEscape("plain text, caf\u00e9"), "plain text, caf\u00e9");
  EXPECT_EQ(HtmlEscape(""), "");
}

TEST(StatusPage, ShowsStatesDriftLastPassAndPlan) {
  EnvStatus drifted;
  drifted.name = "good";
  drifted.spec_file = "/etc/pgtwin/specs/good.yaml";
  drifted.state = EnvState::kDrifted;
  drifted.reason = "PlanOnly";
  drifted.message = "0 to create, 1 to change, 0 to replace, 0 to drop, 0 blocked";
  drifted.policy = "plan-only";
  drifted.drift = {{"column", 1}, {"index", 2}};
  PassRecord pass;
  pass.number = 7;
  pass.trigger = "interval";
  pass.started = At(0);
  pass.duration_seconds = 0.25;
  pass.result = PassResult::kDrift;
  drifted.passes.push_back(pass);
  ReconcileReport report;
  report.plan.actions = {MakeAction(0, ActionOp::kAlter, "column:app.customers.note"),
                         MakeAction(1, ActionOp::kCreate, "index:app.customers_name_idx")};
  report.plan.actions[1].blocked_by = "policy forbids <create>";
  drifted.last_report = report;

  EnvStatus stalled;
  stalled.name = "bad";
  stalled.state = EnvState::kStalled;
  stalled.reason = "SpecInvalid";
  stalled.message = "bad.yaml:3:1: unknown key 'bogus'";
  stalled.spec_errors = {SpecError{{"bad.yaml", 3, 1}, "unknown key 'bogus'"}};

  EnvStatus busy;
  busy.name = "new<env>";
  busy.reconciling = true;

  std::string page = RenderStatusPage({stalled, drifted, busy}, At(12));
  EXPECT_THAT(page, HasSubstr("<meta http-equiv=\"refresh\" content=\"10\">"));
  EXPECT_THAT(page, HasSubstr("3 environments, 1 Drifted, 1 Pending, 1 Stalled"));
  EXPECT_THAT(page, HasSubstr("good <span class=\"state Drifted\">Drifted</span>"));
  EXPECT_THAT(page, HasSubstr("<th>Drift</th><td>column 1, index 2</td>"));
  EXPECT_THAT(page, HasSubstr("#7 2026-12-07 20:00:00 UTC (12 s ago), drift in 0.2 s "
                              "(interval, planned only)"));
  EXPECT_THAT(page, HasSubstr("Last plan: 2 actions, planned only"));
  EXPECT_THAT(page, HasSubstr("<span class=\"alter\">~ alter column:app.customers.note  "
                              "(dc1/app_db)</span>\n"));
  EXPECT_THAT(page, HasSubstr("+ create index:app.customers_name_idx  (dc1/app_db)</span>  "
                              "<span class=\"blocked\">[blocked: policy forbids &lt;create&gt;]"));
  // Stalled: the spec error with file:line:col, escaped.
  EXPECT_THAT(page, HasSubstr("<li>bad.yaml:3:1: unknown key &#39;bogus&#39;</li>"));
  EXPECT_THAT(page, Not(HasSubstr("<p class=\"message\">bad.yaml")));  // said once, in the list
  EXPECT_THAT(page, HasSubstr("<span class=\"state Stalled\">Stalled</span>"));
  // Names are escaped; a running pass shows; no SQL (no secret placeholder) anywhere.
  EXPECT_THAT(page, HasSubstr("new&lt;env&gt; <span class=\"state Pending\">Pending</span> "
                              "<span class=\"state Reconciling\">Reconciling</span>"));
  EXPECT_THAT(page, Not(HasSubstr("new<env>")));
  EXPECT_THAT(page, Not(HasSubstr("redacted")));
  EXPECT_THAT(page, Not(HasSubstr("CREATE ROLE")));
  EXPECT_THAT(page, Not(HasSubstr("<script")));
}

TEST(StatusPage, CapsThePlanAtFiftyLines) {
  EnvStatus status;
  status.name = "big";
  status.state = EnvState::kReady;
  ReconcileReport report;
  report.applied = true;
  for (int i = 0; i < 53; ++i) {
    report.plan.actions.push_back(
        MakeAction(i, ActionOp::kCreate, "table:app.t" + std::to_string(i)));
    report.outcomes.push_back(ActionOutcome{i, ActionState::kDone, ""});
  }
  status.last_report = report;
  std::string page = RenderStatusPage({status}, At(0));
  EXPECT_THAT(page, HasSubstr("Last plan: 53 actions, applied"));
  EXPECT_THAT(page, HasSubstr("+ create table:app.t49  (dc1/app_db)</span>  done\n"));
  EXPECT_THAT(page, Not(HasSubstr("table:app.t50")));
  EXPECT_THAT(page, HasSubstr("\u2026 3 more\n"));

  status.last_report->plan.actions.clear();
  EXPECT_THAT(RenderStatusPage({status}, At(0)), HasSubstr("Last plan: no changes"));
  EXPECT_THAT(RenderStatusPage({}, At(0)), HasSubstr("0 environments"));
}

}  // namespace
}  // namespace pgtwin
