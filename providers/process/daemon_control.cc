#include "providers/process/daemon_control.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "providers/process/daemon_files.h"

extern char** environ;

namespace pgtwin {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

constexpr seconds kStartTimeout{10};
constexpr seconds kStopTimeout{10};

Status Failed(const DaemonSpec& daemon, const std::string& what) {
  return Status(StatusCode::kInternal, "daemon " + daemon.name + ": " + what);
}

// The last non-empty line of `path`, or "".
std::string LastLine(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  std::string last;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  }
  if (last.size() > 300) last = last.substr(0, 300) + "...";
  return last;
}

// Waits until `pid_file` names no live process started from `config_file`.
bool WaitGone(const DaemonSpec& daemon, Clock::duration timeout) {
  Clock::time_point until = Clock::now() + timeout;
  while (RunningPid(daemon.pid_file, daemon.config_file) > 0) {
    if (Clock::now() >= until) return false;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return true;
}

Status Stop(const DaemonSpec& daemon) {
  if (int pid = RunningPid(daemon.pid_file, daemon.config_file); pid > 0) {
    kill(pid, SIGTERM);
    if (!WaitGone(daemon, kStopTimeout)) {
      kill(pid, SIGKILL);
      if (!WaitGone(daemon, seconds(2))) {
        return Failed(daemon, "pid " + std::to_string(pid) + " still runs after SIGTERM and "
                              "SIGKILL");
      }
    }
  }
  std::error_code ignored;
  std::filesystem::remove(daemon.pid_file, ignored);  // a worker stopped by SIGTERM leaves it
  return Status();
}

Status WriteConfig(const DaemonSpec& daemon) {
  std::error_code error;
  for (const std::string& file : {daemon.config_file, daemon.pid_file, daemon.log_file}) {
    std::filesystem::create_directories(std::filesystem::path(file).parent_path(), error);
    if (error) return Failed(daemon, "cannot create the directory of " + file + ": " +
                                         error.message());
  }
  std::string temporary = daemon.config_file + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << daemon.config;
    if (!out.flush()) return Failed(daemon, "cannot write " + temporary);
  }
  std::filesystem::rename(temporary, daemon.config_file, error);
  if (error) return Failed(daemon, "cannot write " + daemon.config_file + ": " + error.message());
  return Status();
}

// Runs the daemon's launcher (which forks the daemon and exits) with stdout and stderr in
// `start_log`, a clean signal mask and default handlers; returns its exit status.
Status Launch(const DaemonSpec& daemon, const std::string& start_log) {
  std::vector<std::string> args = DaemonCommand(daemon);
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, 1, start_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&files, 1, 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &none);     // serve blocks SIGTERM/SIGHUP in threads
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  int spawned = posix_spawnp(&pid, argv[0], &files, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    return Failed(daemon, "cannot run " + args[0] + ": " + std::strerror(spawned) +
                              " (is it installed? deploy/install-deps.sh)");
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string why = WIFEXITED(status) ? "exited with " + std::to_string(WEXITSTATUS(status))
                                        : "was killed by a signal";
    return Failed(daemon, args[0] + " " + why + ": " + LastLine(start_log));
  }
  return Status();
}

Status Start(const DaemonSpec& daemon) {
  if (Status status = WriteConfig(daemon); !status.ok()) return status;
  if (Status status = Stop(daemon); !status.ok()) return status;
  std::string start_log = daemon.log_file + ".start";
  if (Status status = Launch(daemon, start_log); !status.ok()) return status;
  Clock::time_point until = Clock::now() + kStartTimeout;
  while (RunningPid(daemon.pid_file, daemon.config_file) == 0) {
    if (Clock::now() >= until) {
      std::string last = LastLine(daemon.log_file);
      if (last.empty()) last = LastLine(start_log);
      return Failed(daemon, "not running " + std::to_string(kStartTimeout.count()) +
                                " s after it was started" + (last.empty() ? "" : ": " + last));
    }
    std::this_thread::sleep_for(milliseconds(50));
  }
  return Status();
}

}  // namespace

Status RunDaemonAction(const Action& action) {
  if (!action.daemon) {
    return Status(StatusCode::kInternal, "action " + action.key + " has no daemon to run");
  }
  const DaemonSpec& daemon = *action.daemon;
  if (action.op != ActionOp::kDrop) return Start(daemon);
  if (Status status = Stop(daemon); !status.ok()) return status;
  std::error_code error;
  std::filesystem::remove(daemon.config_file, error);
  if (error) return Failed(daemon, "cannot remove " + daemon.config_file + ": " + error.message());
  return Status();
}

}  // namespace pgtwin
