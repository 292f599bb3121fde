#pragma once

#include <cstddef>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "model/object.h"
#include "providers/postgres/query_pool.h"

namespace pgtwin {

// Reads a database's replication and RPC configuration — PgQ queues and consumers, pgq_node
// nodes, locations and subscribers, Londiste tables and sequences, PL/Proxy clusters and
// partconf (docs/model.md) — with a fixed number of queries: one probe that says which of
// those modules the database holds, then one query per module found (none for a database
// without them, so nothing is read from a schema that does not exist). Internal to
// ReadDatabaseCatalog: Probe() runs first, Queue() before the pool starts, Decode() after the
// other objects are in `database`.
class ReplicationReader {
 public:
  // One row: which modules the database holds.
  static std::string ProbeSql();

  // Reads the probe's row and queues a query for each module it found.
  void Queue(const pqxx::result& probe, QueryPool& pool);

  // Takes the queued queries' rows and adds their objects to `database`; `step` follows along
  // for errors.
  void Decode(QueryPool& pool, const char*& step, Object& database);

 private:
  std::optional<size_t> queues_, nodes_, members_, tables_, sequences_, clusters_, partconf_;
};

}  // namespace pgtwin
