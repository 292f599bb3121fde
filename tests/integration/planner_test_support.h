#pragma once

// Support for the planner tests that apply a plan by hand on the test server: read a cluster,
// describe a plan in failure messages, plan one copy of a source database, and run the plan's
// actions on it in plan order.

#include <string>
#include <vector>

#include "model/object.h"
#include "model/plan.h"

namespace pgtwin::testing {

// The cluster tree as seen from `database` (its roles, and every database of the server).
Object ReadClusterFrom(const std::string& database);

// The plan's actions, one per line with id, key and reason, then their SQL: for messages.
std::string DescribePlan(const Plan& plan);

// The desired cluster: the roles named `roles` as `source` sees them, and the database
// `source` under the name `name`, normalised.
Object DesiredCopy(const std::string& source, const std::string& name,
                   const std::vector<std::string>& roles = {});

// The plan for one site "dc1" from `observed` to `desired`; roles are shared by the server's
// tests, so the plan leaves them all alone.
Plan PlanCopy(const Object& desired, const Object& observed, bool prune);

// Runs the unblocked actions of `plan` on `database` in plan order, each in its own
// transaction, with function bodies unchecked as the executor runs them. Every action must be
// in `database`. Returns the failures, "ID KEY: error" each.
std::vector<std::string> ApplyToDatabase(const std::string& database, const Plan& plan);

}  // namespace pgtwin::testing
