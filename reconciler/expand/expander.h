#pragma once

#include <vector>

#include "model/desired_state.h"
#include "model/object.h"
#include "model/spec.h"

namespace pgtwin {

// Checks what only the Prod snapshot can tell: every database exists in Prod, a shard count
// is not above Prod's, ... Each error points at the spec line at fault.
std::vector<SpecError> CheckSpecAgainstProd(const EnvironmentSpec& spec, const Object& prod);

// Expands a spec that passed CheckSpecAgainstProd into each site's desired tree: the chosen
// databases (shards cut to the first N, names kept), the roles from Prod without skipped ones,
// and the password hashes from INT for those roles.
DesiredState Expand(const EnvironmentSpec& spec, const Object& prod,
                    const PasswordHashes& int_passwords);

}  // namespace pgtwin
