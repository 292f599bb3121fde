#include "reconciler/serve/supervisor.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <ctime>
#include <exception>
#include <random>

#include "reconciler/serve/backoff.h"

namespace pgtwin {
namespace {

using Clock = std::chrono::steady_clock;

bool IsSpecFile(const std::filesystem::directory_entry& entry) {
  std::string ext = entry.path().extension().string();
  std::error_code error;
  return entry.is_regular_file(error) && (ext == ".yaml" || ext == ".yml");
}

int LocalHour() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return local.tm_hour;
}

double RandomUnit() {
  thread_local std::mt19937 generator(std::random_device{}());
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace

struct Supervisor::Worker {
  EnvStatus status;
  std::filesystem::file_time_type mtime;
  uintmax_t size = 0;
  std::condition_variable wake;
  std::optional<std::string> trigger;  // a pass asked for, and why
  Clock::time_point due = Clock::now();
  bool stop = false;
  std::atomic<bool> done{false};
  std::thread thread;
};

Supervisor::Supervisor(ServeConfig config, PassFunction run)
    : config_(std::move(config)), run_(std::move(run)) {}

Supervisor::~Supervisor() { Stop(std::chrono::seconds(3600)); }

void Supervisor::AddListener(StateListener* listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  listeners_.push_back(listener);
}

std::string Supervisor::PolicyText(const EnvironmentPolicy& policy) const {
  if (policy.suspended) return "suspended";
  std::string text = policy.apply ? "apply" : "plan-only";
  if (policy.apply && policy.window) text += " (window " + policy.window->ToString() + ")";
  return text;
}

void Supervisor::StartWorker(const std::string& name, const std::filesystem::path& path,
                             std::filesystem::file_time_type mtime, uintmax_t size) {
  auto worker = std::make_unique<Worker>();
  worker->status.name = name;
  worker->status.spec_file = path.string();
  worker->status.policy = PolicyText(config_.PolicyFor(name));
  worker->mtime = mtime;
  worker->size = size;
  worker->trigger = "start";
  Worker* raw = worker.get();
  workers_[name] = std::move(worker);
  raw->thread = std::thread([this, raw] { Loop(raw); });
  spdlog::info("environment {}: watching {}", name, path.string());
}

void Supervisor::ScanSpecs() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) return;
  std::map<std::string, std::filesystem::directory_entry> found;
  std::error_code error;
  for (std::filesystem::directory_iterator it(config_.specs_dir, error), end; !error && it != end;
       it.increment(error)) {
    if (IsSpecFile(*it)) found[it->path().stem().string()] = *it;
  }
  if (error) {
    spdlog::warn("specs directory {}: {}", config_.specs_dir, error.message());
    return;
  }
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (found.count(it->first) > 0) {
      ++it;
      continue;
    }
    spdlog::info("environment {}: spec removed, worker stops", it->first);
    it->second->stop = true;
    it->second->wake.notify_all();
    retired_.push_back(std::move(it->second));
    it = workers_.erase(it);
  }
  for (const auto& [name, entry] : found) {
    std::error_code stat_error;
    auto mtime = entry.last_write_time(stat_error);
    uintmax_t size = entry.file_size(stat_error);
    if (stat_error) continue;
    auto it = workers_.find(name);
    if (it == workers_.end()) {
      StartWorker(name, entry.path(), mtime, size);
    } else if (it->second->mtime != mtime || it->second->size != size) {
      it->second->mtime = mtime;
      it->second->size = size;
      it->second->trigger = "spec changed";
      it->second->wake.notify_all();
      spdlog::info("environment {}: spec changed", name);
    }
  }
}

void Supervisor::Reload(ServeConfig config) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    bool dir_changed = config.specs_dir != config_.specs_dir;
    config_ = std::move(config);
    for (auto& [name, worker] : workers_) {
      worker->status.policy = PolicyText(config_.PolicyFor(name));
      if (dir_changed) worker->trigger = "config";
      worker->wake.notify_all();
    }
    slots_.notify_all();
  }
  spdlog::info("config reloaded");
  ScanSpecs();
}

