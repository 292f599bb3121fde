// `pgtwin diff` as a user runs it, against the fixture's PostgreSQL 15: the text format, the
// choice of what is compared (databases, a database against a cluster, snapshots) and errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/integration/pg_test_env.h"

namespace pgtwin {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using testing::RunPgtwin;

constexpr char kSchemaSql[] = R"sql(
  CREATE SCHEMA billing;
  CREATE TABLE billing.invoices (id bigint PRIMARY KEY, amount integer);
  CREATE INDEX invoices_amount_idx ON billing.invoices (amount);
)sql";

void ExpectOneLineError(const CommandResult& r, const std::string& message) {
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "pgtwin: " + message + "\n");
}

TEST(DiffCliTest, TextTreeOfTwoDatabasesWithDifferentNames) {
  std::string source = testing::CreateDatabase("diffcli_src", kSchemaSql);
  std::string target = testing::CreateDatabase(
      "diffcli_tgt", std::string(kSchemaSql) +
                         "DROP INDEX billing.invoices_amount_idx;"
                         "COMMENT ON COLUMN billing.invoices.amount IS 'in cents';");
  CommandResult r = RunPgtwin({"diff", "--source", testing::DatabaseConninfo(source), "--target",
                               testing::DatabaseConninfo(target)});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("\n\n  database " + target +
                               "\n"
                               "    schema billing\n"
                               "      table invoices\n"
                               "      ~ column amount\n"
                               "          comment: (none) != 'in cents'\n"
                               "      + index invoices_amount_idx\n"
                               "\n"
                               "column: 0 only in source, 0 only in target, 1 changed\n"
                               "index: 1 only in source, 0 only in target, 0 changed\n"
                               "total: 1 only in source, 0 only in target, 1 changed\n"));
  EXPECT_EQ(r.out.find('\033'), std::string::npos) << "no colour when stdout is not a terminal";

  // Ignoring both differences leaves nothing: exit 0, and both are counted.
  r = RunPgtwin({"diff", "--source", testing::DatabaseConninfo(source), "--target",
                 testing::DatabaseConninfo(target), "--ignore", "index:amount",
                 "--ignore=column:^billing\\.invoices\\.amount$"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\n\nNo differences.\nignored: 2\n"));
  testing::DropDatabase(source);
  testing::DropDatabase(target);
}

TEST(DiffCliTest, SnapshotDatabaseFileAgainstTheLiveCluster) {
  std::string db = testing::CreateDatabase("diffcli_snap", kSchemaSql);
  std::string dir = testing::TempDir();
  CommandResult dump =
      RunPgtwin({"dump", "--source", testing::DatabaseConninfo(db), "--output", dir});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;

  // A database file names one database; against the whole cluster it compares with the
  // cluster's database of the same name.
  std::string file = dir + "/databases/" + db + ".json";
  CommandResult r = RunPgtwin(
      {"diff", "--source", file, "--target", testing::TestServerConninfo(), "--all-databases"});
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_THAT(r.out, HasSubstr("No differences."));

  testing::RunSql(db, "ALTER TABLE billing.invoices ADD COLUMN note text");
  r = RunPgtwin(
      {"diff", "--source", dir, "--target", testing::DatabaseConninfo(db), "--format", "json"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.out, HasSubstr(R"("change": "target_only",
      "kind": "column",
      "database": ")" + db + R"(",
      "key": "column:billing.invoices.note")"));

  // A --map that leaves no database of that name is an error naming the source.
  r = RunPgtwin({"diff", "--source", testing::TestServerConninfo(), "--all-databases", "--target",
                 dir, "--map", "^" + db + "$=x"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("(after --map) to compare with the target's database"));
  testing::DropDatabase(db);
}

TEST(DiffCliTest, BadRulesAreOneLineErrors) {
  std::string db = testing::DatabaseConninfo("postgres");
  ExpectOneLineError(RunPgtwin({"diff", "--source", db, "--target", db, "--map", "p(25=x"}),
                     "--map 'p(25=x': invalid regex: missing ): p(25");
  ExpectOneLineError(RunPgtwin({"diff", "--source", db, "--target", db, "--ignore", "tabel:x"}),
                     "--ignore 'tabel:x': unknown kind 'tabel' (use a kind word of "
                     "docs/model.md, or *)");
  std::string rules = testing::TempDir() + "/rules.txt";
  std::ofstream(rules) << "# londiste\ntrigger:^_londiste_\n  index:(x\n";
  ExpectOneLineError(RunPgtwin({"diff", "--source", db, "--target", db, "--ignore-file", rules}),
                     rules + ":3:9: invalid regex: missing ): (x");
  ExpectOneLineError(
      RunPgtwin({"diff", "--source", db, "--target", db, "--ignore-file", rules + ".none"}),
      rules + ".none: cannot read: No such file or directory");
}

}  // namespace
}  // namespace pgtwin
