#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/spec.h"

namespace pgtwin {

// The outcome of reading one spec file: the spec when it has no error, and every error found
// in one pass (unknown keys, wrong types, duplicate keys, missing fields, bad regexes, unknown
// sites, ...), in file order.
struct SpecLoadResult {
  std::optional<EnvironmentSpec> spec;
  std::vector<SpecError> errors;
};

// Reads and checks the spec file at `path` on its own (without the Prod snapshot). Paths in
// the spec are resolved against the file's directory.
SpecLoadResult LoadSpec(const std::string& path);

}  // namespace pgtwin