Status Supervisor::Trigger(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = workers_.find(name);
  if (it == workers_.end()) return Status(StatusCode::kNotFound, "no environment '" + name + "'");
  if (config_.PolicyFor(name).suspended) {
    return Status(StatusCode::kInvalidArgument, "environment '" + name + "' is suspended");
  }
  it->second->trigger = "api";
  it->second->wake.notify_all();
  return Status::Ok();
}

StatusOr<RunResult> Supervisor::DryRun(const std::string& name) {
  std::string spec;
  RunOptions options;
  options.dry_run = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = workers_.find(name);
    if (it == workers_.end()) return Status(StatusCode::kNotFound, "no environment '" + name + "'");
    spec = it->second->status.spec_file;
  }
  try {
    return run_(spec, options);
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("internal error: ") + e.what());
  }
}

std::vector<EnvStatus> Supervisor::Statuses(bool with_reports) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<EnvStatus> statuses;
  for (const auto& [name, worker] : workers_) {
    if (with_reports) {
      statuses.push_back(worker->status);
      continue;
    }
    EnvStatus copy;
    const EnvStatus& from = worker->status;
    copy.name = from.name;
    copy.spec_file = from.spec_file;
    copy.state = from.state;
    copy.reason = from.reason;
    copy.message = from.message;
    copy.policy = from.policy;
    copy.reconciling = from.reconciling;
    copy.last_success = from.last_success;
    copy.drift = from.drift;
    if (!from.passes.empty()) copy.passes.push_back(from.passes.back());
    statuses.push_back(std::move(copy));
  }
  return statuses;
}

std::optional<EnvStatus> Supervisor::StatusOf(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = workers_.find(name);
  if (it == workers_.end()) return std::nullopt;
  return it->second->status;
}

bool Supervisor::Authorized(const std::string& authorization) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string prefix = "Bearer ";
  if (config_.token.empty() || authorization.compare(0, prefix.size(), prefix) != 0) return false;
  std::string given = authorization.substr(prefix.size());
  unsigned char diff = given.size() == config_.token.size() ? 0 : 1;
  for (size_t i = 0; i < config_.token.size(); ++i) {
    diff |= static_cast<unsigned char>(config_.token[i] ^ (i < given.size() ? given[i] : 0));
  }
  return diff == 0;
}

std::string Supervisor::LinkBase() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return config_.LinkBase();
}

bool Supervisor::Stop(std::chrono::seconds grace) {
  std::vector<Worker*> all;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    for (auto& [name, worker] : workers_) all.push_back(worker.get());
    for (auto& worker : retired_) all.push_back(worker.get());
    for (Worker* worker : all) {
      worker->stop = true;
      worker->wake.notify_all();
    }
    slots_.notify_all();
  }
  auto deadline = Clock::now() + grace;
  bool ended = true;
  for (Worker* worker : all) {
    while (!worker->done && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!worker->done) {
      ended = false;
      continue;
    }
    if (worker->thread.joinable()) worker->thread.join();
  }
  return ended;
}

void Supervisor::Loop(Worker* worker) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!worker->stop) {
    const EnvironmentPolicy& policy = config_.PolicyFor(worker->status.name);
    if (policy.suspended) {
      if (worker->status.state != EnvState::kSuspended) {
        worker->status.state = EnvState::kSuspended;
        worker->status.reason = "Suspended";
        worker->status.message = "suspended in the config";
      }
      worker->trigger.reset();
      worker->wake.wait(lock);
      continue;
    }
    if (worker->status.state == EnvState::kSuspended) worker->trigger = "config";
    bool stalled = worker->status.state == EnvState::kStalled;
    if (!worker->trigger) {
      auto ready = [worker] { return worker->stop || worker->trigger.has_value(); };
      if (stalled) {
        worker->wake.wait(lock, ready);
      } else if (!worker->wake.wait_until(lock, worker->due, ready)) {
        worker->trigger = worker->status.failures > 0 ? "retry" : "interval";
      }
      continue;  // re-check stop, suspension and the trigger
    }
    std::string trigger = *worker->trigger;
    worker->trigger.reset();
    slots_.wait(lock, [this, worker] {
      return worker->stop || stopping_ || running_ < config_.max_concurrent;
    });
    if (worker->stop) break;
    ++running_;
    lock.unlock();
    RunPass(worker, trigger);
    lock.lock();
    --running_;
    slots_.notify_one();
  }
  worker->done = true;
}

