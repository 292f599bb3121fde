#pragma once

#include <CLI/CLI.hpp>

namespace pgtwin {

// Adds `pgtwin validate SPEC...`: checks each spec file on its own and against the Prod
// snapshot it follows, prints every error as "file:line:col: message" on stderr and
// "SPEC: ok" on stdout for each valid file. Sets *exit_code: 0 all valid, 1 otherwise.
void RegisterValidateCommand(CLI::App& app, int* exit_code);

}  // namespace pgtwin
