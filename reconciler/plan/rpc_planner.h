#pragma once

#include <cstddef>
#include <vector>

#include "model/plan.h"
#include "reconciler/plan/planner.h"

namespace pgtwin {

// Plans the PL/Proxy clusters and partconf rows of all sites (plproxy_cluster, partconf:
// docs/model.md) and appends the actions to `plan`. Each action depends on the first
// `ddl_actions` actions of the plan (the sites' DDL) that are not blocked, run on its site and
// touch its database or the cluster (roles, the database itself, the plproxy extension, the
// partconf table).
// - plproxy_cluster (SQL/MED), one action per server: a missing one is created (CREATE SERVER
//   ... FOREIGN DATA WRAPPER plproxy OPTIONS (...), partitions in their number order, which
//   PL/Proxy's validator needs), given its owner and privileges and Prod's user mappings;
//   an existing one gets ALTER SERVER ... OPTIONS (DROP/SET/ADD ...) for the options that
//   differ, its owner and privileges, and user mappings that are missing or whose options
//   differ. A password in a Prod user mapping cannot be copied (the model only knows it is
//   set): the mapping is created without it and the action's reason says so; passwords are
//   never set, changed or removed. Clusters and user mappings only Test has are reported
//   unmanaged and dropped (DROP SERVER ... CASCADE, DROP USER MAPPING) only with prune. A
//   protected cluster is created when missing, otherwise its changes are blocked.
// - Function-configured clusters (config_source=functions) are not planned: their
//   configuration is code (the plproxy.get_cluster_* functions) and whatever they read.
// - partconf, one action per database whose rows differ: DELETE FROM partconf.conf, then one
//   INSERT per desired row (a data write, said in the reason). Rows only Test has, where the
//   desired state has none, are reported unmanaged and deleted only with prune. Blocked when
//   `partconf.conf` is protected.
// Objects the ignore rules match are left out.
void PlanRpc(const std::vector<SitePlanInput>& sites, const PlanOptions& options,
             size_t ddl_actions, Plan& plan);

}  // namespace pgtwin
