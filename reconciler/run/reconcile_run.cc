#include "reconciler/run/reconcile_run.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <set>
#include <utility>

#include "providers/postgres/catalog_reader.h"
#include "providers/postgres/password_reader.h"
#include "providers/postgres/system_identifier.h"
#include "providers/process/daemon_control.h"
#include "reconciler/apply/executor.h"
#include "reconciler/expand/checked_spec.h"
#include "reconciler/expand/expander.h"
#include "reconciler/plan/planner.h"
#include "reconciler/run/daemon_pass.h"
#include "reconciler/run/observe_sites.h"

namespace pgtwin {
namespace {

// Runs actions on the Test sites (daemon actions on this host), logging each one at debug
// level, unless the pass is cancelled.
class LoggingRunner : public ActionRunner {
 public:
  LoggingRunner(PlanRunner& runner, size_t total, const std::function<bool()>& cancelled)
      : runner_(runner), total_(total), cancelled_(cancelled) {}

  Status Run(const Action& action) override {
    if (cancelled_ && cancelled_()) {
      return Status(StatusCode::kInternal, "site " + action.site + ": abandoned: shutting down");
    }
    spdlog::debug("[{}/{}] {} {} {}", ++count_, total_, action.site, ActionOpMarker(action.op),
                  action.key);
    return action.daemon ? RunDaemonAction(action) : runner_.Run(action);
  }

