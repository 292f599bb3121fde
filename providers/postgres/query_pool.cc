#include "providers/postgres/query_pool.h"

#include <exception>
#include <stdexcept>
#include <utility>

namespace pgtwin {

QueryPool::~QueryPool() {
  failed_ = true;
  Join();
}

size_t QueryPool::Add(const char* step, std::string sql) {
  queries_.push_back(Query{step, std::move(sql), {}});
  results_.push_back(queries_.back().rows.get_future());
  return results_.size() - 1;
}

void QueryPool::Start() {
  for (QueryRunner* runner : runners_) threads_.emplace_back(&QueryPool::Work, this, runner);
}

pqxx::result QueryPool::Take(size_t ticket) { return results_.at(ticket).get(); }

void QueryPool::Join() {
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void QueryPool::Work(QueryRunner* runner) {
  for (size_t i = next_++; i < queries_.size(); i = next_++) {
    Query& query = queries_[i];
    if (failed_) {
      query.rows.set_exception(
          std::make_exception_ptr(std::runtime_error("not run after an earlier failure")));
      continue;
    }
    try {
      query.rows.set_value(runner->Run(query.step, query.sql));
    } catch (...) {
      failed_ = true;
      query.rows.set_exception(std::current_exception());
    }
  }
}

}  // namespace pgtwin
