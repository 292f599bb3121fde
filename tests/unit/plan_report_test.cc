#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "reconciler/report/plan_json.h"
#include "reconciler/report/plan_text.h"
#include "reconciler/report/reconcile_report.h"

namespace pgtwin {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Action MakeAction(int id, std::string database, ActionOp op, ObjectKind kind, std::string key,
                  std::string reason, std::vector<std::string> sql) {
  Action action;
  action.id = id;
  action.site = "dc1";
  action.database = std::move(database);
  action.op = op;
  action.kind = kind;
  action.key = std::move(key);
  action.reason = std::move(reason);
  action.sql = std::move(sql);
  return action;
}

// A plan with every op, a destructive and a blocked action, an unmanaged object, and a second
// site that could not be observed.
ReconcileReport SampleReport() {
  ReconcileReport report;
  report.environment = "qa1";
  report.sites = {{"dc1", "postgresql://postgres@qa1-db1:5432", ""},
                  {"dc2", "postgresql://postgres@qa1dr-db1:5432", "could not connect: refused"}};
  Plan& plan = report.plan;
  plan.actions.push_back(MakeAction(0, "", ActionOp::kCreate, ObjectKind::kRole, "role:app",
                                    "missing in Test",
                                    {"CREATE ROLE app LOGIN PASSWORD '<redacted>'"}));
  plan.actions.push_back(MakeAction(1, "shop", ActionOp::kCreate, ObjectKind::kFunction,
                                    "function:public.f()", "missing in Test",
                                    {"CREATE FUNCTION public.f() RETURNS int\n"
                                     "    LANGUAGE sql\n    AS $$SELECT 1$$"}));
  plan.actions.push_back(MakeAction(2, "shop", ActionOp::kAlter, ObjectKind::kColumn,
                                    "column:public.t.a", "type: integer -> smallint",
                                    {"ALTER TABLE public.t ALTER COLUMN a TYPE smallint;"}));
  plan.actions[2].risk = Risk::kDestructive;
  plan.actions[2].depends_on = {1};
  plan.actions.push_back(MakeAction(3, "shop", ActionOp::kReplace, ObjectKind::kIndex,
                                    "index:public.t.i", "definition changed",
                                    {"DROP INDEX public.i", "CREATE INDEX i ON public.t (a)"}));
  plan.actions.push_back(MakeAction(4, "shop", ActionOp::kDrop, ObjectKind::kTable,
                                    "table:audit.log", "unmanaged", {"DROP TABLE audit.log"}));
  plan.actions[4].risk = Risk::kDestructive;
  plan.actions[4].blocked_by = "protected by '^audit\\.'";
  plan.unmanaged.push_back({"dc1", "shop", ObjectKind::kTable, "table:public.dev_scratch"});
  return report;
}

TEST(PlanTextTest, ListsActionsPerSiteAndDatabaseWithTheirSql) {
  std::ostringstream out;
  WritePlanText(SampleReport(), false, out);
  EXPECT_EQ(out.str(),
            "Environment qa1\n"
            "\n"
            "Site dc1 (postgresql://postgres@qa1-db1:5432)\n"
            "  cluster\n"
            "    +   role:app\n"
            "        -- missing in Test\n"
            "        CREATE ROLE app LOGIN PASSWORD '<redacted>';\n"
            "  database shop\n"
            "    +   function:public.f()\n"
            "        -- missing in Test\n"
            "        CREATE FUNCTION public.f() RETURNS int\n"
            "            LANGUAGE sql\n"
            "            AS $$SELECT 1$$;\n"
            "    ~   column:public.t.a  [destructive]\n"
            "        -- type: integer -> smallint\n"
            "        ALTER TABLE public.t ALTER COLUMN a TYPE smallint;\n"
            "    -/+ index:public.t.i\n"
            "        -- definition changed\n"
            "        DROP INDEX public.i;\n"
            "        CREATE INDEX i ON public.t (a);\n"
            "    -   table:audit.log  [destructive]  [blocked: protected by '^audit\\.']\n"
            "        -- unmanaged\n"
            "        DROP TABLE audit.log;\n"
            "  unmanaged, kept\n"
            "    table:public.dev_scratch  in database shop\n"
            "\n"
            "Site dc2 (postgresql://postgres@qa1dr-db1:5432)\n"
            "  not planned: could not connect: refused\n"
            "\n"
            "Plan: 2 to create, 1 to change, 1 to replace, 0 to drop; 1 unmanaged kept; "
            "1 blocked.\n");
}

TEST(PlanTextTest, SaysNoChangesForASiteInSync) {
  ReconcileReport report;
  report.environment = "qa1";
  report.sites = {{"dc1", "postgresql://h:5432", ""}};
  std::ostringstream out;
  WritePlanText(report, false, out);
  EXPECT_EQ(out.str(),
            "Environment qa1\n\nSite dc1 (postgresql://h:5432)\n  no changes\n\n"
            "Plan: 0 to create, 0 to change, 0 to replace, 0 to drop; 0 unmanaged kept; "
            "0 blocked.\n");
}

TEST(PlanTextTest, ColoursOnlyWhenAsked) {
  std::ostringstream plain;
  std::ostringstream coloured;
  WritePlanText(SampleReport(), false, plain);
  WritePlanText(SampleReport(), true, coloured);
  EXPECT_THAT(plain.str(), Not(HasSubstr("\033[")));
  EXPECT_THAT(coloured.str(), HasSubstr("\033[32m+   role:app\033[0m"));
  EXPECT_THAT(coloured.str(), HasSubstr("\033[31m[destructive]\033[0m"));
}

TEST(PlanTextTest, AnUnmanagedObjectThatPruneDropsIsNotKept) {
  ReconcileReport report = SampleReport();
  report.plan.unmanaged.push_back({"dc1", "shop", ObjectKind::kTable, "table:audit.log"});
  report.plan.unmanaged.push_back({"dc1", "shop", ObjectKind::kTable, "table:public.gone"});
  report.plan.actions.push_back(MakeAction(5, "shop", ActionOp::kDrop, ObjectKind::kTable,
                                           "table:public.gone", "unmanaged (prune)",
                                           {"DROP TABLE public.gone"}));
  EXPECT_TRUE(IsKept(report.plan, report.plan.unmanaged[1])) << "its drop is blocked";
  EXPECT_FALSE(IsKept(report.plan, report.plan.unmanaged[2]));
  std::ostringstream out;
  WritePlanText(report, false, out);
  EXPECT_THAT(out.str(), HasSubstr("  unmanaged, kept\n"
                                   "    table:public.dev_scratch  in database shop\n"
                                   "    table:audit.log  in database shop\n\n"));
  EXPECT_THAT(out.str(), HasSubstr("1 to drop; 2 unmanaged kept; 1 blocked.\n"));
}

TEST(ApplyTextTest, ListsOutcomesWithErrorsAndSaysWhetherItConverged) {
  ReconcileReport report = SampleReport();
  report.applied = true;
  report.outcomes = {{0, ActionState::kDone, ""},
                     {1, ActionState::kFailed, "site dc1, database shop: boom"},
                     {2, ActionState::kSkipped,
                      "depends on action 1 (function:public.f()), "
                      "which failed"},
                     {3, ActionState::kDone, ""},
                     {4, ActionState::kSkipped, "blocked by policy: protected"}};
  std::ostringstream out;
  WriteApplyText(report, false, out);
  EXPECT_EQ(out.str(),
            "\nApply:\n"
            "  done     +   role:app  (dc1)\n"
            "  failed   +   function:public.f()  (dc1/shop)\n"
            "               site dc1, database shop: boom\n"
            "  skipped  ~   column:public.t.a  (dc1/shop)\n"
            "               depends on action 1 (function:public.f()), which failed\n"
            "  done     -/+ index:public.t.i  (dc1/shop)\n"
            "  skipped  -   table:audit.log  (dc1/shop)\n"
            "               blocked by policy: protected\n"
            "\nNot converged: 2 done, 1 failed, 2 skipped; 1 site not planned.\n");
  EXPECT_FALSE(Converged(report));
}

TEST(ApplyTextTest, ConvergedWhenEverySitePlannedAndEveryActionDone) {
  ReconcileReport report;
  report.environment = "qa1";
  report.sites = {{"dc1", "postgresql://h:5432", ""}};
  report.plan.actions.push_back(
      MakeAction(0, "", ActionOp::kCreate, ObjectKind::kRole, "role:app", "", {"CREATE ROLE app"}));
  report.applied = true;
  report.outcomes = {{0, ActionState::kDone, ""}};
  EXPECT_FALSE(Converged(report)) << "done, but not observed again";
  report.verification = Verification{{{"dc1", "postgresql://h:5432", ""}}, {}};
  EXPECT_TRUE(Verified(report));
  EXPECT_TRUE(Converged(report));
  std::ostringstream out;
  WriteApplyText(report, false, out);
  EXPECT_EQ(out.str(),
            "\nApply:\n  done     +   role:app  (dc1)\n"
            "\nVerify: dc1 observed again: nothing left to do.\n"
            "\nConverged: 1 done, verified.\n");
  report.applied = false;
  EXPECT_FALSE(Converged(report)) << "a dry run converges nothing";
}

TEST(ApplyTextTest, ConvergedWithoutObservingAgainWhenThePlanWasEmpty) {
  ReconcileReport report;
  report.sites = {{"dc1", "postgresql://h:5432", ""}};
  report.applied = true;
  EXPECT_TRUE(Verified(report));
  EXPECT_TRUE(Converged(report));
  std::ostringstream out;
  WriteApplyText(report, false, out);
  EXPECT_EQ(out.str(), "\nApply:\n\nConverged: 0 done.\n");
}

// An apply whose actions were all done, observed again: one action is still planned.
ReconcileReport StillDifferentReport() {
  ReconcileReport report;
  report.environment = "qa1";
  report.sites = {{"dc1", "postgresql://h:5432", ""}};
  report.plan.actions.push_back(MakeAction(0, "shop", ActionOp::kCreate, ObjectKind::kTable,
                                           "table:public.t", "missing in Test",
                                           {"CREATE TABLE public.t (a integer)"}));
  report.applied = true;
  report.outcomes = {{0, ActionState::kDone, ""}};
  Verification verification;
  verification.sites = {{"dc1", "postgresql://h:5432", ""}};
  verification.remaining.actions.push_back(
      MakeAction(0, "shop", ActionOp::kAlter, ObjectKind::kTable, "table:public.t",
                 "comment: noted -> (none)", {"COMMENT ON TABLE public.t IS NULL"}));
  report.verification = verification;
  return report;
}

TEST(ApplyTextTest, NotConvergedWhenObservingAgainStillPlansSomething) {
  ReconcileReport report = StillDifferentReport();
  EXPECT_FALSE(Verified(report));
  EXPECT_FALSE(Converged(report));
  std::ostringstream out;
  WriteApplyText(report, false, out);
  EXPECT_EQ(out.str(),
            "\nApply:\n  done     +   table:public.t  (dc1/shop)\n"
            "\nVerify: dc1 observed again: still different\n"
            "  site dc1\n"
            "  database shop\n"
            "    ~   table:public.t\n"
            "        -- comment: noted -> (none)\n"
            "        COMMENT ON TABLE public.t IS NULL;\n"
            "\nNot converged: 1 done, 0 failed, 0 skipped; 1 still different after apply.\n");

  report.verification->remaining.actions.clear();
  report.verification->sites[0].error = "could not connect";
  EXPECT_FALSE(Verified(report)) << "a site not observed again is not verified";
  std::ostringstream unobserved;
  WriteApplyText(report, false, unobserved);
  EXPECT_THAT(unobserved.str(), HasSubstr("  site dc1: not observed: could not connect\n"));
}

TEST(ReconcileJsonTest, CarriesTheVerification) {
  std::ostringstream out;
  WriteReconcileJson(StillDifferentReport(), out);
  nlohmann::json json = nlohmann::json::parse(out.str());
  EXPECT_EQ(json["result"], nlohmann::json::parse(R"({"done":1,"failed":0,"skipped":0,
      "remaining":1,"verified":false,"converged":false})"));
  EXPECT_EQ(json["verification"]["sites"][0]["name"], "dc1");
  EXPECT_EQ(json["verification"]["sites"][0]["planned"], true);
  ASSERT_EQ(json["verification"]["remaining"].size(), 1u);
  EXPECT_EQ(json["verification"]["remaining"][0]["key"], "table:public.t");
  EXPECT_EQ(json["verification"]["remaining"][0]["op"], "alter");
}

TEST(ReconcileJsonTest, WritesVersionSummaryActionsAndUnmanaged) {
  std::ostringstream out;
  WriteReconcileJson(SampleReport(), out);
  nlohmann::json json = nlohmann::json::parse(out.str());
  EXPECT_EQ(json["version"], 1);
  EXPECT_EQ(json["environment"], "qa1");
  EXPECT_EQ(json["applied"], false);
  EXPECT_EQ(json["sites"][0], nlohmann::json::parse(R"({"name":"dc1","server":
      "postgresql://postgres@qa1-db1:5432","planned":true,"error":null})"));
  EXPECT_EQ(json["sites"][1]["error"], "could not connect: refused");
  EXPECT_EQ(json["summary"], nlohmann::json::parse(R"({"create":2,"alter":1,"replace":1,
      "drop":0,"unmanaged":1,"blocked":1})"));
  ASSERT_EQ(json["actions"].size(), 5u);
  EXPECT_EQ(json["actions"][0]["database"], nullptr);
  EXPECT_EQ(json["actions"][2], nlohmann::json::parse(R"({"id":2,"site":"dc1",
      "database":"shop","op":"alter","kind":"column","key":"column:public.t.a",
      "reason":"type: integer -> smallint","risk":"destructive",
      "sql":["ALTER TABLE public.t ALTER COLUMN a TYPE smallint;"],"in_transaction":true,
      "depends_on":[1],"blocked_by":null})"));
  EXPECT_EQ(json["actions"][4]["blocked_by"], "protected by '^audit\\.'");
  EXPECT_EQ(json["unmanaged"][0], nlohmann::json::parse(R"({"site":"dc1","database":"shop",
      "kind":"table","key":"table:public.dev_scratch","kept":true})"));
  EXPECT_FALSE(json.contains("outcomes"));
  EXPECT_FALSE(json.contains("result"));
}

TEST(ReconcileJsonTest, AddsOutcomesAndResultAfterApply) {
  ReconcileReport report = SampleReport();
  report.applied = true;
  report.outcomes = {{0, ActionState::kDone, ""},
                     {1, ActionState::kFailed, "boom \xff"},
                     {2, ActionState::kSkipped, "depends"},
                     {3, ActionState::kDone, ""},
                     {4, ActionState::kSkipped, "blocked"}};
  std::ostringstream out;
  WriteReconcileJson(report, out);
  nlohmann::json json = nlohmann::json::parse(out.str());
  EXPECT_EQ(json["outcomes"][0], nlohmann::json::parse(R"({"id":0,"state":"done","error":null})"));
  EXPECT_EQ(json["outcomes"][1]["error"], "boom \xef\xbf\xbd");
  EXPECT_EQ(json["verification"], nullptr);
  EXPECT_EQ(json["result"], nlohmann::json::parse(R"({"done":2,"failed":1,"skipped":2,
      "remaining":0,"verified":false,"converged":false})"));
}

}  // namespace
}  // namespace pgtwin
