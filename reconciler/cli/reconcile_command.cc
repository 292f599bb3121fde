#include "reconciler/cli/reconcile_command.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "providers/postgres/catalog_reader.h"
#include "providers/postgres/password_reader.h"
#include "providers/postgres/plan_runner.h"
#include "providers/postgres/system_identifier.h"
#include "reconciler/apply/executor.h"
#include "reconciler/cli/exit_codes.h"
#include "reconciler/cli/reconcile_sites.h"
#include "reconciler/cli/spec_errors.h"
#include "reconciler/expand/checked_spec.h"
#include "reconciler/expand/expander.h"
#include "reconciler/plan/planner.h"
#include "reconciler/report/plan_json.h"
#include "reconciler/report/plan_text.h"

namespace pgtwin {
namespace {

struct ReconcileOptions {
  std::string spec;
  bool dry_run = false;
  std::string output = "text";
  bool prune = false;
  std::vector<std::string> sites;
  int lock_timeout = 60;
  RunLimits limits;  // --ddl-lock-timeout, --statement-timeout
  bool no_color = false;
  int parallel = 4;
};

// Runs actions on the Test sites, logging each one with -v.
class LoggingRunner : public ActionRunner {
 public:
  LoggingRunner(PlanRunner& runner, size_t total) : runner_(runner), total_(total) {}

  Status Run(const Action& action) override {
    spdlog::debug("[{}/{}] {} {} {}", ++count_, total_, action.site, ActionOpMarker(action.op),
                  action.key);
    return runner_.Run(action);
  }

