#pragma once

#include <string>

#include "model/object.h"
#include "model/status.h"

namespace pgtwin {

// A cluster tree as read back from a snapshot directory.
struct Snapshot {
  Object cluster;
  // False when the dump named one database rather than every database of the cluster.
  bool all_databases = false;
  // The system identifier of the instance it was dumped from; "" when unknown (a snapshot
  // written before pgtwin recorded it, or by a role that could not read it).
  std::string system_identifier;
};

// Writes `cluster` (a kCluster tree, normalized) as a snapshot directory, creating `dir` when
// needed:
//   DIR/cluster.json              format marker, version, the source's system identifier
//                                 (when not ""), cluster attributes, roles and the names of
//                                 the databases
//   DIR/databases/<name>.json     one database each (unsafe file name bytes %-encoded)
// Every file is written to a temporary name and renamed into place; cluster.json is written
// last, and database files of an earlier snapshot that it no longer lists are removed.
Status WriteSnapshot(const Object& cluster, bool all_databases, const std::string& dir,
                     const std::string& system_identifier = "");

// Loads a snapshot directory written by WriteSnapshot (database files in parallel). Errors name
// the file at fault.
StatusOr<Snapshot> LoadSnapshot(const std::string& dir);

// Loads one `DIR/databases/<name>.json` file of a snapshot and returns its database object.
StatusOr<Object> LoadDatabaseFile(const std::string& path);

}  // namespace pgtwin
