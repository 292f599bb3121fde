#pragma once

#include <CLI/CLI.hpp>

namespace pgtwin {

// Adds `pgtwin reconcile SPEC`: observes every Test site of the environment, plans what makes
// it match the spec's desired state, prints the plan and, without --dry-run, applies it and
// prints what was done. Sets *exit_code when it runs (docs/cli.md): with --dry-run 0 in sync,
// 2 changes pending, 3 changes blocked by policy, 1 error; applying 0 converged, 1 not.
void RegisterReconcileCommand(CLI::App& app, int* exit_code);

}  // namespace pgtwin
