#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "model/object.h"
#include "model/status.h"

namespace pgtwin {

// A cluster tree read from wherever a `--source`/`--target` argument points.
struct LoadedSource {
  Object cluster;                       // kCluster tree, normalized
  std::string display_name;             // safe to print: a path, or a URI without password
  std::optional<std::string> database;  // set when the source names exactly one database
  size_t queries = 0;                   // queries sent to a server (0 for snapshots)
  bool live = false;                    // read from a server (not a snapshot)
  std::string system_identifier;        // a snapshot directory's recorded one; "" otherwise
};

// Resolves and loads `arg`:
// - an existing directory is a snapshot directory (pgtwin dump --output); it names one
//   database when it was dumped from a URI naming one database;
// - an existing `*.json` file is one database file of a snapshot; the cluster holds just it
//   (a snapshot's `cluster.json` stands for its directory);
// - anything with '=' or a postgres:// / postgresql:// prefix (or empty) is a libpq connection
//   string, read with ReadCluster(all_databases, parallelism); it names one database when it
//   names a database and !all_databases;
// - anything else is reported as a missing file.
// Errors are one line naming the file or the connection (without password).
StatusOr<LoadedSource> LoadSource(const std::string& arg, bool all_databases, int parallelism);

}  // namespace pgtwin
