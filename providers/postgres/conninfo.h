#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/status.h"

namespace pgtwin {

// A libpq connection string (URI or key=value), parsed by libpq itself: what to connect to,
// and how to name it without secrets.
class ConnTarget {
 public:
  // Parses `conninfo`; kInvalidArgument (naming it without its password) when libpq rejects it.
  static StatusOr<ConnTarget> Parse(const std::string& conninfo);

  // "postgresql://user@host:port/db" from the options given explicitly (missing host and port
  // come from PGHOST/PGPORT); never the password. `dbname` replaces the database when given.
  std::string DisplayName(const std::string& dbname = "") const;
  // The same without user and database: the server.
  std::string ServerDisplayName() const;

  // A key=value conninfo to connect with: the options given, with `dbname` replacing the
  // database when given, plus application_name=pgtwin (unless given), client_encoding=UTF8
  // and connect_timeout=10 (unless given).
  std::string ConnString(const std::string& dbname = "") const;

  // True when libpq would connect to a database that is named — in the conninfo, in a
  // service file entry or by PGDATABASE — rather than defaulted to the user name.
  bool NamesDatabase() const;

 private:
  const std::string& Option(const std::string& keyword) const;
  std::string Display(const std::string& dbname, bool with_database) const;

  std::vector<std::pair<std::string, std::string>> options_;  // those given, in libpq order
};

// A display name for a conninfo libpq cannot parse: the URI's host part, or a placeholder.
// Never includes anything that could be a password.
std::string UnparsableDisplayName(const std::string& conninfo);

}  // namespace pgtwin
