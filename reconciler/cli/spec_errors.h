#pragma once

#include <string>
#include <vector>

#include "model/spec.h"
#include "model/status.h"
#include "reconciler/expand/checked_spec.h"

namespace pgtwin {

// Prints each error as one line "file:line:col: message" on stderr.
void PrintSpecErrors(const std::vector<SpecError>& errors);

// LoadCheckedSpec for a command: on errors, prints them (PrintSpecErrors) and returns
// InvalidArgument "PATH: N error(s)".
StatusOr<CheckedSpec> LoadSpecOrPrintErrors(const std::string& path);

}  // namespace pgtwin
