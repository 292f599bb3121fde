#include "reconciler/cli/names_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include "providers/host/address_resolver.h"
#include "providers/snapshot/file_io.h"
#include "reconciler/cli/exit_codes.h"
#include "reconciler/cli/spec_errors.h"
#include "reconciler/expand/expander.h"
#include "reconciler/names/connection_names.h"

namespace pgtwin {
namespace {

struct NamesOptions {
  std::string spec;
  std::string format = "service";
  std::string output;
};

Status RunNames(const NamesOptions& options) {
  StatusOr<CheckedSpec> checked = LoadSpecOrPrintErrors(options.spec);
  if (!checked.ok()) return checked.status();
  const EnvironmentSpec& spec = checked.value().spec;
  // Which site carries which database does not depend on passwords: INT is not read.
  DesiredState state = Expand(spec, checked.value().prod, PasswordHashes());
  std::vector<ConnectionName> names = NameDatabases(state, spec.names.suffix);
  std::string header = "Names of the databases of environment " + spec.environment +
                       ", written by `pgtwin names " + options.spec + "`: do not edit.";
  std::string text;
  if (options.format == "json") {
    text = RenderNamesJson(spec.environment, names);
  } else if (options.format == "hosts") {
    text = RenderHostsFragment(names, header, ResolveAddress);
  } else {
    text = RenderServiceFile(names, header + "\nUse: PGSERVICEFILE=<this file> psql service=NAME");
  }
  if (!options.output.empty()) {
    Status written = WriteFileAtomically(options.output, text);
    if (!written.ok()) return written;
    return Status::Ok();
  }
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    return Status(StatusCode::kInternal, "cannot write to standard output");
  }
  return Status::Ok();
}

}  // namespace

void RegisterNamesCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<NamesOptions>();
  CLI::App* names = app.add_subcommand(
      "names", "Write the client-facing names of an environment's databases (pg_service.conf, "
               "hosts entries)");
  names->add_option("SPEC", options->spec, "Spec file (YAML)")->required();
  names->add_option("--format", options->format, "service (default), hosts or json")
      ->check(CLI::IsMember({"service", "hosts", "json"}));
  names->add_option("--output", options->output, "Write to this file (atomically), not stdout");
  names->callback([options, exit_code] {
    Status status = RunNames(*options);
    *exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace pgtwin
