#include "providers/postgres/system_identifier.h"

#include <pqxx/pqxx>

#include "providers/postgres/conninfo.h"
#include "providers/postgres/pg_errors.h"

namespace pgtwin {

StatusOr<std::string> ReadSystemIdentifier(const std::string& conninfo) {
  StatusOr<ConnTarget> target = ConnTarget::Parse(conninfo);
  if (!target.ok()) return target.status();
  std::string display = target->DisplayName();
  std::string step;
  try {
    pqxx::connection conn(target->ConnString());
    step = "the system identifier";
    pqxx::read_transaction work(conn);
    pqxx::result rows = work.exec(kSystemIdentifierSql);
    work.commit();
    return rows.at(0).at(0).as<std::string>();
  } catch (const std::exception& e) {
    return StatusFromException(e, display, step);
  }
}

}  // namespace pgtwin
