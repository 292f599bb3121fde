#pragma once

#include <CLI/CLI.hpp>

namespace pgtwin {

// Adds `pgtwin serve`: the continuous reconciler (docs/cli.md, "serve"). Runs until SIGTERM or
// SIGINT (exit 0), reloads its config on SIGHUP; exit 1 when the config is invalid or the API
// cannot listen.
void RegisterServeCommand(CLI::App& app, int* exit_code);

}  // namespace pgtwin
