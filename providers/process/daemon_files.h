#pragma once

#include <string>
#include <vector>

#include "model/daemon.h"

namespace pgtwin {

// The daemons whose ini files are in `dir`/conf (`<name>.ini`), sorted by name: each with its
// ini text and, when its pid file `dir`/pid/<name>.pid names a live process whose command
// line holds that ini file's path, that pid. A missing directory holds no daemon.
std::vector<ObservedDaemon> ObserveDaemons(const std::string& dir);

// The pid of a live process started from `config_file` that `pid_file` names, or 0 (no such
// file, no such process, or one that is not the daemon: a pid reused by another program).
int RunningPid(const std::string& pid_file, const std::string& config_file);

}  // namespace pgtwin
