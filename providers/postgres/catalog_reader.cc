#include "providers/postgres/catalog_reader.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "providers/postgres/catalog_features.h"
#include "providers/postgres/cluster_catalog.h"
#include "providers/postgres/conninfo.h"
#include "providers/postgres/database_catalog.h"
#include "providers/postgres/pg_errors.h"
#include "providers/postgres/query_runner.h"

namespace pgtwin {
namespace {

constexpr int kOldestServer = 120000;

// One database to read: its node (attributes from pg_database) and, for the database the
// first connection landed in, that connection.
struct DatabaseTask {
  Object node;
  std::unique_ptr<pqxx::connection> conn;
  bool may_vanish = false;  // listed by the cluster read, not named by the user
  bool vanished = false;    // dropped after it was listed
  Status status;
};

StatusOr<std::unique_ptr<pqxx::connection>> Connect(const ConnTarget& target,
                                                    const std::string& dbname) {
  try {
    return std::make_unique<pqxx::connection>(target.ConnString(dbname));
  } catch (const std::exception& e) {
    return StatusFromException(e, target.DisplayName(dbname), "");
  }
}

// Whether `dbname` still exists, asked by connecting to it: a database dropped while the cluster
// was read is left out rather than failing the read. A new connection waits for a DROP DATABASE
// in progress (it holds the database's lock from before it terminates sessions until it
// commits), so the answer is final, unlike a look at pg_database.
bool DatabaseExists(const ConnTarget& target, const std::string& dbname) {
  auto conn = Connect(target, dbname);
  return conn.ok() || conn.status().code() != StatusCode::kNotFound;
}

// Opens up to `count` more connections to a database at once; those that fail are skipped
// (the others share their work).
std::vector<std::unique_ptr<pqxx::connection>> ConnectExtra(const ConnTarget& target,
                                                            const std::string& dbname, int count) {
  std::vector<std::unique_ptr<pqxx::connection>> conns(static_cast<size_t>(std::max(count, 0)));
  std::vector<std::thread> threads;
  for (auto& conn : conns) {
    threads.emplace_back([&] {
      auto made = Connect(target, dbname);
      if (made.ok()) conn = std::move(*made);
    });
  }
  for (std::thread& t : threads) t.join();
  std::erase(conns, nullptr);
  return conns;
}

// Whether a read failed because DDL committed while it ran: pg_get_indexdef and the other
// catalog functions look objects up in the current catalog, not in the read's snapshot.
bool ConcurrentDdl(const Status& status) {
  return status.code() == StatusCode::kInternal &&
         status.message().find("cache lookup failed") != std::string::npos;
}

void ReadDatabaseOnce(const ConnTarget& target, const CatalogFeatures& features, int slices,
                      std::atomic<size_t>* sent, DatabaseTask& task) {
  const std::string& dbname = task.node.name();
  if (!task.conn) {
    auto conn = Connect(target, dbname);
    if (!conn.ok()) {
      // Not found, or cut off by DROP DATABASE ... WITH (FORCE): ask the server which.
      task.status = conn.status();
      task.vanished = task.may_vanish && (task.status.code() == StatusCode::kNotFound ||
                                          !DatabaseExists(target, dbname));
      return;
    }
    task.conn = std::move(*conn);
  }
  auto extra = ConnectExtra(target, dbname, slices - 1);
  std::vector<pqxx::connection*> conns{task.conn.get()};
  for (auto& conn : extra) conns.push_back(conn.get());
  task.status = ReadDatabaseCatalog(conns, features, sent, target.DisplayName(dbname), task.node);
  task.conn.reset();
  extra.clear();
  if (!task.status.ok() && task.may_vanish) task.vanished = !DatabaseExists(target, dbname);
}

// Reads the task's database, again (on a new connection and snapshot) when DDL ran into it.
void ReadDatabase(const ConnTarget& target, const CatalogFeatures& features, int slices,
                  std::atomic<size_t>* sent, DatabaseTask& task) {
  constexpr int kAttempts = 3;
  Object listed = task.node;
  for (int attempt = 1;; ++attempt) {
    ReadDatabaseOnce(target, features, slices, sent, task);
    if (task.vanished || !ConcurrentDdl(task.status) || attempt == kAttempts) return;
    task.node = listed;
  }
}

// Whether the server runs on this machine: reached over a Unix socket or a loopback address.
bool LocalServer(pqxx::connection& conn) {
  const char* host = conn.hostname();
  if (host == nullptr || host[0] == '\0' || host[0] == '/' || host[0] == '@') return true;
  const std::string name = host;
  return name == "localhost" || name.rfind("127.", 0) == 0 || name == "::1";
}

// Reads the tasks' databases, `parallelism` connections at a time: several databases at once,
// or one database over several connections. A database read over several connections splits
// its costliest queries into one part per connection, each on a backend of its own: the parts
// cost more server CPU in all than one query (their own catalog scans and caches, and they
// compete for the cores), which pays off only with a core per part. So when the server runs on
// this machine (`local_server`), a database gets no more connections than it has cores.
void ReadDatabases(const ConnTarget& target, const CatalogFeatures& features, int parallelism,
                   bool local_server, std::atomic<size_t>* sent, std::vector<DatabaseTask>& tasks) {
  if (tasks.empty()) return;
  parallelism = std::max(parallelism, 1);
  int slices = std::max(1, parallelism / static_cast<int>(tasks.size()));
  if (local_server) {
    slices = std::min(slices, std::max(1, static_cast<int>(std::thread::hardware_concurrency())));
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < tasks.size(); i = next++) {
      ReadDatabase(target, features, slices, sent, tasks[i]);
    }
  };
  size_t workers = std::min(tasks.size(), static_cast<size_t>(parallelism));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < workers; ++i) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
}

}  // namespace

