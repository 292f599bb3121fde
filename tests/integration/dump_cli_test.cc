// `pgtwin dump` as a user runs it, against the fixture's PostgreSQL 15.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/integration/pg_test_env.h"

namespace pgtwin {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using Json = nlohmann::json;

constexpr char kSchemaSql[] = R"sql(
  CREATE SCHEMA billing;
  CREATE TABLE billing.countries (
    country_code character(2) PRIMARY KEY,
    country_name character varying(64) NOT NULL
  );
  CREATE FUNCTION billing.code_length(code text) RETURNS integer LANGUAGE sql IMMUTABLE
    AS 'SELECT length(code)';
  COMMENT ON TABLE billing.countries IS 'ISO countries';
)sql";

// The child of `node` with that kind and name, or a failed assertion and null.
const Json* Child(const Json& node, const std::string& kind, const std::string& name) {
  if (node.contains("children")) {
    for (const Json& child : node["children"]) {
      if (child["kind"] == kind && child["name"] == name) return &child;
    }
  }
  ADD_FAILURE() << "no " << kind << " '" << name << "' under " << node["kind"] << " '"
                << node["name"] << "'";
  return nullptr;
}

// Asserts that a failed run printed exactly one line, "pgtwin: ..." naming `source`.
void ExpectOneLineError(const testing::CommandResult& r, const std::string& source) {
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("pgtwin: "));
  EXPECT_THAT(r.err, HasSubstr(source));
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
}

