#pragma once

#include <string>

#include "model/object.h"

namespace pgtwin {

// What a database created by CREATE DATABASE ... TEMPLATE template0 already holds on
// PostgreSQL 15 and later, as the catalog reader reports it: the schema public (owned by
// pg_database_owner, USAGE for PUBLIC) and the extension plpgsql. The planner diffs a new
// database's desired contents against this, so it neither creates them again nor misses a
// change Prod made to them.
Object FreshDatabase(const std::string& name);

}  // namespace pgtwin
