#pragma once

#include "model/plan.h"
#include "model/status.h"

namespace pgtwin {

// Runs a daemon action (`action.daemon` set, kind kDaemon):
// - create and alter write the ini file (creating conf/, pid/ and log/ under its directory),
//   stop the daemon if it runs, remove a pid file left behind and start it detached
//   (`londiste -q -d INI worker`, `pgqd -q -d INI`, found on PATH, with pgtwin's environment
//   and a clean signal mask), then wait up to 10 s until its pid file names it running;
// - drop stops it and removes its ini file.
// Stopping is SIGTERM, up to 10 s, then SIGKILL. Errors are one line naming the daemon and,
// when it did not start, the last line it logged.
Status RunDaemonAction(const Action& action);

}  // namespace pgtwin
