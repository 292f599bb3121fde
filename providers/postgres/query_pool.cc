#include "providers/postgres/query_pool.h"

#include <exception>
#include <stdexcept>
#include <utility>

namespace pgtwin {

QueryPool::~QueryPool() {
  failed_ = true;
  Join();
}

size_t QueryPool::Add(const char* step, std::string sql, std::optional<size_t> runner) {
  queries_.push_back(Query{step, std::move(sql), runner, false, {}});
  results_.push_back(queries_.back().rows.get_future());
  return results_.size() - 1;
}

void QueryPool::Start() {
  for (size_t i = 0; i < runners_.size(); ++i) threads_.emplace_back(&QueryPool::Work, this, i);
}

pqxx::result QueryPool::Take(size_t ticket) { return results_.at(ticket).get(); }

void QueryPool::Join() {
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

QueryPool::Query* QueryPool::Next(size_t index) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (Query& query : queries_) {
    if (!query.taken && (!query.runner || *query.runner % runners_.size() == index)) {
      query.taken = true;
      return &query;
    }
  }
  return nullptr;
}

void QueryPool::Work(size_t index) {
  QueryRunner* runner = runners_[index];
  while (Query* next = Next(index)) {
    Query& query = *next;
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
