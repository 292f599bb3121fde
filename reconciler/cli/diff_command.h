#pragma once

#include <CLI/CLI.hpp>

namespace pgtwin {

// Adds `pgtwin diff`: compares a source with a target (each live or a snapshot), after renaming
// the source with --map and skipping --ignore rules, and prints the differences as text or
// JSON. Sets *exit_code when it runs: 0 identical, 2 different, 1 error (docs/cli.md).
void RegisterDiffCommand(CLI::App& app, int* exit_code);

}  // namespace pgtwin