TEST(DumpCliTest, JsonHoldsTheDatabaseObjects) {
  std::string db = testing::CreateDatabase("dumpcli_json", kSchemaSql);
  testing::CommandResult r =
      testing::RunPgtwin({"dump", "--source", testing::DatabaseConninfo(db), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json cluster = Json::parse(r.out);
  EXPECT_EQ(cluster["kind"], "cluster");
  EXPECT_EQ(cluster["attrs"]["major_version"], "15");
  EXPECT_TRUE(Child(cluster, "role", "postgres"));
  const Json* database = Child(cluster, "database", db);
  ASSERT_TRUE(database);
  const Json* schema = Child(*database, "schema", "billing");
  ASSERT_TRUE(schema);
  const Json* table = Child(*schema, "table", "countries");
  ASSERT_TRUE(table);
  EXPECT_EQ((*table)["attrs"]["comment"], "ISO countries");
  const Json* column = Child(*table, "column", "country_code");
  ASSERT_TRUE(column);
  EXPECT_EQ((*column)["attrs"]["type"], "character(2)");
  EXPECT_EQ((*column)["attrs"]["position"], "1");
  EXPECT_TRUE(Child(*table, "constraint", "countries_pkey"));
  EXPECT_EQ(std::count_if(schema->at("children").begin(), schema->at("children").end(),
                          [](const Json& c) { return c["kind"] == "function"; }),
            1);
  testing::DropDatabase(db);
}

TEST(DumpCliTest, TreeIsTheDefaultFormat) {
  std::string db = testing::CreateDatabase("dumpcli_tree", kSchemaSql);
  testing::CommandResult r = testing::RunPgtwin({"dump", "--source", testing::DatabaseUri(db)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("+-+= <PgCluster "));
  EXPECT_THAT(r.out, HasSubstr("\\-+= <PgDatabase '" + db + "' (owner: 'postgres'"));
  EXPECT_THAT(r.out, HasSubstr("  +-+= <PgSchema 'billing' (owner: 'postgres') ["));
  EXPECT_THAT(r.out, HasSubstr("| +-+= <PgTable 'countries' (columns: 2) [3]>\n"));
  EXPECT_THAT(r.out, HasSubstr("| | +--= <PgColumn 'country_code' (position: 1, type: "
                               "'character(2)', not_null: true)>\n"));
  testing::DropDatabase(db);
}

TEST(DumpCliTest, SnapshotDumpsByteIdenticalToTheLiveDatabase) {
  std::string db = testing::CreateDatabase("dumpcli_snap", kSchemaSql);
  std::string conninfo = testing::DatabaseConninfo(db);
  std::string dir = testing::TempDir() + "/snap";
  testing::CommandResult written =
      testing::RunPgtwin({"dump", "--source", conninfo, "--output", dir});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  EXPECT_EQ(written.out, "") << "--output without --format prints nothing";
  EXPECT_TRUE(fs::is_regular_file(dir + "/cluster.json"));
  EXPECT_TRUE(fs::is_regular_file(dir + "/databases/" + db + ".json"));

  // The live output and the snapshot come from one read: parallel tests change cluster-wide
  // roles, so two separate reads of the server may differ.
  for (const std::string format : {"json", "yaml", "tree"}) {
    std::string format_dir = testing::TempDir() + "/snap-" + format;
    testing::CommandResult live = testing::RunPgtwin(
        {"dump", "--source", conninfo, "--format", format, "--output", format_dir});
    ASSERT_EQ(live.exit_code, 0) << live.err;
    testing::CommandResult offline =
        testing::RunPgtwin({"dump", "--source", format_dir, "--format", format});
    ASSERT_EQ(offline.exit_code, 0) << offline.err;
    EXPECT_FALSE(live.out.empty()) << format;
    EXPECT_EQ(offline.out, live.out) << format;
  }
  // A snapshot of the snapshot is the same snapshot.
  std::string copy = testing::TempDir() + "/copy";
  ASSERT_EQ(testing::RunPgtwin({"dump", "--source", dir, "--output", copy}).exit_code, 0);
  for (const std::string& file : {std::string("/cluster.json"), "/databases/" + db + ".json"}) {
    std::ifstream a(dir + file), b(copy + file);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(a), {}),
              std::string(std::istreambuf_iterator<char>(b), {}))
        << file;
  }
  testing::DropDatabase(db);
}

TEST(DumpCliTest, AllDatabasesReadsEveryDatabaseInParallel) {
  std::string first = testing::CreateDatabase("dumpcli_all1", kSchemaSql);
  std::string second = testing::CreateDatabase("dumpcli_all2");
  std::string dir = testing::TempDir() + "/snap";
  testing::CommandResult r =
      testing::RunPgtwin({"dump", "--source", testing::DatabaseConninfo(first), "--all-databases",
                          "--parallel", "2", "--format", "json", "--output", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json cluster = Json::parse(r.out);
  EXPECT_TRUE(Child(cluster, "database", first));
  EXPECT_TRUE(Child(cluster, "database", second));
  for (const Json& child : cluster["children"]) EXPECT_NE(child["name"], "template1");
  EXPECT_TRUE(fs::is_regular_file(dir + "/databases/" + second + ".json"));
  std::ifstream in(dir + "/cluster.json");
  EXPECT_EQ(Json::parse(in)["all_databases"], true);
  testing::DropDatabase(first);
  testing::DropDatabase(second);
}

TEST(DumpCliTest, StatsGoToStderr) {
  std::string db = testing::CreateDatabase("dumpcli_stats", kSchemaSql);
  testing::CommandResult r = testing::RunPgtwin(
      {"dump", "--source", testing::DatabaseConninfo(db), "--format", "json", "--stats"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NO_THROW(Json::parse(r.out)) << "stdout is only the JSON";
  EXPECT_THAT(r.err, ::testing::MatchesRegex(
                         "pgtwin: dump stats: queries=[1-9][0-9]* databases=1 objects=[0-9]+ "
                         "elapsed=[0-9.]+s\n"));
  testing::DropDatabase(db);
}

TEST(DumpCliTest, UnreachableHostIsOneLineNamingIt) {
  // Nothing listens on port 1.
  testing::CommandResult r =
      testing::RunPgtwin({"dump", "--source", "postgresql://app:s3cret@127.0.0.1:1/shop"});
  ExpectOneLineError(r, "127.0.0.1:1");
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("s3cret")));
}

TEST(DumpCliTest, WrongPasswordIsOneLineWithoutThePassword) {
  std::string db = testing::CreateDatabase("dumpcli_pw");
  std::string role = db + "_role";
  testing::RunSql(db, "CREATE ROLE " + role + " LOGIN PASSWORD 'right-one'");
  std::string uri = "postgresql://" + role +
                    ":wr0ng-one@127.0.0.1:" + std::to_string(testing::TestServerPort()) + "/" + db;
  testing::CommandResult r = testing::RunPgtwin({"dump", "--source", uri});
  ExpectOneLineError(r, role + "@127.0.0.1:" + std::to_string(testing::TestServerPort()));
  EXPECT_THAT(r.err, HasSubstr("password authentication failed"));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("wr0ng-one")));
  testing::DropDatabase(db);
  testing::RunSql("postgres", "DROP ROLE " + role);
}

TEST(DumpCliTest, MissingDatabaseIsOneLineNamingIt) {
  testing::CommandResult r =
      testing::RunPgtwin({"dump", "--source", testing::DatabaseUri("dumpcli_no_such_db")});
  ExpectOneLineError(r, "dumpcli_no_such_db");
  EXPECT_THAT(r.err, HasSubstr("does not exist"));
}

TEST(DumpCliTest, MalformedUriIsOneLineNamingIt) {
  testing::CommandResult r =
      testing::RunPgtwin({"dump", "--source", "postgresql://app:pw@db-host:port/shop"});
  ExpectOneLineError(r, "db-host");
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr(":pw@")));
}

