#pragma once

#include <CLI/CLI.hpp>

namespace pgtwin {

// Adds `pgtwin names SPEC [--format service|hosts|json] [--output FILE]`: the client-facing
// names of every database of the environment ("<database>.<site>.<suffix>", see
// reconciler/names/connection_names.h) as a pg_service.conf, a hosts-file fragment or JSON,
// on stdout or written atomically to FILE. Reads the spec and its Prod snapshot only.
// Sets *exit_code: 0, or 1 on any error.
void RegisterNamesCommand(CLI::App& app, int* exit_code);

}  // namespace pgtwin
