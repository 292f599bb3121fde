#pragma once

#include <string>

#include "model/status.h"

namespace pgtwin {

// The query that reads an instance's system identifier (pg_control_system(), executable by
// PUBLIC unless revoked): the number initdb chose, shared by a primary and its physical
// replicas, so two names for one instance (or a replica of it) are told apart from others.
inline constexpr char kSystemIdentifierSql[] =
    "SELECT system_identifier::text FROM pg_control_system()";

// Reads the system identifier of the instance behind `conninfo` in a READ ONLY transaction.
// Errors are one line starting with the connection's display name (never the password).
StatusOr<std::string> ReadSystemIdentifier(const std::string& conninfo);

}  // namespace pgtwin
