#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

namespace pgtwin {

// Sends catalog queries over one connection, outside of libpqxx's transaction classes (the
// caller sends BEGIN/COMMIT itself), counting each query sent and remembering what it was
// reading so an error can say so.
class QueryRunner {
 public:
  // `sent` counts queries sent; it may be shared by runners on other threads.
  QueryRunner(pqxx::connection& conn, std::atomic<size_t>* sent);

  // Runs `sql` for the step named `step` ("columns"); throws libpqxx exceptions.
  pqxx::result Run(const char* step, const std::string& sql);
  // The step of the last query run (for error messages).
  const char* step() const { return step_; }

 private:
  pqxx::nontransaction work_;
  std::atomic<size_t>* sent_;
  const char* step_ = "connecting";
};

// Field decoding shared by the readers. NULL reads as "", false or 0.
std::string Text(const pqxx::field& f);
bool Flag(const pqxx::field& f);
uint32_t Oid(const pqxx::field& f);
int64_t Int(const pqxx::field& f);
// An int8[] (NULL reads as empty).
std::vector<int64_t> IntArray(const pqxx::field& f);
// A text[] of "name=value" entries (setconfig, proconfig) as (name, value) pairs.
std::vector<std::pair<std::string, std::string>> ConfigEntries(const pqxx::field& f);

}  // namespace pgtwin
