#include "reconciler/plan/daemon_planner.h"

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "reconciler/plan/plan_policy.h"

namespace pgtwin {
namespace {

// True when `earlier` must succeed before `daemon` starts.
bool Precedes(const Action& earlier, const DaemonSpec& daemon) {
  if (earlier.kind == ObjectKind::kDaemon) return false;
  if (daemon.program == DaemonProgram::kPgqd) {
    return earlier.site == daemon.site &&
           (earlier.kind == ObjectKind::kDatabase || earlier.kind == ObjectKind::kExtension ||
            IsReplicationKind(earlier.kind));
  }
  return earlier.database == daemon.database &&
         (earlier.site == daemon.site || earlier.site == daemon.provider_site);
}

Action DaemonAction(const Plan& plan, const DaemonSpec& daemon, ActionOp op, std::string reason) {
  Action action;
  action.id = static_cast<int>(plan.actions.size());
  action.site = daemon.site;
  action.database = daemon.database;
  action.op = op;
  action.kind = ObjectKind::kDaemon;
  action.key = "daemon:" + daemon.name;
  action.reason = std::move(reason);
  action.in_transaction = false;
  action.daemon = daemon;
  for (const Action& earlier : plan.actions) {
    if (Precedes(earlier, daemon) && earlier.blocked_by.empty()) {
      action.depends_on.push_back(earlier.id);
    }
  }
  return action;
}

// The site an unmanaged daemon is reported on: the one its name ends with (`pgqd_dc1`,
// `l3_shop_dc2`), else the first planned one.
std::string SiteOfUnmanaged(const std::string& name, const std::set<std::string>& sites) {
  for (const std::string& site : sites) {
    std::string suffix = "_" + site;
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(),
                                                    suffix) == 0) {
      return site;
    }
  }
  return sites.empty() ? std::string() : *sites.begin();
}

}  // namespace

void PlanDaemons(const std::vector<DaemonSpec>& desired, const std::set<std::string>& sites,
                 const std::vector<ObservedDaemon>& observed, const PlanOptions& options,
                 Plan& plan) {
  PlanPolicy policy(options);
  std::map<std::string, const ObservedDaemon*> found;
  for (const ObservedDaemon& daemon : observed) found[daemon.name] = &daemon;
  std::set<std::string> wanted;
  for (const DaemonSpec& daemon : desired) {
    wanted.insert(daemon.name);
    if (sites.count(daemon.site) == 0) continue;
    if (options.ignore.Matches(ObjectKind::kDaemon, daemon.name, daemon.name)) continue;
    auto it = found.find(daemon.name);
    const ObservedDaemon* seen = it == found.end() ? nullptr : it->second;
    if (seen == nullptr || !seen->config) {
      plan.actions.push_back(DaemonAction(plan, daemon, ActionOp::kCreate,
                                          "no ini file in the workers directory"));
    } else if (*seen->config != daemon.config) {
      plan.actions.push_back(DaemonAction(
          plan, daemon, ActionOp::kAlter,
          std::string("its ini file differs") + (seen->pid > 0 ? ": restarted" : "")));
    } else if (seen->pid == 0) {
      plan.actions.push_back(DaemonAction(plan, daemon, ActionOp::kCreate,
                                          "not running (its pid file names no live process)"));
    }
  }
  for (const ObservedDaemon& daemon : observed) {
    if (wanted.count(daemon.name) > 0 ||
        options.ignore.Matches(ObjectKind::kDaemon, daemon.name, daemon.name)) {
      continue;
    }
    std::string key = "daemon:" + daemon.name;
    std::string site = SiteOfUnmanaged(daemon.name, sites);
    if (site.empty()) continue;
    plan.unmanaged.push_back({site, "", ObjectKind::kDaemon, key});
    if (!policy.prune()) continue;
    DaemonSpec stop;
    stop.name = daemon.name;
    stop.site = site;
    stop.config_file = daemon.config_file;
    std::filesystem::path conf(daemon.config_file);
    stop.pid_file = (conf.parent_path().parent_path() / "pid" / (daemon.name + ".pid")).string();
    Action action = DaemonAction(plan, stop, ActionOp::kDrop,
                                 "not in the desired state: stopped, its ini file removed");
    action.risk = Risk::kDestructive;
    action.blocked_by = policy.Protection(ObjectKind::kDaemon, daemon.name);
    plan.actions.push_back(std::move(action));
  }
}

}  // namespace pgtwin