TEST(DumpCliTest, CorruptOrTruncatedSnapshotIsOneLineNamingTheFile) {
  std::string db = testing::CreateDatabase("dumpcli_corrupt", kSchemaSql);
  std::string dir = testing::TempDir() + "/snap";
  ASSERT_EQ(testing::RunPgtwin({"dump", "--source", testing::DatabaseConninfo(db), "--output", dir})
                .exit_code,
            0);
  std::string file = dir + "/databases/" + db + ".json";
  std::string text;
  {
    std::ifstream in(file);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }

  // Cut after a comma half-way: the file ends where a value should follow.
  std::ofstream(file, std::ios::trunc) << text.substr(0, text.find(',', text.size() / 2) + 1);
  testing::CommandResult truncated = testing::RunPgtwin({"dump", "--source", dir});
  ExpectOneLineError(truncated, file + ":1:");
  EXPECT_THAT(truncated.err, HasSubstr("unexpected end of input"));

  std::string wrong = text;
  wrong.replace(wrong.find("\"kind\":\"table\""), 14, "\"kind\":\"tabel\"");
  std::ofstream(file, std::ios::trunc) << wrong;
  testing::CommandResult corrupt = testing::RunPgtwin({"dump", "--source", dir});
  ExpectOneLineError(corrupt, file + ": /children/");
  EXPECT_THAT(corrupt.err, HasSubstr("unknown kind \"tabel\""));

  testing::CommandResult single = testing::RunPgtwin({"dump", "--source", file});
  ExpectOneLineError(single, file);

  std::ofstream(dir + "/cluster.json", std::ios::trunc) << "";
  ExpectOneLineError(testing::RunPgtwin({"dump", "--source", dir}), dir + "/cluster.json:1:1: ");
  testing::DropDatabase(db);
}

TEST(DumpCliTest, MissingPathIsNotTakenForAConnectionString) {
  testing::CommandResult r = testing::RunPgtwin({"dump", "--source", "no/such/snapshot"});
  ExpectOneLineError(r, "no/such/snapshot: no such snapshot directory");
}

TEST(DumpCliTest, UsageErrorsExitOne) {
  ExpectOneLineError(testing::RunPgtwin({"dump"}), "--source is required");
  ExpectOneLineError(testing::RunPgtwin({"dump", "--source", "x", "--format", "xml"}), "xml");
  testing::CommandResult help = testing::RunPgtwin({"dump", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--all-databases"));
}

}  // namespace
}  // namespace pgtwin
