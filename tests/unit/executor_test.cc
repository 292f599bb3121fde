#include "reconciler/apply/executor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace pgtwin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Records what ran; fails the actions whose ids it is told to.
class FakeRunner : public ActionRunner {
 public:
  explicit FakeRunner(std::set<int> failing = {}) : failing_(std::move(failing)) {}

  Status Run(const Action& action) override {
    ran.push_back(action.id);
    if (failing_.count(action.id) > 0) {
      return Status(StatusCode::kInternal, "site dc1, database shop: boom " + action.key);
    }
    return Status::Ok();
  }

  std::vector<int> ran;

 private:
  std::set<int> failing_;
};

Action MakeAction(int id, std::vector<int> depends_on = {}) {
  Action action;
  action.id = id;
  action.site = "dc1";
  action.key = "table:s.t" + std::to_string(id);
  action.depends_on = std::move(depends_on);
  return action;
}

std::vector<ActionState> States(const std::vector<ActionOutcome>& outcomes) {
  std::vector<ActionState> states;
  for (const ActionOutcome& outcome : outcomes) states.push_back(outcome.state);
  return states;
}

TEST(ApplyPlanTest, EmptyPlanRunsNothing) {
  FakeRunner runner;
  EXPECT_TRUE(ApplyPlan(Plan{}, runner).empty());
  EXPECT_TRUE(runner.ran.empty());
}

TEST(ApplyPlanTest, RunsEveryActionInPlanOrder) {
  Plan plan;
  plan.actions = {MakeAction(0), MakeAction(1, {0}), MakeAction(2, {0, 1})};
  FakeRunner runner;
  std::vector<ActionOutcome> outcomes = ApplyPlan(plan, runner);
  EXPECT_THAT(runner.ran, ElementsAre(0, 1, 2));
  EXPECT_THAT(States(outcomes),
              ElementsAre(ActionState::kDone, ActionState::kDone, ActionState::kDone));
  EXPECT_EQ(outcomes[2].action_id, 2);
  EXPECT_EQ(outcomes[2].error, "");
}

TEST(ApplyPlanTest, FailureSkipsOnlyItsDependentsTransitively) {
  // 0 <- 1 <- 3, 0 <- 2; 4 independent; 5 depends on 2 and 4.
  Plan plan;
  plan.actions = {MakeAction(0),      MakeAction(1, {0}), MakeAction(2),
                  MakeAction(3, {1}), MakeAction(4),      MakeAction(5, {2, 4})};
  FakeRunner runner({1});
  std::vector<ActionOutcome> outcomes = ApplyPlan(plan, runner);
  EXPECT_THAT(runner.ran, ElementsAre(0, 1, 2, 4, 5));
  EXPECT_THAT(States(outcomes),
              ElementsAre(ActionState::kDone, ActionState::kFailed, ActionState::kDone,
                          ActionState::kSkipped, ActionState::kDone, ActionState::kDone));
  EXPECT_EQ(outcomes[1].error, "site dc1, database shop: boom table:s.t1");
  EXPECT_EQ(outcomes[3].error, "depends on action 1 (table:s.t1), which failed");
}

TEST(ApplyPlanTest, SkippedDependencySkipsDependents) {
  Plan plan;
  plan.actions = {MakeAction(0), MakeAction(1, {0}), MakeAction(2, {1}), MakeAction(3, {0})};
  FakeRunner runner({0});
  std::vector<ActionOutcome> outcomes = ApplyPlan(plan, runner);
  EXPECT_THAT(runner.ran, ElementsAre(0));
  EXPECT_THAT(States(outcomes), ElementsAre(ActionState::kFailed, ActionState::kSkipped,
                                            ActionState::kSkipped, ActionState::kSkipped));
  EXPECT_EQ(outcomes[2].error, "depends on action 1 (table:s.t1), which was skipped");
}

TEST(ApplyPlanTest, BlockedActionIsNotRunAndBlocksItsDependents) {
  Plan plan;
  plan.actions = {MakeAction(0), MakeAction(1, {0}), MakeAction(2)};
  plan.actions[0].blocked_by = "protected by policy.protect '^audit\\.'";
  FakeRunner runner;
  std::vector<ActionOutcome> outcomes = ApplyPlan(plan, runner);
  EXPECT_THAT(runner.ran, ElementsAre(2));
  EXPECT_THAT(States(outcomes),
              ElementsAre(ActionState::kSkipped, ActionState::kSkipped, ActionState::kDone));
  EXPECT_THAT(outcomes[0].error, HasSubstr("blocked by policy: protected"));
  EXPECT_THAT(outcomes[1].error, HasSubstr("which was skipped"));
}

TEST(ApplyPlanTest, DependencyNotBeforeTheActionIsNeverRun) {
  Plan plan;
  plan.actions = {MakeAction(0, {1}), MakeAction(1), MakeAction(2, {7})};
  FakeRunner runner;
  std::vector<ActionOutcome> outcomes = ApplyPlan(plan, runner);
  EXPECT_THAT(runner.ran, ElementsAre(1));
  EXPECT_THAT(States(outcomes),
              ElementsAre(ActionState::kSkipped, ActionState::kDone, ActionState::kSkipped));
  EXPECT_THAT(outcomes[0].error, HasSubstr("does not come before it"));
  EXPECT_EQ(outcomes[2].error, "depends on action 7, which does not come before it in the plan");
}

}  // namespace
}  // namespace pgtwin
