#include "providers/postgres/database_catalog.h"

#include <memory>
#include <utility>

#include "providers/postgres/catalog_sql.h"
#include "providers/postgres/database_reader.h"
#include "providers/postgres/pg_errors.h"
#include "providers/postgres/query_pool.h"
#include "providers/postgres/query_runner.h"
#include "providers/postgres/replication_reader.h"

namespace pgtwin {
namespace {

constexpr char kSnapshotStep[] = "database snapshot";

// Tickets of the queued queries. The costliest queries — columns, constraints and indexes —
// are split into one part per connection, by table.
struct Plan {
  size_t comments, members, extensions, schemas, types, domain_constraints, sequences, tables,
      views, triggers, routines;
  std::vector<size_t> columns, constraints, indexes;
};

// Queues the queries in the order the reader decodes them (the cheap ones it needs first, the
// ones that are not split before the parts), so the connections share the load, finish
// together and the reader rarely waits. The constraints and the indexes of one part of the
// tables run on the same connection: deparsing a check constraint, an index predicate or
// expression opens the table, and the backend that opened it once keeps it.
Plan QueueQueries(const CatalogFeatures& features, int connections, const pqxx::result& probe,
                  ReplicationReader& replication, QueryPool& pool) {
  namespace sql = catalog_sql;
  const sql::Slice all;
  Plan plan;
  plan.comments = pool.Add("comments", sql::Comments());
  plan.members = pool.Add("extension members", sql::ExtensionMembers());
  plan.extensions = pool.Add("extensions", sql::Extensions());
  plan.schemas = pool.Add("schemas", sql::Schemas());
  plan.types = pool.Add("types", sql::Types());
  plan.domain_constraints = pool.Add("domain constraints", sql::DomainConstraints());
  plan.sequences = pool.Add("sequences", sql::Sequences());
  plan.tables = pool.Add("tables", sql::Tables(all));
  plan.views = pool.Add("views", sql::Views(all));
  plan.triggers = pool.Add("triggers", sql::Triggers(features, all));
  plan.routines = pool.Add("routines", sql::Routines(features));
  replication.Queue(probe, pool);
  for (int i = 0; i < connections; ++i) {
    plan.columns.push_back(pool.Add("columns", sql::Columns(sql::Slice{i, connections})));
  }
  for (int i = 0; i < connections; ++i) {
    plan.constraints.push_back(pool.Add("constraints", sql::Constraints(sql::Slice{i, connections}),
                                        static_cast<size_t>(i)));
  }
  for (int i = 0; i < connections; ++i) {
    plan.indexes.push_back(pool.Add("indexes", sql::Indexes(features, sql::Slice{i, connections}),
                                    static_cast<size_t>(i)));
  }
  return plan;
}

// Decodes the results in the reader's order; `step` follows along for errors.
void Decode(const Plan& plan, ReplicationReader& replication, QueryPool& pool, const char*& step,
            Object& database) {
  DatabaseReader reader;
  auto take = [&](const char* name, size_t ticket,
                  void (DatabaseReader::*add)(const pqxx::result&)) {
    step = name;
    (reader.*add)(pool.Take(ticket));
  };
  take("comments", plan.comments, &DatabaseReader::AddComments);
  take("extension members", plan.members, &DatabaseReader::AddExtensionMembers);
  step = "extensions";
  reader.AddExtensions(pool.Take(plan.extensions), database);
  take("schemas", plan.schemas, &DatabaseReader::AddSchemas);
  take("types", plan.types, &DatabaseReader::AddTypes);
  take("domain constraints", plan.domain_constraints, &DatabaseReader::AddDomainConstraints);
  take("sequences", plan.sequences, &DatabaseReader::AddSequences);
  take("tables", plan.tables, &DatabaseReader::AddTables);
  take("views", plan.views, &DatabaseReader::AddViews);
  take("triggers", plan.triggers, &DatabaseReader::AddTriggers);
  take("routines", plan.routines, &DatabaseReader::AddRoutines);
  for (size_t ticket : plan.columns) take("columns", ticket, &DatabaseReader::AddColumns);
  for (size_t ticket : plan.constraints) {
    take("constraints", ticket, &DatabaseReader::AddConstraints);
  }
  for (size_t ticket : plan.indexes) take("indexes", ticket, &DatabaseReader::AddIndexes);
  reader.Finish(database);
  replication.Decode(pool, step, database);
}

}  // namespace

Status ReadDatabaseCatalog(const std::vector<pqxx::connection*>& connections,
                           const CatalogFeatures& features, std::atomic<size_t>* sent,
                           const std::string& display, Object& database) {
  const char* step = kSnapshotStep;
  try {
    std::vector<std::unique_ptr<QueryRunner>> runners;
    for (pqxx::connection* conn : connections) {
      runners.push_back(std::make_unique<QueryRunner>(*conn, sent));
    }
    runners.front()->Run(kSnapshotStep, catalog_sql::BeginSnapshot());
    std::string snapshot;
    if (runners.size() > 1) {
      snapshot = Text(runners.front()->Run(kSnapshotStep, catalog_sql::ExportSnapshot())[0][0]);
    }
    for (size_t i = 1; i < runners.size(); ++i) {
      runners[i]->Run(kSnapshotStep, catalog_sql::BeginSnapshot(snapshot));
    }
    std::vector<QueryRunner*> pool_runners;
    for (auto& runner : runners) pool_runners.push_back(runner.get());
    step = "replication probe";
    pqxx::result probe = runners.front()->Run(step, ReplicationReader::ProbeSql());
    QueryPool pool(pool_runners);
    ReplicationReader replication;
    Plan plan = QueueQueries(features, static_cast<int>(runners.size()), probe, replication, pool);
    pool.Start();
    Decode(plan, replication, pool, step, database);
    step = kSnapshotStep;
    pool.Join();
    replication.ReadFunctionClusters(*runners.front(), database);
    for (auto& runner : runners) runner->Run(kSnapshotStep, catalog_sql::Commit());
  } catch (const std::exception& e) {
    return StatusFromException(e, display, step);
  }
  return Status::Ok();
}

}  // namespace pgtwin
