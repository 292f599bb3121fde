#pragma once

#include <string>
#include <vector>

#include "model/desired_state.h"
#include "model/object.h"
#include "model/plan.h"
#include "reconciler/diff/ignore_rules.h"

namespace pgtwin {

// One Test site to plan for. The pointers must outlive BuildPlan's result only as long as the
// caller reads them; the plan itself owns everything it holds.
struct SitePlanInput {
  std::string site;
  const Object* desired = nullptr;                     // cluster tree: roles, databases
  const Object* observed = nullptr;                    // the same, as read from the site
  const PasswordHashes* desired_passwords = nullptr;   // from INT; null = passwords unmanaged
  const PasswordHashes* observed_passwords = nullptr;  // as read from the site
};

// Policy and filters for one plan.
struct PlanOptions {
  bool prune = false;                   // drop unmanaged objects (never protected ones)
  std::vector<std::string> protect;     // RE2, partial match on qualified names
  std::vector<std::string> skip_roles;  // RE2 on role names: neither created nor dropped
  IgnoreRules ignore;                   // objects left out of the comparison
};

// Diffs each site's desired and observed trees and turns the differences into ordered,
// typed actions with their SQL, risk and dependencies; then the PgQ/Londiste cascades, across
// sites (replication_planner.h), and the PL/Proxy clusters and partconf rows (rpc_planner.h).
// Pure: no I/O.
Plan BuildPlan(const std::vector<SitePlanInput>& sites, const PlanOptions& options);

}  // namespace pgtwin
