#pragma once

#include <string>
#include <vector>

#include "model/daemon.h"
#include "model/spec.h"

namespace pgtwin {

// What each daemon of `daemons` is doing, one DaemonStatus per spec in order. Running and pid
// come from the observed daemon of the same name (not running when there is none). For a
// londiste worker, its last error is `cur_error` of pgq_node.get_consumer_info(queue) on its
// own node (site, database); its lag and last-seen time come from
// pgq.get_consumer_info(queue, worker) on its provider node (provider_site, same database),
// or for a root (no provider_site) its lag is the queue's ticker_lag on its own node. A pgqd
// reports running and pid only.
//
// Each (site, database) is read over at most one connection (short connect_timeout; the
// server keeps every statement read-only and short), with at most three queries whatever the
// number of workers, several databases at once. A database that cannot be read sets the error
// of each worker that needed it to one line naming the site and database and why (never a
// password); a worker whose node or provider lacks its consumer keeps an unknown lag.
// cur_error is cut to its first line, at most 200 characters.
std::vector<DaemonStatus> ReadDaemonStatus(const std::vector<DaemonSpec>& daemons,
                                           const std::vector<ObservedDaemon>& observed,
                                           const std::vector<SiteSpec>& sites);

}  // namespace pgtwin
