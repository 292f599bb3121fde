#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/daemon.h"
#include "model/plan.h"
#include "reconciler/plan/planner.h"

namespace pgtwin {

// Plans the replication daemons of the workers directory and appends the actions (kind
// daemon, `Action::daemon` set, no SQL) to `plan`, after its SQL actions. `desired` holds
// every daemon of the environment, of which only those on `sites` (the sites being planned)
// are planned; `observed` is ObserveDaemons of the directory.
// - a desired daemon without an ini file: create (write it, start);
// - one whose ini text differs: alter (rewrite, restart);
// - one that does not run: create (start again, e.g. after it died);
// - an ini file no desired daemon has: reported unmanaged on the planned site its name ends
//   with (`_dc2`), else the first; with prune, dropped (stopped, its file removed) unless
//   `protect` matches its name.
// Daemons that ignore rules match (`daemon:REGEX`) are left out. A worker's action depends on
// every earlier action of its database on its own and its provider's site (its node, tables
// and provider must exist first); pgqd's on every earlier action of its site that creates a
// database or extension or touches replication.
void PlanDaemons(const std::vector<DaemonSpec>& desired, const std::set<std::string>& sites,
                 const std::vector<ObservedDaemon>& observed, const PlanOptions& options,
                 Plan& plan);

}  // namespace pgtwin
