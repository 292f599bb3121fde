#include "reconciler/cli/validate_command.h"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "reconciler/cli/exit_codes.h"
#include "reconciler/cli/spec_errors.h"
#include "reconciler/expand/checked_spec.h"

namespace pgtwin {

void RegisterValidateCommand(CLI::App& app, int* exit_code) {
  auto specs = std::make_shared<std::vector<std::string>>();
  CLI::App* validate = app.add_subcommand(
      "validate", "Check environment specs, on their own and against their Prod snapshot");
  validate->add_option("SPEC", *specs, "Spec files (YAML)")->required();
  validate->callback([specs, exit_code] {
    int code = kExitOk;
    for (const std::string& path : *specs) {
      CheckedSpecResult result = LoadCheckedSpec(path);
      if (result.errors.empty()) {
        std::printf("%s: ok\n", path.c_str());
      } else {
        PrintSpecErrors(result.errors);
        code = kExitError;
      }
    }
    std::fflush(stdout);
    *exit_code = code;
  });
}

}  // namespace pgtwin
