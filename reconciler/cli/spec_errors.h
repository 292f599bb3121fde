#pragma once

#include <vector>

#include "model/spec.h"

namespace pgtwin {

// Prints each error as one line "file:line:col: message" on stderr.
void PrintSpecErrors(const std::vector<SpecError>& errors);

}  // namespace pgtwin
