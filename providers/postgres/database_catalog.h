#pragma once

#include <atomic>
#include <cstddef>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "model/object.h"
#include "model/status.h"
#include "providers/postgres/catalog_features.h"

namespace pgtwin {

// Reads the objects of one database — extensions, schemas and all they hold, and the
// replication and RPC configuration (ReplicationReader), as docs/model.md describes them — as
// children of `database`, over `connections` to it. The
// first connection starts a REPEATABLE READ READ ONLY transaction; any others join its
// snapshot (pg_export_snapshot) and each reads its share of the relations, so all see one
// consistent state. Only catalogs are read, with a fixed number of set-based queries per
// connection whatever the database holds; `sent` counts them. Errors name `display` and the
// step that failed.
Status ReadDatabaseCatalog(const std::vector<pqxx::connection*>& connections,
                           const CatalogFeatures& features, std::atomic<size_t>* sent,
                           const std::string& display, Object& database);

}  // namespace pgtwin
