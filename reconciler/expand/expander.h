#pragma once

#include <vector>

#include "model/desired_state.h"
#include "model/object.h"
#include "model/spec.h"

namespace pgtwin {

// Checks what only the Prod snapshot can tell, each error at the spec line at fault:
// - a database must be in Prod, by its exact name or as shards `<name>_p<digits>`;
// - `shards` is given exactly for a database Prod has as shards (an error when it is missing:
//   the Test scale is always written down), is not above Prod's shard count, and Prod has
//   every shard 0..shards-1;
// - then (CheckRpcAgainstProd) the PL/Proxy clusters cut to the kept shards keep a partition
//   count PL/Proxy accepts.
std::vector<SpecError> CheckSpecAgainstProd(const EnvironmentSpec& spec, const Object& prod);

// Expands a spec that passed CheckSpecAgainstProd into each site's desired tree, in the spec's
// site order. Each tree is a cluster named `postgresql://host:port` (no attributes: cluster
// settings are not managed) holding
// - Prod's roles except those a `roles.skip` pattern matches (RE2, partial match), with every
//   attribute kept; with `passwords: int` a role's `password` is "set" exactly when INT has a
//   hash for it (with `none` it stays as in Prod);
// - the site's databases with their full subtrees: shards 0..shards-1 under Prod's own names
//   (accountdb_p000, accountdb_p001), unsharded ones by name;
// - their PgQ/Londiste nodes placed per site by PlaceReplication (replication_placement.h);
// - their PL/Proxy clusters and partconf rows rewritten for the kept shards by PlaceRpc
//   (rpc_placement.h).
// `daemons` holds the londiste workers and pgqd the spec's `workers` has pgtwin run
// (PlaceDaemons, daemon_placement.h).
// `passwords` holds the INT hashes of the desired roles (empty with `passwords: none`).
DesiredState Expand(const EnvironmentSpec& spec, const Object& prod,
                    const PasswordHashes& int_passwords);

}  // namespace pgtwin
