#pragma once

#include <string>
#include <vector>

#include "model/object.h"
#include "providers/postgres/catalog_features.h"
#include "providers/postgres/query_runner.h"

namespace pgtwin {

// A database as pg_database lists it; `node` carries its attributes, no children yet.
struct DatabaseEntry {
  Object node;
  bool allow_connections = false;
  bool is_template = false;
};

// What the shared catalogs hold: the cluster node (its attributes and every role, predefined
// pg_* roles left out) and every database, templates included.
struct ClusterCatalog {
  Object cluster;
  std::vector<DatabaseEntry> databases;
};

// Reads roles, memberships, role and database settings, databases and the server settings in
// one REPEATABLE READ READ ONLY transaction. Throws libpqxx exceptions.
ClusterCatalog ReadClusterCatalog(QueryRunner& runner, const CatalogFeatures& features,
                                  std::string cluster_name);

}  // namespace pgtwin
