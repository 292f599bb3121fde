#include "providers/postgres/query_runner.h"

#include <cstdlib>

namespace pgtwin {

QueryRunner::QueryRunner(pqxx::connection& conn, std::atomic<size_t>* sent)
    : work_(conn, "pgtwin catalog"), sent_(sent) {}

pqxx::result QueryRunner::Run(const char* step, const std::string& sql) {
  step_ = step;
  ++*sent_;
  return work_.exec(sql);
}

std::string Text(const pqxx::field& f) {
  return f.is_null() ? std::string() : std::string(f.c_str(), f.size());
}

bool Flag(const pqxx::field& f) { return !f.is_null() && f.c_str()[0] == 't'; }

uint32_t Oid(const pqxx::field& f) {
  return f.is_null() ? 0 : static_cast<uint32_t>(std::strtoul(f.c_str(), nullptr, 10));
}

int64_t Int(const pqxx::field& f) { return f.is_null() ? 0 : std::strtoll(f.c_str(), nullptr, 10); }

std::vector<int64_t> IntArray(const pqxx::field& f) {
  std::vector<int64_t> values;
  if (f.is_null()) return values;
  pqxx::array_parser parser = f.as_array();
  while (true) {
    auto [juncture, value] = parser.get_next();
    if (juncture == pqxx::array_parser::done) break;
    if (juncture == pqxx::array_parser::string_value) {
      values.push_back(std::strtoll(value.c_str(), nullptr, 10));
    }
  }
  return values;
}

std::vector<std::pair<std::string, std::string>> ConfigEntries(const pqxx::field& f) {
  std::vector<std::pair<std::string, std::string>> entries;
  if (f.is_null()) return entries;
  pqxx::array_parser parser = f.as_array();
  while (true) {
    auto [juncture, value] = parser.get_next();
    if (juncture == pqxx::array_parser::done) break;
    if (juncture != pqxx::array_parser::string_value) continue;
    size_t eq = value.find('=');
    if (eq == std::string::npos) continue;
    entries.emplace_back(value.substr(0, eq), value.substr(eq + 1));
  }
  return entries;
}

}  // namespace pgtwin
