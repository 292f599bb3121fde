#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "reconciler/diff/ignore_rules.h"
#include "reconciler/diff/tree_diff.h"
#include "tests/unit/diff_test_trees.h"

namespace pgtwin {
namespace {

using testing::SampleCluster;

IgnoreRules Rules(const std::vector<std::string>& flags) {
  IgnoreRules rules;
  for (const std::string& flag : flags) {
    Status status = rules.AddFlag(flag);
    EXPECT_TRUE(status.ok()) << status.message();
  }
  return rules;
}

std::vector<std::string> Keys(const DiffResult& result) {
  std::vector<std::string> keys;
  for (const DiffEntry& e : result.entries) keys.push_back(e.Key());
  return keys;
}

Object& Invoices(Object& cluster) {
  return *cluster.FindChild(ObjectKind::kDatabase, "shop")
              ->FindChild(ObjectKind::kSchema, "billing")
              ->FindChild(ObjectKind::kTable, "invoices");
}

// Source and target differ in a trigger, a role, the table owner and a column type.
struct Pair {
  Object source = SampleCluster();
  Object target = SampleCluster();
  Pair() {
    std::erase_if(Invoices(target).mutable_children(),
                  [](const Object& o) { return o.kind() == ObjectKind::kTrigger; });
    target.AddChild(ObjectKind::kRole, "developer");
    Invoices(target).SetAttr("owner", "admin");
    Invoices(target).FindChild(ObjectKind::kColumn, "amount")->SetAttr("type", "bigint");
    target.Normalize();
  }
};

TEST(DiffIgnoreTest, WithoutRulesEverythingIsReported) {
  Pair p;
  EXPECT_EQ(Keys(DiffTrees(p.source, p.target, IgnoreRules())),
            (std::vector<std::string>{"role:developer", "table:billing.invoices",
                                      "column:billing.invoices.amount",
                                      "trigger:billing.invoices._londiste_shop"}));
}

TEST(DiffIgnoreTest, RuleMatchesOwnNameAndIsCounted) {
  Pair p;
  DiffResult result = DiffTrees(p.source, p.target, Rules({"trigger:^_londiste_"}));
  EXPECT_EQ(Keys(result), (std::vector<std::string>{"role:developer", "table:billing.invoices",
                                                    "column:billing.invoices.amount"}));
  EXPECT_EQ(result.summary.ignored, 1u);
  EXPECT_EQ(result.summary.by_kind.count(ObjectKind::kTrigger), 0u);
}

TEST(DiffIgnoreTest, RuleMatchesQualifiedNameAndSkipsTheSubtree) {
  Pair p;
  DiffResult result = DiffTrees(p.source, p.target, Rules({"table:^billing\\.inv"}));
  EXPECT_EQ(Keys(result), (std::vector<std::string>{"role:developer"}));
  EXPECT_EQ(result.summary.ignored, 1u);  // the table, not its columns and triggers
}

TEST(DiffIgnoreTest, RuleAppliesOnlyToItsKind) {
  Pair p;
  DiffResult result = DiffTrees(p.source, p.target, Rules({"column:invoices", "role:^dev"}));
  EXPECT_EQ(Keys(result), (std::vector<std::string>{"table:billing.invoices",
                                                    "trigger:billing.invoices._londiste_shop"}));
  EXPECT_EQ(result.summary.ignored, 3u);  // role developer and both columns of invoices
}

TEST(DiffIgnoreTest, StarMatchesEveryKind) {
  Pair p;
  DiffResult result = DiffTrees(p.source, p.target, Rules({"*:^(developer|billing)$"}));
  EXPECT_TRUE(result.identical());
  EXPECT_EQ(result.summary.ignored, 2u);
}

TEST(DiffIgnoreTest, UnmatchedRuleChangesNothing) {
  Pair p;
  DiffResult result = DiffTrees(p.source, p.target, Rules({"index:nomatch"}));
  EXPECT_EQ(result.entries.size(), 4u);
  EXPECT_EQ(result.summary.ignored, 0u);
}

TEST(DiffIgnoreTest, FlagErrorsNameTheFlagValue) {
  IgnoreRules rules;
  EXPECT_EQ(rules.AddFlag("tabel:x").message(),
            "--ignore 'tabel:x': unknown kind 'tabel' (use a kind word of docs/model.md, or *)");
  EXPECT_EQ(rules.AddFlag("table").message(), "--ignore 'table': expected KIND:REGEX");
  EXPECT_EQ(rules.AddFlag("table:").message(),
            "--ignore 'table:': empty regex (use .* to match every name)");
  Status bad = rules.AddFlag("table:(x");
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(), "--ignore 'table:(x': invalid regex: missing ): (x");
  EXPECT_FALSE(rules.HasRulesFor(ObjectKind::kTable));
}

TEST(DiffIgnoreTest, FileWithCommentsAndBlankLines) {
  IgnoreRules rules;
  Status status = rules.AddFile("ignore.txt",
                                "# londiste artefacts\n"
                                "\n"
                                "  trigger:^_londiste_  \r\n"
                                "   # indented comment\n"
                                "table:^audit\\.\n"
                                "*:_tmp$");
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(rules.Matches(ObjectKind::kTrigger, "_londiste_x", "s.t._londiste_x"));
  EXPECT_FALSE(rules.Matches(ObjectKind::kIndex, "_londiste_x", "s.t._londiste_x"));
  EXPECT_TRUE(rules.Matches(ObjectKind::kTable, "log", "audit.log"));
  EXPECT_TRUE(rules.Matches(ObjectKind::kRole, "x_tmp", "x_tmp"));
  EXPECT_FALSE(rules.Matches(ObjectKind::kTable, "audit", "public.audit"));
}

TEST(DiffIgnoreTest, FileErrorsCarryLineAndColumn) {
  IgnoreRules rules;
  EXPECT_EQ(rules.AddFile("ign", "table:ok\n\n   tabel:x\n").message(),
            "ign:3:4: unknown kind 'tabel' (use a kind word of docs/model.md, or *)");
  EXPECT_EQ(rules.AddFile("ign", "# c\n  index:a(b\n").message(),
            "ign:2:9: invalid regex: missing ): a(b");
  EXPECT_EQ(rules.AddFile("ign", "table:a\nnocolon").message(), "ign:2:1: expected KIND:REGEX");
  EXPECT_EQ(rules.AddFile("ign", "view:").message(),
            "ign:1:6: empty regex (use .* to match every name)");
  // A file with an error adds none of its rules.
  EXPECT_FALSE(rules.HasRulesFor(ObjectKind::kTable));
}

}  // namespace
}  // namespace pgtwin
