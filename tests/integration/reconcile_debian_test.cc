// `pgtwin reconcile` end to end for the real schemas Debian packages ship (zabbix, MediaWiki,
// PgQ as plain SQL): the source database is dumped as the Prod snapshot and as pg_dump's
// --schema-only text, dropped, and built again by reconcile from the snapshot. Then pgtwin diff
// finds no difference, pg_dump of the rebuilt database is the source's text, and a second run
// plans nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/debian_schemas.h"
#include "tests/integration/pg_test_env.h"
#include "tests/integration/reconcile_fixture.h"

namespace pgtwin::testing {
namespace {

constexpr char kPgDump[] = "/usr/lib/postgresql/15/bin/pg_dump";

// Sorts each run of consecutive GRANT/REVOKE lines. pg_dump prints an object's ACL entries in
// the order of its aclitem array, which is the order the grants were made in; pgtwin's model
// holds an ACL as a set (docs/model.md: sorted), so Test gets the same entries granted in
// sorted order. Only the order of lines within one object's ACL block can differ.
std::string SortGrantRuns(const std::vector<std::string>& lines) {
  std::string text;
  for (size_t i = 0; i < lines.size();) {
    size_t end = i;
    auto is_grant = [&](size_t at) {
      return lines[at].starts_with("GRANT ") || lines[at].starts_with("REVOKE ");
    };
    while (end < lines.size() && is_grant(end)) ++end;
    if (end == i) {
      text += lines[i++] + "\n";
      continue;
    }
    std::vector<std::string> run(lines.begin() + i, lines.begin() + end);
    std::sort(run.begin(), run.end());
    for (const std::string& line : run) text += line + "\n";
    i = end;
  }
  return text;
}

// `pg_dump --schema-only` of `database`, without what differs between two runs on the same
// server: the version comments and the \restrict / \unrestrict lines with their random key;
// grants in sorted order (SortGrantRuns).
std::string SchemaDump(const std::string& database) {
  CommandResult r = RunCommand({kPgDump, "--schema-only", "-d", DatabaseConninfo(database)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(r.out);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("-- Dumped from database version") ||
        line.starts_with("-- Dumped by pg_dump version") || line.starts_with("\\restrict ") ||
        line.starts_with("\\unrestrict ")) {
      continue;
    }
    lines.push_back(line);
  }
  return SortGrantRuns(lines);
}

// A unified diff of two texts (diff -u on temporary files); "" when they are equal.
std::string UnifiedDiff(const std::string& before, const std::string& after) {
  std::string dir = TempDir();
  WriteFile(dir + "/source.sql", before);
  WriteFile(dir + "/test.sql", after);
  return RunCommand({"/usr/bin/diff", "-u", dir + "/source.sql", dir + "/test.sql"}).out;
}

class ReconcileDebianTest : public ReconcileFixture {
 protected:
  // Reconciles the empty Test from a snapshot of `sql`'s database and checks that Test is
  // then the source: by pgtwin diff, by pg_dump --schema-only, and by a second plan.
  void ExpectRebuilt(const std::string& sql) {
    std::string source_dump;
    MakeProd(sql, [&] { source_dump = SchemaDump(database_); });
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_FALSE(source_dump.empty());
    std::string spec = WriteSpec("", IgnoreOthersYaml());

    CommandResult apply = RunPgtwin({"reconcile", spec});
    ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;

    CommandResult diff =
        RunPgtwin({"diff", "--source", dir_ + "/prod/databases/" + database_ + ".json", "--target",
                   DatabaseConninfo(database_)});
    EXPECT_EQ(diff.exit_code, 0) << diff.out << diff.err;

    std::string test_dump = SchemaDump(database_);
    EXPECT_TRUE(test_dump == source_dump) << "pg_dump --schema-only differs (- source, + Test):\n"
                                          << UnifiedDiff(source_dump, test_dump);

    nlohmann::json plan = ReconcileJson(spec, {"--dry-run"}, 0);
    EXPECT_EQ(plan["actions"].size(), 0u) << plan["actions"].dump(2);
  }
};

TEST_F(ReconcileDebianTest, Zabbix) { ExpectRebuilt(ZabbixSql()); }

TEST_F(ReconcileDebianTest, MediaWiki) { ExpectRebuilt(MediaWikiSql()); }

TEST_F(ReconcileDebianTest, PgqAsPlainSql) { ExpectRebuilt(PgqSql()); }

}  // namespace
}  // namespace pgtwin::testing
