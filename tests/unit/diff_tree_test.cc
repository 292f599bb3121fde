#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "reconciler/diff/tree_diff.h"
#include "tests/unit/diff_test_trees.h"

namespace pgtwin {
namespace {

using testing::SampleCluster;

DiffResult Diff(const Object& source, const Object& target) {
  return DiffTrees(source, target, IgnoreRules());
}

std::vector<std::string> Keys(const DiffResult& result) {
  std::vector<std::string> keys;
  for (const DiffEntry& e : result.entries) {
    keys.push_back(std::string(ChangeKindName(e.change)) + " " + e.Key());
  }
  return keys;
}

Object& Billing(Object& cluster) {
  return *cluster.FindChild(ObjectKind::kDatabase, "shop")
              ->FindChild(ObjectKind::kSchema, "billing");
}

Object& Invoices(Object& cluster) {
  return *Billing(cluster).FindChild(ObjectKind::kTable, "invoices");
}

TEST(DiffTreeTest, IdenticalTreesHaveNoDifferences) {
  DiffResult result = Diff(SampleCluster(), SampleCluster());
  EXPECT_TRUE(result.identical());
  EXPECT_TRUE(result.summary.by_kind.empty());
  EXPECT_EQ(result.summary.ignored, 0u);
}

TEST(DiffTreeTest, ClusterRootNamesAreNotCompared) {
  Object target = SampleCluster();
  target.set_name("test");
  EXPECT_TRUE(Diff(SampleCluster(), target).identical());
}

TEST(DiffTreeTest, ClusterAttributeChange) {
  Object target = SampleCluster();
  target.SetAttr("major_version", "16");
  DiffResult result = Diff(SampleCluster(), target);
  ASSERT_EQ(result.entries.size(), 1u);
  const DiffEntry& e = result.entries[0];
  EXPECT_EQ(e.Key(), "cluster");
  EXPECT_EQ(e.change, ChangeKind::kChanged);
  EXPECT_TRUE(e.path.empty());
  EXPECT_EQ(e.database, "");
  ASSERT_EQ(e.attrs.size(), 1u);
  EXPECT_EQ(e.attrs[0], (AttributeChange{"major_version", "15", "16"}));
}

TEST(DiffTreeTest, RoleAddedDroppedAndAltered) {
  Object source = SampleCluster();
  Object target = SampleCluster();
  source.AddChild(ObjectKind::kRole, "reader");
  target.AddChild(ObjectKind::kRole, "developer");
  target.FindChild(ObjectKind::kRole, "app")->SetAttr("connection_limit", "5");
  source.Normalize();
  target.Normalize();
  DiffResult result = Diff(source, target);
  EXPECT_EQ(Keys(result),
            (std::vector<std::string>{"changed role:app", "target_only role:developer",
                                      "source_only role:reader"}));
  EXPECT_EQ(result.entries[0].attrs,
            (std::vector<AttributeChange>{{"connection_limit", std::nullopt, "5"}}));
  EXPECT_EQ(result.entries[0].database, "");
  EXPECT_EQ(result.entries[1].target, target.FindChild(ObjectKind::kRole, "developer"));
  EXPECT_EQ(result.entries[1].source, nullptr);
  EXPECT_EQ(result.entries[2].source, source.FindChild(ObjectKind::kRole, "reader"));
  EXPECT_EQ(result.summary.by_kind.at(ObjectKind::kRole),
            (KindCounts{.source_only = 1, .target_only = 1, .changed = 1}));
}

TEST(DiffTreeTest, DatabaseOnlyInSourceIsReportedOnceAtItsTop) {
  Object source = SampleCluster();
  Object target = SampleCluster();
  std::vector<Object>& dbs = target.mutable_children();
  std::erase_if(dbs, [](const Object& o) { return o.kind() == ObjectKind::kDatabase; });
  DiffResult result = Diff(source, target);
  EXPECT_EQ(Keys(result), (std::vector<std::string>{"source_only database:shop"}));
  EXPECT_EQ(result.entries[0].database, "");
  EXPECT_EQ(result.summary.Total(), (KindCounts{.source_only = 1}));
}

TEST(DiffTreeTest, TableOnlyInTargetIsReportedWithoutItsColumns) {
  Object source = SampleCluster();
  Object target = SampleCluster();
  Object extra(ObjectKind::kTable, "audit");
  extra.AddChild(ObjectKind::kColumn, "at").SetAttr("type", "timestamptz");
  extra.AddChild(ObjectKind::kIndex, "audit_at_idx").SetAttr("definition", "CREATE INDEX");
  Billing(target).AddChild(std::move(extra));
  target.Normalize();
  DiffResult result = Diff(source, target);
  ASSERT_EQ(Keys(result), (std::vector<std::string>{"target_only table:billing.audit"}));
  const DiffEntry& e = result.entries[0];
  EXPECT_EQ(e.database, "shop");
  EXPECT_EQ(e.name, "audit");
  EXPECT_EQ(e.path, (std::vector<PathStep>{{ObjectKind::kDatabase, "shop"},
                                           {ObjectKind::kSchema, "billing"}}));
  EXPECT_TRUE(e.attrs.empty());
}

TEST(DiffTreeTest, ChangesAtEveryLevelUseQualifiedKeys) {
  Object source = SampleCluster();
  Object target = SampleCluster();
  target.FindChild(ObjectKind::kDatabase, "shop")->SetAttr("owner", "admin");
  Billing(target).SetAttr("comment", "money");
  Invoices(target).SetAttr("owner", "admin");
  Invoices(target).FindChild(ObjectKind::kColumn, "amount")->SetAttr("type", "bigint");
  Invoices(target).FindChild(ObjectKind::kColumn, "amount")->SetFlag("not_null", true);
  Invoices(source)
      .FindChild(ObjectKind::kConstraint, "invoices_pkey")
      ->SetAttr("definition", "PRIMARY KEY (id, amount)");
  Billing(source).FindChild(ObjectKind::kFunction, "total(integer)")->SetAttr("body", "SELECT 2");
  target.Normalize();  // SetAttr appends: restore canonical order
  DiffResult result = Diff(source, target);
  EXPECT_EQ(Keys(result), (std::vector<std::string>{
                              "changed database:shop",
                              "changed schema:billing",
                              "changed table:billing.invoices",
                              "changed column:billing.invoices.amount",
                              "changed constraint:billing.invoices.invoices_pkey",
                              "changed function:billing.total(integer)",
                          }));
  EXPECT_EQ(result.entries[3].attrs,
            (std::vector<AttributeChange>{{"not_null", std::nullopt, "true"},
                                          {"type", "integer", "bigint"}}));
  EXPECT_EQ(result.entries[3].database, "shop");
  EXPECT_EQ(result.entries[3].path.size(), 3u);
  EXPECT_EQ(result.entries[4].attrs,
            (std::vector<AttributeChange>{
                {"definition", "PRIMARY KEY (id, amount)", "PRIMARY KEY (id)"}}));
  EXPECT_EQ(result.summary.Total(), (KindCounts{.changed = 6}));
}

TEST(DiffTreeTest, ColumnAddedAndIndexDroppedInsideChangedTable) {
  Object source = SampleCluster();
  Object target = SampleCluster();
  Invoices(source).AddChild(ObjectKind::kColumn, "note").SetAttr("type", "text");
  std::erase_if(Invoices(target).mutable_children(),
                [](const Object& o) { return o.kind() == ObjectKind::kIndex; });
  source.Normalize();
  DiffResult result = Diff(source, target);
  EXPECT_EQ(Keys(result),
            (std::vector<std::string>{"source_only column:billing.invoices.note",
                                      "source_only index:billing.invoices.invoices_amount_idx"}));
}

TEST(DiffTreeTest, SameNameDifferentKindDoNotMatch) {
  Object source = SampleCluster();
  Object target = SampleCluster();
  Billing(source).AddChild(ObjectKind::kView, "report");
  Billing(target).AddChild(ObjectKind::kTable, "report");
  source.Normalize();
  target.Normalize();
  EXPECT_EQ(Keys(Diff(source, target)),
            (std::vector<std::string>{"target_only table:billing.report",
                                      "source_only view:billing.report"}));
}

TEST(DiffTreeTest, DatabaseRootsCompareWhateverTheirNames) {
  Object source = SampleCluster();
  Object target = SampleCluster();
  Object& source_db = *source.FindChild(ObjectKind::kDatabase, "shop");
  Object& target_db = *target.FindChild(ObjectKind::kDatabase, "shop");
  source_db.set_name("shop_p255");
  target_db.set_name("shop_p001");
  EXPECT_TRUE(Diff(source_db, target_db).identical());

  target_db.SetAttr("encoding", "LATIN1");
  target_db.FindChild(ObjectKind::kSchema, "billing")
      ->FindChild(ObjectKind::kTable, "invoices")
      ->SetAttr("owner", "admin");
  DiffResult result = Diff(source_db, target_db);
  ASSERT_EQ(Keys(result), (std::vector<std::string>{"changed database:shop_p001",
                                                    "changed table:billing.invoices"}));
  EXPECT_EQ(result.entries[0].database, "");
  EXPECT_TRUE(result.entries[0].path.empty());
  EXPECT_EQ(result.entries[1].database, "shop_p001");
  EXPECT_EQ(result.entries[1].path[0], (PathStep{ObjectKind::kDatabase, "shop_p001"}));
}

}  // namespace
}  // namespace pgtwin
