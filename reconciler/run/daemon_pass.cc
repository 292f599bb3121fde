#include "reconciler/run/daemon_pass.h"

#include <utility>

#include "providers/postgres/daemon_status_reader.h"
#include "providers/process/daemon_files.h"
#include "reconciler/plan/daemon_planner.h"

namespace pgtwin {

void DaemonPass::AddTo(const PlanOptions& options, Plan& plan) const {
  if (dir_.empty()) return;
  PlanDaemons(desired_, sites_, ObserveDaemons(dir_), options, plan);
}

std::vector<DaemonStatus> DaemonPass::CurrentStatus(
    const std::vector<SiteSpec>& spec_sites) const {
  if (dir_.empty()) return {};
  std::vector<ObservedDaemon> observed = ObserveDaemons(dir_);
  std::set<std::string> set_up;
  for (const ObservedDaemon& daemon : observed) {
    if (daemon.config) set_up.insert(daemon.name);
  }
  std::vector<DaemonSpec> readable;
  for (const DaemonSpec& daemon : desired_) {
    if (sites_.count(daemon.site) > 0 && set_up.count(daemon.name) > 0) {
      readable.push_back(daemon);
    }
  }
  std::vector<DaemonStatus> read = ReadDaemonStatus(readable, observed, spec_sites);
  std::vector<DaemonStatus> statuses;
  auto next = read.begin();
  for (const DaemonSpec& daemon : desired_) {
    if (sites_.count(daemon.site) == 0) continue;
    if (set_up.count(daemon.name) > 0 && next != read.end()) {
      statuses.push_back(*next++);
      continue;
    }
    DaemonStatus not_set_up;
    not_set_up.name = daemon.name;
    not_set_up.site = daemon.site;
    not_set_up.database = daemon.database;
    statuses.push_back(std::move(not_set_up));
  }
  return statuses;
}

}  // namespace pgtwin
