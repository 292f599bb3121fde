#pragma once

#include <string>

namespace pgtwin::testing {

// Real schemas as Debian packages ship them, as SQL ready to run in an empty database. The
// dump, DDL and reconcile tests load the same text, so they agree on what "zabbix" means.

// Zabbix server's PostgreSQL schema (zabbix-server-pgsql: schema.sql.gz, unzipped). Fails the
// calling test and returns "" when the file cannot be read.
std::string ZabbixSql();

// MediaWiki's PostgreSQL installer (mediawiki: maintenance/postgres): in schema `mediawiki`,
// the generated tables and then tables.sql, in one transaction, with the installer's
// /*_*/-style placeholders removed (table prefix and table options are empty by default).
std::string MediaWikiSql();

// PgQ as plain SQL, not as an extension (postgresql-15-pgq3: contrib/pgq.sql): schema `pgq`
// with its tables, functions and triggers.
std::string PgqSql();

}  // namespace pgtwin::testing
