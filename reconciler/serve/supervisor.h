#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "model/serve_config.h"
#include "reconciler/run/reconcile_run.h"
#include "reconciler/serve/env_status.h"
#include "reconciler/serve/metrics.h"

namespace pgtwin {

// Runs one pass (RunReconcile in the daemon; a fake in tests).
using PassFunction =
    std::function<StatusOr<RunResult>(const std::string& spec_path, const RunOptions& options)>;

// The loop of `pgtwin serve`: one worker thread per spec file of the specs directory (the
// environment is the file's stem), each reconciling on the interval, soon after its file
// changes, on request, and after a backoff when a pass failed; at most max_concurrent passes
// run at once. Every pass re-observes. A spec that does not validate stalls its environment
// until the file changes. Nothing a pass does (error or exception) stops the loop.
class Supervisor {
 public:
  Supervisor(ServeConfig config, PassFunction run);
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Adds a listener of state changes (not owned; must outlive the supervisor).
  void AddListener(StateListener* listener);

  // Looks at the specs directory: starts a worker for each new file, wakes the worker of each
  // changed one (a Stalled environment retries), stops the workers of removed ones.
  void ScanSpecs();

  // Takes a new config (SIGHUP): policies, interval, limits and token apply from the next
  // pass; every worker is woken; the specs directory is scanned again.
  void Reload(ServeConfig config);

  // Asks for a pass of `name` now. NotFound for an unknown environment, InvalidArgument
  // (FailedPrecondition-like) when it is suspended.
  Status Trigger(const std::string& name);

  // A fresh dry run of `name`, outside the schedule (nothing is locked or written).
  StatusOr<RunResult> DryRun(const std::string& name);

  // The status of every environment, sorted by name; without `last_report` unless asked.
  std::vector<EnvStatus> Statuses(bool with_reports) const;
  // One environment's status, or nullopt.
  std::optional<EnvStatus> StatusOf(const std::string& name) const;

  // True when `authorization` is "Bearer <token>" with the configured token (compared in
  // constant time); false when no token is configured.
  bool Authorized(const std::string& authorization) const;

  // Where links in messages point: the config's LinkBase ("http://127.0.0.1:8470").
  std::string LinkBase() const;

  const ServeMetrics& metrics() const { return metrics_; }

  // Stops every worker: running passes abandon their remaining actions and finish; waits at
  // most `grace`. True when every worker has ended (then the supervisor may be destroyed).
  bool Stop(std::chrono::seconds grace);

 private:
  struct Worker;

  void Loop(Worker* worker);
  void RunPass(Worker* worker, const std::string& trigger);
  void StartWorker(const std::string& name, const std::filesystem::path& path,
                   std::filesystem::file_time_type mtime, uintmax_t size);
  std::string PolicyText(const EnvironmentPolicy& policy) const;

  mutable std::mutex mutex_;
  std::condition_variable slots_;  // a pass slot freed, or stopping
  int running_ = 0;
  bool stopping_ = false;
  ServeConfig config_;
  PassFunction run_;
  ServeMetrics metrics_;
  std::vector<StateListener*> listeners_;
  std::map<std::string, std::unique_ptr<Worker>> workers_;
  std::vector<std::unique_ptr<Worker>> retired_;  // removed specs, joined on Stop
};

}  // namespace pgtwin
