#pragma once

#include <CLI/CLI.hpp>

namespace pgtwin {

// Adds `pgtwin dump`: reads a cluster (live or from a snapshot) and prints it as a tree, YAML or
// JSON, or writes it as a snapshot directory. Sets *exit_code when it runs (docs/cli.md).
void RegisterDumpCommand(CLI::App& app, int* exit_code);

}  // namespace pgtwin
