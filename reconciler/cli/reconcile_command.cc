#include "reconciler/cli/reconcile_command.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "reconciler/cli/exit_codes.h"
#include "reconciler/cli/spec_errors.h"
#include "reconciler/report/plan_json.h"
#include "reconciler/report/plan_text.h"
#include "reconciler/run/reconcile_run.h"

namespace pgtwin {
namespace {

struct ReconcileOptions {
  std::string spec;
  std::string output = "text";
  bool no_color = false;
  RunOptions run;  // --dry-run, --prune, --site, the timeouts, --parallel
};

Status WriteStdout(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    return Status(StatusCode::kInternal, "cannot write to standard output");
  }
  return Status::Ok();
}

int DryRunExitCode(const ReconcileReport& report) {
  if (FailedSites(report) > 0) return kExitError;
  PlanCounts counts = CountPlan(report.plan);
  if (counts.blocked > 0) return kExitBlocked;
  return counts.Changes() > 0 ? kExitChangesPending : kExitOk;
}

Status RunReconcileCommand(const ReconcileOptions& options, int* exit_code) {
  bool color = !options.no_color && std::getenv("NO_COLOR") == nullptr && isatty(STDOUT_FILENO);
  RunOptions run = options.run;
  Status printed = Status::Ok();
  run.on_wait = [](const std::string& line) { std::fprintf(stderr, "pgtwin: %s\n", line.c_str()); };
  // The plan is printed before the apply starts, site errors first on stderr.
  run.on_plan = [&options, color, &printed](const ReconcileReport& report) {
    for (const SiteResult& site : report.sites) {
      if (site.error.empty()) continue;
      std::fprintf(stderr, "pgtwin: site %s: %s\n", site.name.c_str(), site.error.c_str());
    }
    if (options.output != "text") return;
    std::ostringstream out;
    WritePlanText(report, color, out);
    printed = WriteStdout(out.str());
  };
  StatusOr<RunResult> result = RunReconcile(options.spec, run);
  if (!result.ok()) return result.status();
  if (!result->spec_errors.empty()) {
    PrintSpecErrors(result->spec_errors);
    size_t count = result->spec_errors.size();
    return Status(StatusCode::kInvalidArgument, options.spec + ": " + std::to_string(count) +
                                                    (count == 1 ? " error" : " errors"));
  }
  if (!printed.ok()) return printed;
  const ReconcileReport& report = result->report;
  *exit_code = report.applied ? (Converged(report) ? kExitOk : kExitNotConverged)
                              : DryRunExitCode(report);
  std::ostringstream out;
  if (options.output == "json") {
    WriteReconcileJson(report, out);
  } else if (report.applied) {
    WriteApplyText(report, color, out);
  }
  if (options.output == "text") WriteDaemonsText(report, color, out);
  return WriteStdout(out.str());
}

}  // namespace

void RegisterReconcileCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ReconcileOptions>();
  CLI::App* reconcile = app.add_subcommand(
      "reconcile", "Plan and apply what makes the Test sites of an environment match its spec");
  reconcile->add_option("SPEC", options->spec, "Spec file (YAML)")->required();
  reconcile->add_flag("--dry-run", options->run.dry_run,
                      "Print the plan only; exit 0 in sync, 2 changes pending, 3 blocked");
  reconcile->add_option("--output", options->output, "Output format: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  reconcile->add_flag("--prune", options->run.prune,
                      "Drop objects Prod does not have (never protected ones)");
  reconcile->add_option("--site", options->run.sites, "Only this site (repeatable)");
  reconcile
      ->add_option("--lock-timeout", options->run.lock_timeout,
                   "Seconds to wait for another reconcile's lock (default: 60; 0: no wait)")
      ->check(CLI::Range(0, 86400));
  reconcile
      ->add_option("--ddl-lock-timeout", options->run.limits.lock_timeout_seconds,
                   "Seconds a statement of the apply waits for a lock before its action fails "
                   "(default: 5; 0: no limit)")
      ->check(CLI::Range(0, 86400));
  reconcile
      ->add_option("--statement-timeout", options->run.limits.statement_timeout_seconds,
                   "Seconds a statement of the apply may run (default: 600; 0: no limit)")
      ->check(CLI::Range(0, 86400));
  reconcile->add_flag("--no-color", options->no_color, "Never colour the text output");
  reconcile
      ->add_option("--parallel", options->run.parallel, "Databases read at once per site (default: 4)")
      ->check(CLI::Range(1, 64));
  reconcile->callback([options, exit_code] {
    Status status = RunReconcileCommand(*options, exit_code);
    if (!status.ok()) *exit_code = ReportError(status);
  });
}

}  // namespace pgtwin
