#pragma once

#include <vector>

#include "model/desired_state.h"

namespace pgtwin {

// Places the PgQ/Londiste cascades of the Prod snapshot onto the Test sites (specs/README.md,
// "Replication"). Expand copies each Prod database whole to every site that carries it; this
// then keeps on each site only the nodes that belong there:
// - a node goes to the site whose name ends its node name (`accountdb_p000_dc2` -> dc2);
//   otherwise a root to the database's first site and the nodes below it to the following
//   ones, in spec order;
// - a node the snapshot only knows as a subscriber of another (the snapshot is dumped from
//   one Prod instance: the leaves on the DR instance are not in it) is derived from its
//   provider: type leaf, the subscriber's worker, the provider's locations, tables (their
//   triggers with Londiste's `deny` argument, as a leaf has them) and sequences;
// - nodes without a site are left out, with their locations, subscriptions and consumers;
// - every location is the Test site's connection string for the database.
// The PgQ queue of a node stays with the node (root and branch only).
void PlaceReplication(std::vector<SiteState>& sites);

}  // namespace pgtwin
