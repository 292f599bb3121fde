#pragma once

#include <cstddef>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "model/object.h"
#include "providers/postgres/query_pool.h"
#include "providers/postgres/query_runner.h"

namespace pgtwin {

// Reads a database's replication and RPC configuration — PgQ queues and consumers, pgq_node
// nodes, locations and subscribers, Londiste tables and sequences, PL/Proxy clusters and
// partconf (docs/model.md) — with a fixed number of queries: one probe that says which of
// those modules the database holds, then one query per module found (none for a database
// without them, so nothing is read from a schema that does not exist). Internal to
// ReadDatabaseCatalog: Probe() runs first, Queue() before the pool starts, Decode() after the
// other objects are in `database`, ReadFunctionClusters() last, once the pool has joined.
class ReplicationReader {
 public:
  // One row: which modules the database holds.
  static std::string ProbeSql();

  // Reads the probe's row and queues a query for each module it found.
  void Queue(const pqxx::result& probe, QueryPool& pool);

  // Takes the queued queries' rows and adds their objects to `database`; `step` follows along
  // for errors.
  void Decode(QueryPool& pool, const char*& step, Object& database);

  // PL/Proxy clusters configured by functions (plproxy.get_cluster_partitions and, when it
  // exists, plproxy.get_cluster_config), for the cluster names PL/Proxy functions name
  // (`CLUSTER 'name'`) that no SQL/MED server defines: one query over `runner`, inside a
  // savepoint, since it calls the user's functions. When they fail, the savepoint is rolled
  // back and no such cluster is read (the rest of the read goes on). Nothing when the probe
  // found no plproxy.get_cluster_partitions(text).
  void ReadFunctionClusters(QueryRunner& runner, Object& database);

 private:
  std::optional<size_t> queues_, nodes_, members_, tables_, sequences_, clusters_, partconf_;
  bool function_clusters_ = false;
  bool function_config_ = false;
};

}  // namespace pgtwin
