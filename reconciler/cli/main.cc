// pgtwin: keeps PostgreSQL Test environments the same shape as Prod. Each command lives in its
// own file and registers itself here; exit codes are in exit_codes.h and docs/cli.md.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <string>

#include "reconciler/cli/diff_command.h"
#include "reconciler/cli/dump_command.h"
#include "reconciler/cli/exit_codes.h"
#include "reconciler/cli/names_command.h"
#include "reconciler/cli/reconcile_command.h"
#include "reconciler/cli/render_command.h"
#include "reconciler/cli/serve_command.h"
#include "reconciler/cli/validate_command.h"

namespace {

// Logs go to stderr, and only from `verbose` on (nothing before the command line is parsed).
void ConfigureLogging() {
  auto logger = spdlog::stderr_color_mt("pgtwin");
  logger->set_pattern("pgtwin: %^%l%$: %v");
  logger->set_level(spdlog::level::off);
  spdlog::set_default_logger(logger);
}

}  // namespace

int main(int argc, char** argv) {
  ConfigureLogging();
  CLI::App app("Keeps PostgreSQL Test environments the same shape as Prod.", "pgtwin");
  app.require_subcommand(1);
  app.fallthrough();  // global flags such as -v also work after the command
  app.set_version_flag("--version", PGTWIN_VERSION);
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Log progress to stderr");
  app.parse_complete_callback([&verbose] {
    if (verbose) spdlog::set_level(spdlog::level::debug);
  });

  int exit_code = pgtwin::kExitOk;
  pgtwin::RegisterDumpCommand(app, &exit_code);
  pgtwin::RegisterDiffCommand(app, &exit_code);
  pgtwin::RegisterReconcileCommand(app, &exit_code);
  pgtwin::RegisterValidateCommand(app, &exit_code);
  pgtwin::RegisterRenderCommand(app, &exit_code);
  pgtwin::RegisterServeCommand(app, &exit_code);
  pgtwin::RegisterNamesCommand(app, &exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    return pgtwin::ReportError(pgtwin::Status(pgtwin::StatusCode::kInvalidArgument,
                                              std::string(e.what()) + " (see --help)"));
  } catch (const std::exception& e) {
    return pgtwin::ReportError(
        pgtwin::Status(pgtwin::StatusCode::kInternal, std::string("internal error: ") + e.what()));
  }
  return exit_code;
}
