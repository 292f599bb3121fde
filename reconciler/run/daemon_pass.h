#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/daemon.h"
#include "model/plan.h"
#include "model/spec.h"
#include "reconciler/plan/planner.h"

namespace pgtwin {

// The replication daemons of one reconcile pass: those the spec's `workers` has pgtwin run on
// this host, for the sites the pass observed. A spec without `workers` (empty `dir`) plans and
// reports nothing.
class DaemonPass {
 public:
  DaemonPass(const std::vector<DaemonSpec>& desired, std::string dir, std::set<std::string> sites)
      : desired_(desired), dir_(std::move(dir)), sites_(std::move(sites)) {}

  // Observes the workers directory and appends the daemon actions (PlanDaemons) to `plan`.
  void AddTo(const PlanOptions& options, Plan& plan) const;

  // How the sites' daemons are doing now (ReadDaemonStatus): running, lag, last error, in
  // desired order. A daemon not set up yet (no ini file: its databases may not exist either)
  // is only "not running", nothing is read for it.
  std::vector<DaemonStatus> CurrentStatus(const std::vector<SiteSpec>& spec_sites) const;

 private:
  const std::vector<DaemonSpec>& desired_;
  std::string dir_;
  std::set<std::string> sites_;
};

}  // namespace pgtwin