 private:
  PlanRunner& runner_;
  size_t total_;
  size_t count_ = 0;
};

Status WriteStdout(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    return Status(StatusCode::kInternal, "cannot write to standard output");
  }
  return Status::Ok();
}

// The spec's sites that --site selects (all without it).
StatusOr<std::vector<const SiteState*>> SelectSites(const DesiredState& desired,
                                                    const ReconcileOptions& options) {
  std::vector<const SiteState*> selected;
  std::string known;
  for (const SiteState& site : desired.sites) known += (known.empty() ? "" : ", ") + site.site.name;
  for (const std::string& name : options.sites) {
    bool found = false;
    for (const SiteState& site : desired.sites) found = found || site.site.name == name;
    if (!found) {
      return Status(StatusCode::kInvalidArgument, "--site '" + name + "': no such site in " +
                                                      options.spec + " (sites: " + known + ")");
    }
  }
  for (const SiteState& site : desired.sites) {
    bool wanted = options.sites.empty();
    for (const std::string& name : options.sites) wanted = wanted || site.site.name == name;
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
                                   const PlanOptions& plan_options, bool manage_passwords) {
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
  spdlog::info("verify: {} actions still planned", verification.remaining.actions.size());
  return verification;
}

int DryRunExitCode(const ReconcileReport& report) {
  if (FailedSites(report) > 0) return kExitError;
  PlanCounts counts = CountPlan(report.plan);
  if (counts.blocked > 0) return kExitBlocked;
  return counts.Changes() > 0 ? kExitChangesPending : kExitOk;
}

Status RunReconcile(const ReconcileOptions& options, int* exit_code) {
  CheckedSpecResult checked = LoadCheckedSpec(options.spec);
  if (!checked.errors.empty()) {
    PrintSpecErrors(checked.errors);
    return Status(StatusCode::kInvalidArgument,
                  options.spec + ": " + std::to_string(checked.errors.size()) +
                      (checked.errors.size() == 1 ? " error" : " errors"));
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
  StatusOr<std::vector<const SiteState*>> selected = SelectSites(desired, options);
  if (!selected.ok()) return selected.status();

  ObserveOptions observe;
  observe.lock = !options.dry_run;
  observe.guard.environment = spec.environment;
  observe.guard.timeout_seconds = options.lock_timeout;
  observe.read_passwords = manage_passwords;
  observe.parallel = options.parallel;
  if (!options.dry_run) {
    StatusOr<std::vector<SourceIdentity>> sources = SourceIdentities(*checked.checked);
    if (!sources.ok()) return sources.status();
    observe.guard.sources = std::move(sources).value();
  }
  std::vector<ObservedSite> sites = ObserveSites(*selected, observe);

  ReconcileReport report;
  report.environment = spec.environment;
  std::map<std::string, std::string> conninfos;
  for (const ObservedSite& site : sites) {
    const SiteSpec& spec_site = site.state->site;
    report.sites.push_back({spec_site.name, spec_site.DisplayName(), site.error});
    if (!site.error.empty()) {
      std::fprintf(stderr, "pgtwin: site %s: %s\n", spec_site.name.c_str(), site.error.c_str());
      continue;
    }
    conninfos[spec_site.name] = spec_site.Conninfo();
  }
  report.plan = BuildPlan(PlanInputs(sites, desired, manage_passwords), *plan_options);
  BlockProtectedSites(sites, &report.plan);
  spdlog::info("plan: {} actions, {} unmanaged", report.plan.actions.size(),
               report.plan.unmanaged.size());

  bool color = !options.no_color && std::getenv("NO_COLOR") == nullptr && isatty(STDOUT_FILENO);
  if (options.output == "text") {
    std::ostringstream out;
    WritePlanText(report, color, out);
    if (Status status = WriteStdout(out.str()); !status.ok()) return status;
  }
  if (options.dry_run) {
    *exit_code = DryRunExitCode(report);
  } else {
    PlanRunner runner(std::move(conninfos), desired.passwords, options.limits);
    LoggingRunner logging(runner, report.plan.actions.size());
    report.outcomes = ApplyPlan(report.plan, logging);
    report.applied = true;
    report.verification =
        Verify(report, sites, observe, desired, *plan_options, manage_passwords);
    *exit_code = Converged(report) ? kExitOk : kExitNotConverged;
  }
  std::ostringstream out;
  if (options.output == "json") {
    WriteReconcileJson(report, out);
  } else if (report.applied) {
    WriteApplyText(report, color, out);
  }
  return WriteStdout(out.str());
}

}  // namespace

void RegisterReconcileCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ReconcileOptions>();
  CLI::App* reconcile = app.add_subcommand(
      "reconcile", "Plan and apply what makes the Test sites of an environment match its spec");
  reconcile->add_option("SPEC", options->spec, "Spec file (YAML)")->required();
  reconcile->add_flag("--dry-run", options->dry_run,
                      "Print the plan only; exit 0 in sync, 2 changes pending, 3 blocked");
  reconcile->add_option("--output", options->output, "Output format: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  reconcile->add_flag("--prune", options->prune,
                      "Drop objects Prod does not have (never protected ones)");
  reconcile->add_option("--site", options->sites, "Only this site (repeatable)");
  reconcile
      ->add_option("--lock-timeout", options->lock_timeout,
                   "Seconds to wait for another reconcile's lock (default: 60; 0: no wait)")
      ->check(CLI::Range(0, 86400));
  reconcile
      ->add_option("--ddl-lock-timeout", options->limits.lock_timeout_seconds,
                   "Seconds a statement of the apply waits for a lock before its action fails "
                   "(default: 5; 0: no limit)")
      ->check(CLI::Range(0, 86400));
  reconcile
      ->add_option("--statement-timeout", options->limits.statement_timeout_seconds,
                   "Seconds a statement of the apply may run (default: 600; 0: no limit)")
      ->check(CLI::Range(0, 86400));
  reconcile->add_flag("--no-color", options->no_color, "Never colour the text output");
  reconcile
      ->add_option("--parallel", options->parallel, "Databases read at once per site (default: 4)")
      ->check(CLI::Range(1, 64));
  reconcile->callback([options, exit_code] {
    Status status = RunReconcile(*options, exit_code);
    if (!status.ok()) *exit_code = ReportError(status);
  });
}

}  // namespace pgtwin
