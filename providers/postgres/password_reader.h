#pragma once

#include <string>

#include "model/desired_state.h"
#include "model/status.h"

namespace pgtwin {

// Reads every role's password hash (SCRAM or MD5 verifier, as pg_authid stores it; roles
// without a password are left out) from the server behind `conninfo` (e.g. INT), with one
// query in a READ ONLY transaction. Needs a superuser: only superusers may read pg_authid.
// Errors are one line starting with the connection's display name (never a password or a
// hash): kInvalidArgument (malformed conninfo), kConnectionFailed, kNotFound (no such
// database), kPermissionDenied (not a superuser), kInternal.
StatusOr<PasswordHashes> ReadPasswordHashes(const std::string& conninfo);

}  // namespace pgtwin
