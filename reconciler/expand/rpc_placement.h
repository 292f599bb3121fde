#pragma once

#include <vector>

#include "model/desired_state.h"
#include "model/object.h"
#include "model/spec.h"

namespace pgtwin {

// Checks that every SQL/MED PL/Proxy cluster of a database the spec carries keeps a partition
// count PL/Proxy accepts once cut to the kept shards (see PlaceRpc): a power of two, unless the
// cluster has `modular_mapping` 1. Each error is reported at the `shards` value of the sharded
// database whose cut breaks the count. Expects a spec CheckSpecAgainstProd found no other
// error in.
std::vector<SpecError> CheckRpcAgainstProd(const EnvironmentSpec& spec, const Object& prod);

// Rewrites PL/Proxy clusters and partconf rows of the sites' desired trees (built by Expand
// from Prod's whole databases) for the spec's shard counts (specs/README.md, "Replication"):
// - a SQL/MED cluster (plproxy_cluster without config_source) of any database whose partitions
//   name (`dbname=<base>_pNNN`) shards of a sharded database of the spec keeps only the
//   partitions of the kept shards, in Prod's order, numbered again from 0 under Prod's option
//   style (`p0` or `partition_0`), and `partitions` says how many. Each kept partition's
//   connection string becomes the Test site's (SiteSpec::Conninfo: host, port, Prod's `user`
//   when it named one — never the site's admin role — and dbname), followed by Prod's other
//   keywords except passwords; the site is the proxy database's own when it carries the shard,
//   else the first site carrying it. Partitions naming other databases stay as Prod has them;
//   a cluster naming no shard is kept whole;
// - in each kept shard of a sharded database cut below Prod's count (N of M shards), the
//   partconf rows' partition mask follows: `max_part` and `shard_mask` M-1 become N-1,
//   `shard_count` M becomes N; `part_nr` (the shard's number) and other columns stay.
// Function-configured clusters (config_source=functions) are left as Prod has them.
void PlaceRpc(const EnvironmentSpec& spec, const Object& prod, std::vector<SiteState>& sites);

}  // namespace pgtwin
