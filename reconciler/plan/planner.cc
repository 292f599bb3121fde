#include "reconciler/plan/planner.h"

#include "reconciler/plan/plan_graph.h"
#include "reconciler/plan/plan_policy.h"
#include "reconciler/plan/replication_planner.h"
#include "reconciler/plan/rpc_planner.h"
#include "reconciler/plan/site_planner.h"

namespace pgtwin {

Plan BuildPlan(const std::vector<SitePlanInput>& sites, const PlanOptions& options) {
  PlanPolicy policy(options);
  Plan plan;
  for (const SitePlanInput& site : sites) {
    if (site.desired == nullptr || site.observed == nullptr) continue;
    SitePlanner planner(site, policy, options.ignore);
    std::vector<DraftAction> drafts = planner.Plan(plan.unmanaged);
    std::vector<Action> actions =
        OrderDrafts(std::move(drafts), static_cast<int>(plan.actions.size()));
    for (Action& action : actions) plan.actions.push_back(std::move(action));
  }
  const size_t ddl_actions = plan.actions.size();
  PlanReplication(sites, options, plan);
  PlanRpc(sites, options, ddl_actions, plan);
  return plan;
}

}  // namespace pgtwin
