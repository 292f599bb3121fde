#include "providers/postgres/pg_errors.h"

#include <pqxx/pqxx>

namespace pgtwin {
namespace {

bool Contains(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

void StripPrefix(std::string& text, const std::string& prefix) {
  if (text.compare(0, prefix.size(), prefix) == 0) text.erase(0, prefix.size());
}

// libpq's first line without its "connection to server ... failed:" and severity prefixes.
std::string CleanMessage(const std::string& what) {
  std::string line = what.substr(0, what.find('\n'));
  size_t failed = line.find(" failed: ");
  if (line.compare(0, 21, "connection to server ") == 0 && failed != std::string::npos) {
    line.erase(0, failed + 9);
  }
  StripPrefix(line, "FATAL:  ");
  StripPrefix(line, "ERROR:  ");
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
    line.pop_back();
  }
  return line;
}

Status ConnectStatus(const std::string& what, const std::string& source) {
  std::string message = CleanMessage(what);
  if (Contains(message, "database \"") && Contains(message, "\" does not exist")) {
    return Status(StatusCode::kNotFound, source + ": " + message);
  }
  if (Contains(message, "permission denied")) {
    return Status(StatusCode::kPermissionDenied, source + ": " + message);
  }
  if (Contains(message, "connection option") || Contains(message, "definition of service")) {
    return Status(StatusCode::kInvalidArgument, source + ": " + message);
  }
  return Status(StatusCode::kConnectionFailed, source + ": could not connect: " + message);
}

// libpqxx 6.4 leaves sqlstate() empty for the errors it throws as their own classes
// (insufficient_privilege, ...), so those are told apart by their class.
StatusCode CodeForSqlError(const pqxx::sql_error& e) {
  if (dynamic_cast<const pqxx::insufficient_privilege*>(&e) != nullptr) {
    return StatusCode::kPermissionDenied;
  }
  const std::string& sqlstate = e.sqlstate();
  if (sqlstate == "42501") return StatusCode::kPermissionDenied;
  if (sqlstate == "3D000") return StatusCode::kNotFound;
  if (sqlstate.compare(0, 2, "08") == 0) return StatusCode::kConnectionFailed;
  return StatusCode::kInternal;
}

}  // namespace

Status StatusFromException(const std::exception& e, const std::string& source,
                           const std::string& step) {
  if (step.empty()) return ConnectStatus(e.what(), source);
  std::string context = source + ": reading " + step + ": ";
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    return Status(CodeForSqlError(*sql), context + CleanMessage(sql->what()));
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) {
    return Status(StatusCode::kConnectionFailed,
                  context + "connection lost: " + CleanMessage(e.what()));
  }
  return Status(StatusCode::kInternal, context + CleanMessage(e.what()));
}

}  // namespace pgtwin
