#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pgtwin {

// The programs pgtwin runs for a Test environment's replication.
enum class DaemonProgram {
  kLondisteWorker,  // `londiste -d INI worker`: replays one pgq_node node's queue
  kPgqd,            // `pgqd -d INI`: ticks and maintains the PgQ queues of one site
};

// One replication daemon a Test environment needs on the host pgtwin runs on: its ini file's
// text and where its files go. Plain data, decided by expansion.
struct DaemonSpec {
  std::string name;         // job name: the node's worker name, or "pgqd_<site>"
  DaemonProgram program = DaemonProgram::kLondisteWorker;
  std::string site;         // the Test site it works on
  std::string database;     // a worker's database; "" for pgqd
  std::string queue;        // a worker's queue; "" for pgqd
  std::string provider_site;  // a worker's provider node's site; "" for a root or pgqd
  std::string config_file;  // <workers.dir>/conf/<name>.ini
  std::string pid_file;     // <workers.dir>/pid/<name>.pid
  std::string log_file;     // <workers.dir>/log/<name>.log
  std::string config;       // the ini file's text, no secret in it

  friend bool operator==(const DaemonSpec&, const DaemonSpec&) = default;
};

// The command that starts `daemon` detached: `londiste -q -d INI worker` or `pgqd -q -d INI`.
std::vector<std::string> DaemonCommand(const DaemonSpec& daemon);

// One daemon's files as found in the workers directory.
struct ObservedDaemon {
  std::string name;                   // the ini file's base name
  std::string config_file;
  std::optional<std::string> config;  // the ini text; nullopt when there is no such file
  int pid = 0;                        // > 0: running (its pid file names a live process
                                      // started from config_file)
};

// What a pass reports of one daemon it manages: whether it runs and, for a worker, how far
// it is behind and its last error.
struct DaemonStatus {
  std::string name;
  std::string site;
  std::string database;                    // "" for pgqd
  bool running = false;
  int pid = 0;
  std::optional<double> lag_seconds;       // worker: behind its provider (root: ticker lag)
  std::optional<double> last_seen_seconds;  // worker: since it last asked for a batch
  std::string error;  // the worker's last error (pgq_node cur_error), or why it could not be
                      // read; "" when fine
};

}  // namespace pgtwin
