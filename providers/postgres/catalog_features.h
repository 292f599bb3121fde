#pragma once

#include <string>

namespace pgtwin {

// What the server's catalog looks like, by version. Every version-dependent query fragment is
// decided here, from `server_version_num`, so the queries stay valid on PostgreSQL 12 to 17.
struct CatalogFeatures {
  int server_version_num = 0;
  bool trigger_parent = false;      // pg_trigger.tgparentid (13+); before, clones are internal
  bool sql_function_body = false;   // pg_proc.prosqlbody, pg_get_function_sqlbody (14+)
  bool locale_provider = false;     // pg_database.datlocprovider (15+)
  bool nulls_not_distinct = false;  // pg_index.indnullsnotdistinct (15+)
  std::string icu_locale_column;    // daticulocale (15, 16), datlocale (17+); empty before 15

  static CatalogFeatures ForServer(int server_version_num);
  // The major version as PostgreSQL names it: "15" for 150004.
  std::string MajorVersion() const;
};

}  // namespace pgtwin