StatusOr<Object> ReadCluster(const std::string& conninfo, const CatalogReadOptions& options,
                             CatalogReadStats* stats) {
  StatusOr<ConnTarget> target = ConnTarget::Parse(conninfo);
  if (!target.ok()) return target.status();
  bool names_database = target->NamesDatabase();
  auto first = Connect(*target, "");
  // Without a database named, libpq tries one named after the user; like pg_dumpall, fall
  // back to the maintenance databases to reach the cluster.
  for (const char* fallback : {"postgres", "template1"}) {
    if (first.ok() || names_database || first.status().code() != StatusCode::kNotFound) break;
    first = Connect(*target, fallback);
  }
  if (!first.ok()) return first.status();
  std::unique_ptr<pqxx::connection> conn = std::move(*first);
  std::string connected_db = conn->dbname();
  std::string display = target->DisplayName(connected_db);
  const bool local_server = LocalServer(*conn);

  CatalogFeatures features = CatalogFeatures::ForServer(conn->server_version());
  if (features.server_version_num < kOldestServer) {
    return Status(StatusCode::kInvalidArgument, display + ": server version " +
                                                    std::to_string(features.server_version_num) +
                                                    " is not supported (PostgreSQL 12 or later)");
  }

  std::atomic<size_t> sent{0};
  ClusterCatalog catalog;
  const char* step = "cluster snapshot";
  try {
    QueryRunner runner(*conn, &sent);
    try {
      catalog = ReadClusterCatalog(runner, features, target->ServerDisplayName());
    } catch (...) {
      step = runner.step();
      throw;
    }
  } catch (const std::exception& e) {
    return StatusFromException(e, display, step);
  }

  bool one_database = !options.all_databases && names_database;
  Object cluster = std::move(catalog.cluster);
  std::vector<DatabaseTask> tasks;
  for (DatabaseEntry& entry : catalog.databases) {
    bool is_connected_db = entry.node.name() == connected_db;
    if (one_database ? !is_connected_db : entry.is_template) continue;
    bool wanted = !options.read_database || options.read_database(entry.node.name());
    if (!wanted || (!entry.allow_connections && !is_connected_db)) {
      cluster.AddChild(std::move(entry.node));  // attributes only: not wanted or not readable
      continue;
    }
    DatabaseTask task{std::move(entry.node), nullptr, !one_database, false, Status::Ok()};
    if (is_connected_db) task.conn = std::move(conn);
    tasks.push_back(std::move(task));
  }
  conn.reset();  // not a database to read (a template or maintenance database)

  ReadDatabases(*target, features, options.parallelism, local_server, &sent, tasks);
  size_t read = 0;
  for (DatabaseTask& task : tasks) {
    if (task.vanished) continue;
    if (!task.status.ok()) return task.status;
    cluster.AddChild(std::move(task.node));
    ++read;
  }
  cluster.Normalize();
  if (stats != nullptr) {
    stats->queries = sent.load();
    stats->databases = read;
  }
  return cluster;
}

std::string DisplayName(const std::string& conninfo) {
  StatusOr<ConnTarget> target = ConnTarget::Parse(conninfo);
  return target.ok() ? target->DisplayName() : UnparsableDisplayName(conninfo);
}

}  // namespace pgtwin
