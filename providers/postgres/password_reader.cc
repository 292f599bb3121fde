#include "providers/postgres/password_reader.h"

#include <pqxx/pqxx>

#include "providers/postgres/conninfo.h"
#include "providers/postgres/pg_errors.h"

namespace pgtwin {

StatusOr<PasswordHashes> ReadPasswordHashes(const std::string& conninfo) {
  StatusOr<ConnTarget> target = ConnTarget::Parse(conninfo);
  if (!target.ok()) return target.status();
  const std::string source = target->DisplayName();
  std::unique_ptr<pqxx::connection> conn;
  try {
    conn = std::make_unique<pqxx::connection>(target->ConnString());
  } catch (const std::exception& e) {
    return StatusFromException(e, source, "");
  }
  try {
    pqxx::nontransaction work(*conn);
    work.exec("BEGIN TRANSACTION READ ONLY");
    pqxx::result rows = work.exec(
        "SELECT rolname, rolpassword FROM pg_catalog.pg_authid WHERE rolpassword IS NOT NULL");
    work.exec("COMMIT");
    PasswordHashes hashes;
    for (const pqxx::row& row : rows) {
      hashes.emplace(row[0].c_str(), row[1].c_str());
    }
    return hashes;
  } catch (const std::exception& e) {
    Status status = StatusFromException(e, source, "password hashes");
    if (status.code() != StatusCode::kPermissionDenied) return status;
    return Status(status.code(),
                  status.message() + " (reading password hashes needs a superuser)");
  }
}

}  // namespace pgtwin
