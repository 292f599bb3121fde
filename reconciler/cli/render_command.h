#pragma once

#include <CLI/CLI.hpp>

namespace pgtwin {

// Adds `pgtwin render SPEC [--format tree|yaml|json] [--site NAME]`: prints the desired state
// of every site of the environment (or one) after expansion of the spec against its Prod
// snapshot. With `roles.passwords: int` it reads INT's password hashes to decide each role's
// `password` attribute (never printing a hash). Sets *exit_code: 0, or 1 on any error.
void RegisterRenderCommand(CLI::App& app, int* exit_code);

}  // namespace pgtwin
