#pragma once

#include <atomic>
#include <cstddef>
#include <future>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "providers/postgres/query_runner.h"

namespace pgtwin {

// Runs queued queries over several connections at once: each connection's thread takes the
// next query in queue order that is meant for it, so the caller decodes early results while the
// server computes later ones, and heavy queries spread over the connections. One caller; not
// thread-safe.
class QueryPool {
 public:
  // The runners (one per connection) must outlive the pool.
  explicit QueryPool(std::vector<QueryRunner*> runners) : runners_(std::move(runners)) {}
  // Stops after the queries in flight and waits for the threads.
  ~QueryPool();
  QueryPool(const QueryPool&) = delete;
  QueryPool& operator=(const QueryPool&) = delete;

  // Queues a query before Start(); returns the ticket to Take() its rows with. With `runner`,
  // only connection runner % (number of runners) runs it, after the queries queued before it
  // for that connection: queries that deparse the same tables can share a backend's caches.
  size_t Add(const char* step, std::string sql, std::optional<size_t> runner = std::nullopt);
  // Starts running the queued queries.
  void Start();
  // The rows of a queued query, waiting for them; rethrows the error running it raised. After
  // a failure, queries not yet started are not run and report that.
  pqxx::result Take(size_t ticket);
  // Waits until every query ran, so the runners may be used directly again.
  void Join();

 private:
  struct Query {
    const char* step;
    std::string sql;
    std::optional<size_t> runner;
    bool taken = false;
    std::promise<pqxx::result> rows;
  };

  // The first query not taken yet that runner `index` may run, marked taken; nullptr when none.
  Query* Next(size_t index);
  void Work(size_t index);

  std::vector<QueryRunner*> runners_;
  std::vector<Query> queries_;
  std::vector<std::future<pqxx::result>> results_;
  std::mutex mutex_;  // guards Query::taken
  std::atomic<bool> failed_{false};
  std::vector<std::thread> threads_;
};

}  // namespace pgtwin
