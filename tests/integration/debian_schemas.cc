#include "tests/integration/debian_schemas.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "tests/integration/pg_test_env.h"

namespace pgtwin::testing {
namespace {

constexpr char kZabbixSchema[] = "/usr/share/zabbix-server-pgsql/schema.sql.gz";
constexpr char kMediaWikiSchemaDir[] = "/usr/share/mediawiki/maintenance/postgres";
constexpr char kPgqSql[] = "/usr/share/postgresql/15/contrib/pgq.sql";

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string ZabbixSql() {
  CommandResult schema = RunCommand({"/usr/bin/zcat", kZabbixSchema});
  EXPECT_EQ(schema.exit_code, 0) << schema.err;
  return schema.exit_code == 0 ? schema.out : "";
}

std::string MediaWikiSql() {
  const std::regex placeholder(R"(/\*(?:_|i|\$wgDBprefix|\$wgDBTableOptions)\*/)");
  std::string sql = "CREATE SCHEMA mediawiki; SET search_path = mediawiki; BEGIN;\n";
  for (const char* file : {"/tables-generated.sql", "/tables.sql"}) {
    sql += std::regex_replace(ReadText(kMediaWikiSchemaDir + std::string(file)), placeholder, "") +
           "\n";
  }
  return sql + "COMMIT;";
}

std::string PgqSql() { return ReadText(kPgqSql); }

}  // namespace pgtwin::testing
