#pragma once

#include <vector>

#include "model/plan.h"
#include "reconciler/plan/planner.h"

namespace pgtwin {

// Plans the PgQ/Londiste cascades of all sites (pgq_queue, pgq_node and their children:
// docs/model.md) and appends the actions to `plan`, after the sites' DDL actions. One action
// per node and database (one transaction), made of pgq_node's and londiste's functions in the
// order the londiste CLI calls them (create-root/-leaf, add-table, add-seq), each call
// checked for its return code:
// - a missing node: its members' locations, create_node (a leaf or branch at tick 1: the
//   provider's subscription of a queue created in the same pass starts there), then its queue
//   settings, tables and sequences; on a non-root each table and sequence is first put into
//   the node's registry (global_add_table, global_update_seq) and tables are added with
//   `expect_sync` (Test holds structure, not rows: both sides are empty, nothing to copy);
// - on an existing node only what observation says is missing or different: a location
//   (register_location), a subscriber (register_subscriber, after its location), a table
//   (local_add_table), a table whose handler or attributes differ (local_change_handler), a
//   table whose Londiste triggers differ or are gone (create_trigger), a sequence
//   (local_add_seq), a plain consumer (pgq.register_consumer), a queue setting
//   (pgq.set_queue_config);
// - a node whose type, name, provider or worker differ is not changed (that is a londiste
//   takeover or change-provider, which needs running workers): its action is blocked;
// - what Test has beyond the desired state (nodes, locations, subscribers, consumers, tables,
//   sequences) is reported unmanaged; with prune, tables and sequences leave replication
//   (local_remove_table, local_remove_seq) unless protected; nodes are never dropped.
// An action depends on every action of its site that is not blocked and touches its database
// or the cluster (roles, the database itself, its tables), and on its provider node's action.
// PL/Proxy clusters and partconf are planned by PlanRpc (rpc_planner.h).
void PlanReplication(const std::vector<SitePlanInput>& sites, const PlanOptions& options,
                     Plan& plan);

}  // namespace pgtwin
