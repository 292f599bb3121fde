#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "model/object.h"
#include "model/status.h"

namespace pgtwin {

// How ReadCluster reads.
struct CatalogReadOptions {
  bool all_databases = false;  // read every non-template database that allows connections
  int parallelism = 4;         // databases read at once, each over its own connection
  // When set, a database it returns false for is listed with its attributes only (its
  // objects are not read): what a caller does not manage costs nothing and cannot fail it.
  std::function<bool(const std::string& database)> read_database;
};

// What a read cost.
struct CatalogReadStats {
  size_t queries = 0;    // queries actually sent, on all connections
  size_t databases = 0;  // databases whose objects were read
};

// Reads the cluster behind `conninfo` (a libpq URI or key=value conninfo; PGPASSFILE,
// PGSERVICE and the PG* environment are honoured by libpq) into a normalized tree as
// docs/model.md describes it. When the conninfo names a database (dbname given explicitly,
// also through a service or PGDATABASE) and !all_databases, the result holds the cluster's
// attributes, all roles and that one database; otherwise every non-template database (those
// that do not allow connections with their attributes only). Only catalogs are read, each
// database in one REPEATABLE READ READ ONLY transaction with a fixed number of queries; a
// database whose read fails with "cache lookup failed" (DDL committed while the catalog
// functions ran, e.g. an index dropped) is read again, up to three times in all.
// Errors (one line, starting with the display name, never the password): kInvalidArgument
// (malformed conninfo, unsupported server), kConnectionFailed (unreachable, authentication),
// kNotFound (the database does not exist), kPermissionDenied, kInternal.
StatusOr<Object> ReadCluster(const std::string& conninfo, const CatalogReadOptions& options,
                             CatalogReadStats* stats = nullptr);

// A display name of a conninfo or URI that is safe to print (no password), e.g.
// "postgresql://app@db1:5432/shop".
std::string DisplayName(const std::string& conninfo);

}  // namespace pgtwin
