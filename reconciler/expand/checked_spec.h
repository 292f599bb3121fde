#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/object.h"
#include "model/spec.h"

namespace pgtwin {

// A spec file read and checked against the Prod snapshot it follows.
struct CheckedSpec {
  EnvironmentSpec spec;
  Object prod;  // the Prod snapshot's cluster tree
  // The system identifier of the Prod instance the snapshot was dumped from; "" when the
  // snapshot does not record it.
  std::string prod_system_identifier;
};

// The outcome of LoadCheckedSpec: the spec and its Prod tree when there is no error, and every
// error found (spec errors first; the snapshot is only read when the spec itself is valid).
struct CheckedSpecResult {
  std::optional<CheckedSpec> checked;
  std::vector<SpecError> errors;
};

// Loads the spec at `path` (LoadSpec), then its Prod snapshot — a snapshot that does not load
// is an error at the `prod.snapshot` value — and checks one against the other
// (CheckSpecAgainstProd).
CheckedSpecResult LoadCheckedSpec(const std::string& path);

}  // namespace pgtwin
