#pragma once

#include <vector>

#include "model/daemon.h"
#include "model/desired_state.h"
#include "model/spec.h"

namespace pgtwin {

// The replication daemons a Test environment needs once its replication is placed
// (PlaceReplication), when its spec has `workers` (none otherwise), in site then database
// order (specs/README.md, "Workers"):
// - a londiste worker for every pgq_node node with a worker name, its ini naming the node's
//   database on its site, its queue, `handler_modules` for the handlers its tables use that
//   live in modules londiste does not load by default (`part` -> londiste.handlers.shard),
//   and `shard_info_sql` for a partconf with the Skytools layout (part_nr, max_part);
// - one pgqd for every site holding a PgQ queue, over those databases only.
std::vector<DaemonSpec> PlaceDaemons(const EnvironmentSpec& spec,
                                     const std::vector<SiteState>& sites);

}  // namespace pgtwin