 private:
  PlanRunner& runner_;
  size_t total_;
  const std::function<bool()>& cancelled_;
  size_t count_ = 0;
};

// The spec's sites that `names` selects (all when empty).
StatusOr<std::vector<const SiteState*>> SelectSites(const DesiredState& desired,
                                                    const std::vector<std::string>& names,
                                                    const std::string& spec_path) {
  std::vector<const SiteState*> selected;
  std::string known;
  for (const SiteState& site : desired.sites) known += (known.empty() ? "" : ", ") + site.site.name;
  for (const std::string& name : names) {
    bool found = false;
    for (const SiteState& site : desired.sites) found = found || site.site.name == name;
    if (!found) {
      return Status(StatusCode::kInvalidArgument, "--site '" + name + "': no such site in " +
                                                      spec_path + " (sites: " + known + ")");
    }
  }
  for (const SiteState& site : desired.sites) {
    bool wanted = names.empty();
    for (const std::string& name : names) wanted = wanted || site.site.name == name;
    if (wanted) selected.push_back(&site);
  }
  return selected;
}

// The sources a Test site must not be, identified by their system identifiers: the Prod
// instance the snapshot was dumped from (when the snapshot records it) and INT.
StatusOr<std::vector<SourceIdentity>> SourceIdentities(const CheckedSpec& checked) {
  const EnvironmentSpec& spec = checked.spec;
  std::vector<SourceIdentity> sources;
  if (!checked.prod_system_identifier.empty()) {
    sources.push_back(
        {"Prod snapshot (" + spec.prod_snapshot + ")", checked.prod_system_identifier});
  } else {
    spdlog::debug("{}: records no system identifier; a site that is Prod is not detected",
                  spec.prod_snapshot);
  }
  if (spec.int_source.empty()) return sources;
  StatusOr<std::string> id = ReadSystemIdentifier(spec.int_source);
  if (!id.ok()) {
    return Status(id.status().code(),
                  "INT " + id.status().message() + " (needed to make sure no site is INT)");
  }
  sources.push_back({"INT (" + DisplayName(spec.int_source) + ")", *id});
  return sources;
}

StatusOr<PlanOptions> MakePlanOptions(const EnvironmentSpec& spec, bool prune) {
  PlanOptions plan;
  plan.prune = prune || spec.policy.prune;
  plan.protect = spec.policy.protect;
  plan.skip_roles = spec.roles.skip;
  for (const std::string& rule : spec.ignore) {
    if (Status status = plan.ignore.AddFlag(rule); !status.ok()) return status;
  }
  return plan;
}

// Blocks every action on a site the spec marks protected.
void BlockProtectedSites(const std::vector<ObservedSite>& sites, Plan* plan) {
  for (const ObservedSite& site : sites) {
    if (!site.state->site.protect) continue;
    for (Action& action : plan->actions) {
      if (action.site == site.state->site.name && action.blocked_by.empty()) {
        action.blocked_by = "site " + action.site + " is protected in the spec";
      }
    }
  }
}

// What the planner gets for each observed site (sites that failed are left out).
std::vector<SitePlanInput> PlanInputs(const std::vector<ObservedSite>& sites,
                                      const DesiredState& desired, bool manage_passwords) {
  std::vector<SitePlanInput> inputs;
  for (const ObservedSite& site : sites) {
    if (!site.error.empty()) continue;
    inputs.push_back({site.state->site.name, &site.state->desired, &site.observed,
                      manage_passwords ? &desired.passwords : nullptr,
                      manage_passwords ? &site.passwords : nullptr});
  }
  return inputs;
}

// The check that an apply converged: the sites where some action was done are observed again
// (their locks are still held) and planned again; what that plan holds is still different.
// nullopt when no action was done (nothing changed since the sites were observed).
std::optional<Verification> Verify(const ReconcileReport& report,
                                   const std::vector<ObservedSite>& sites,
                                   const ObserveOptions& observe, const DesiredState& desired,
                                   const PlanOptions& plan_options, bool manage_passwords,
                                   const DaemonPass& daemons) {
  std::set<std::string> changed;
  for (size_t i = 0; i < report.outcomes.size() && i < report.plan.actions.size(); ++i) {
    if (report.outcomes[i].state == ActionState::kDone) changed.insert(report.plan.actions[i].site);
  }
  if (changed.empty()) return std::nullopt;
  std::vector<const SiteState*> states;
  for (const ObservedSite& site : sites) {
    if (changed.count(site.state->site.name) > 0) states.push_back(site.state);
  }
  ObserveOptions again = observe;
  again.lock = false;
  std::vector<ObservedSite> observed = ObserveSites(states, again);
  Verification verification;
  for (const ObservedSite& site : observed) {
    verification.sites.push_back(
        {site.state->site.name, site.state->site.DisplayName(), site.error});
  }
  verification.remaining =
      BuildPlan(PlanInputs(observed, desired, manage_passwords), plan_options);
  daemons.AddTo(plan_options, verification.remaining);
  spdlog::info("verify: {} actions still planned", verification.remaining.actions.size());
  return verification;
}

}  // namespace

StatusOr<RunResult> RunReconcile(const std::string& spec_path, const RunOptions& options) {
  RunResult result;
  CheckedSpecResult checked = LoadCheckedSpec(spec_path);
  if (!checked.errors.empty()) {
    result.spec_errors = std::move(checked.errors);
    return result;
  }
  const EnvironmentSpec& spec = checked.checked->spec;
  StatusOr<PlanOptions> plan_options = MakePlanOptions(spec, options.prune);
  if (!plan_options.ok()) return plan_options.status();

  bool manage_passwords = spec.roles.passwords == "int";
  PasswordHashes int_hashes;
  if (manage_passwords) {
    StatusOr<PasswordHashes> read = ReadPasswordHashes(spec.int_source);
    if (!read.ok()) return Status(read.status().code(), "INT " + read.status().message());
    int_hashes = std::move(read).value();
  }
  DesiredState desired = Expand(spec, checked.checked->prod, int_hashes);
  StatusOr<std::vector<const SiteState*>> selected =
      SelectSites(desired, options.sites, spec_path);
  if (!selected.ok()) return selected.status();

  ObserveOptions observe;
  observe.lock = !options.dry_run;
  observe.guard.environment = spec.environment;
  observe.guard.timeout_seconds = options.lock_timeout;
  observe.guard.on_wait = options.on_wait;
  observe.read_passwords = manage_passwords;
  observe.parallel = options.parallel;
  if (!options.dry_run) {
    StatusOr<std::vector<SourceIdentity>> sources = SourceIdentities(*checked.checked);
    if (!sources.ok()) return sources.status();
    observe.guard.sources = std::move(sources).value();
  }
  std::vector<ObservedSite> sites = ObserveSites(*selected, observe);

  ReconcileReport& report = result.report;
  report.environment = spec.environment;
  std::map<std::string, std::string> conninfos;
  for (const ObservedSite& site : sites) {
    const SiteSpec& spec_site = site.state->site;
    report.sites.push_back({spec_site.name, spec_site.DisplayName(), site.error});
    if (site.error.empty()) conninfos[spec_site.name] = spec_site.Conninfo();
  }
  report.plan = BuildPlan(PlanInputs(sites, desired, manage_passwords), *plan_options);
  std::set<std::string> observed_sites;
  for (const auto& [site, conninfo] : conninfos) observed_sites.insert(site);
  DaemonPass daemons(desired.daemons, spec.workers.dir, std::move(observed_sites));
  daemons.AddTo(*plan_options, report.plan);
  BlockProtectedSites(sites, &report.plan);
  spdlog::info("plan: {} actions, {} unmanaged", report.plan.actions.size(),
               report.plan.unmanaged.size());
  if (options.on_plan) options.on_plan(report);
  if (options.dry_run) {
    report.daemons = daemons.CurrentStatus(spec.sites);
    return result;
  }

  PlanRunner runner(std::move(conninfos), desired.passwords, options.limits);
  LoggingRunner logging(runner, report.plan.actions.size(), options.cancelled);
  report.outcomes = ApplyPlan(report.plan, logging);
  report.applied = true;
  report.verification =
      Verify(report, sites, observe, desired, *plan_options, manage_passwords, daemons);
  report.daemons = daemons.CurrentStatus(spec.sites);
  return result;
}

std::map<std::string, size_t> DriftByKind(const Plan& plan) {
  std::map<std::string, size_t> counts;
  for (const Action& action : plan.actions) ++counts[std::string(KindName(action.kind))];
  return counts;
}

}  // namespace pgtwin