void Supervisor::RunPass(Worker* worker, const std::string& trigger) {
  std::string name;
  std::string spec;
  RunOptions options;
  PassInput input;
  std::chrono::seconds interval;
  std::chrono::seconds backoff_initial;
  std::chrono::seconds backoff_max;
  size_t history;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    name = worker->status.name;
    spec = worker->status.spec_file;
    const EnvironmentPolicy& policy = config_.PolicyFor(name);
    bool in_window = !policy.window || policy.window->Contains(LocalHour());
    options.dry_run = !policy.apply || !in_window;
    input.dry_run = options.dry_run;
    input.dry_run_reason = !policy.apply ? "PlanOnly" : "OutsideApplyWindow";
    options.lock_timeout = config_.lock_timeout_seconds;
    interval = std::chrono::seconds(config_.interval_seconds);
    backoff_initial = std::chrono::seconds(config_.backoff_initial_seconds);
    backoff_max = std::chrono::seconds(config_.backoff_max_seconds);
    history = static_cast<size_t>(config_.history);
    worker->status.reconciling = true;
    worker->status.reconciling_since = std::chrono::system_clock::now();
  }
  options.cancelled = [worker] { return worker->stop; };
  options.on_wait = [name](const std::string& line) {
    spdlog::info("environment {}: {}", name, line);
  };
  spdlog::info("environment {}: pass starts ({}, {})", name, trigger,
               options.dry_run ? "plan only" : "apply");
  PassRecord record;
  record.trigger = trigger;
  record.started = std::chrono::system_clock::now();
  record.applied = !options.dry_run;
  auto start = Clock::now();
  try {
    StatusOr<RunResult> result = run_(spec, options);
    if (!result.ok()) {
      input.error = result.status();
    } else if (!result->spec_errors.empty()) {
      input.spec_errors = std::move(result->spec_errors);
    } else {
      input.report = std::move(result->report);
    }
  } catch (const std::exception& e) {
    input.error = Status(StatusCode::kInternal, std::string("internal error: ") + e.what());
  } catch (...) {
    input.error = Status(StatusCode::kInternal, "internal error");
  }
  record.duration_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  StateVerdict verdict = ClassifyPass(input);
  record.result = verdict.result;
  record.summary = verdict.reason + ": " + verdict.message;
  bool has_report = input.spec_errors.empty() && input.error.ok();
  if (has_report) {
    record.drift = DriftByKind(input.report.plan);
    record.unmanaged = CountPlan(input.report.plan).unmanaged;
    record.outcomes = CountOutcomes(input.report.outcomes);
  }
  metrics_.RecordPass(name, record, has_report ? &input.report : nullptr);
  std::optional<StateChange> change;
  std::vector<StateListener*> listeners;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    record.number = worker->status.passes.empty() ? 1 : worker->status.passes.back().number + 1;
    change = RecordPass(&worker->status, std::move(record), verdict, std::move(input), history);
    worker->status.reconciling = false;
    worker->status.reconciling_since.reset();
    Clock::duration wait = verdict.retry
                               ? std::chrono::duration_cast<Clock::duration>(BackoffDelay(
                                     worker->status.failures, backoff_initial, backoff_max,
                                     RandomUnit()))
                               : std::chrono::duration_cast<Clock::duration>(interval);
    worker->due = Clock::now() + wait;
    worker->status.next_pass =
        verdict.state == EnvState::kStalled
            ? std::nullopt
            : std::optional<WallTime>(std::chrono::system_clock::now() +
                                      std::chrono::duration_cast<WallTime::duration>(wait));
    listeners = listeners_;
  }
  auto log_level = verdict.state == EnvState::kReady ? spdlog::level::info : spdlog::level::warn;
  spdlog::log(log_level, "environment {}: pass ends {} in {:.3f}s: {}: {}", name,
              PassResultName(verdict.result),
              std::chrono::duration<double>(Clock::now() - start).count(), verdict.reason,
              verdict.message);
  if (!change) return;
  spdlog::info("environment {}: {} -> {} ({})", name, EnvStateName(change->old_state),
               EnvStateName(change->new_state), change->reason);
  for (StateListener* listener : listeners) listener->OnStateChange(*change);
}

}  // namespace pgtwin
