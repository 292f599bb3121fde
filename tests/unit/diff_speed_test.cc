#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>

#include "reconciler/diff/ignore_rules.h"
#include "reconciler/diff/tree_diff.h"

namespace pgtwin {
namespace {

// A database of `schemas` × `tables` tables, each with 8 columns, a primary key and an index:
// 11 objects per table.
Object GeneratedDatabase(int schemas, int tables) {
  Object db(ObjectKind::kDatabase, "bench");
  db.SetAttr("owner", "app");
  for (int s = 0; s < schemas; ++s) {
    Object& schema = db.AddChild(ObjectKind::kSchema, "s" + std::to_string(s));
    schema.SetAttr("owner", "app");
    for (int t = 0; t < tables; ++t) {
      std::string name = "t" + std::to_string(t);
      Object& table = schema.AddChild(ObjectKind::kTable, name);
      table.SetAttr("owner", "app");
      for (int c = 0; c < 8; ++c) {
        Object& column = table.AddChild(ObjectKind::kColumn, "c" + std::to_string(c));
        column.SetAttr("position", std::to_string(c + 1));
        column.SetAttr("type", c == 0 ? "bigint" : "text");
        if (c == 0) column.SetFlag("not_null", true);
      }
      Object& pkey = table.AddChild(ObjectKind::kConstraint, name + "_pkey");
      pkey.SetAttr("type", "p");
      pkey.SetAttr("definition", "PRIMARY KEY (c0)");
      table.AddChild(ObjectKind::kIndex, name + "_c1_idx")
          .SetAttr("definition", "CREATE INDEX " + name + "_c1_idx ON s" + std::to_string(s) + "." +
                                     name + " USING btree (c1)");
    }
  }
  db.Normalize();
  return db;
}

TEST(DiffSpeedTest, TwoHundredThousandObjectsDiffFast) {
  Object source = GeneratedDatabase(50, 400);
  ASSERT_GE(source.DescendantCount(), 200'000u);
  Object target = source;
  Object& table =
      *target.FindChild(ObjectKind::kSchema, "s7")->FindChild(ObjectKind::kTable, "t42");
  table.SetAttr("owner", "admin");
  table.FindChild(ObjectKind::kColumn, "c3")->SetAttr("type", "integer");
  target.FindChild(ObjectKind::kSchema, "s9")->AddChild(ObjectKind::kTable, "zz_extra");
  IgnoreRules ignore;
  ASSERT_TRUE(ignore.AddFlag("index:_c1_idx$").ok());  // exercised on every index

  auto start = std::chrono::steady_clock::now();
  DiffResult result = DiffTrees(source, target, ignore);
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  std::cout << "diff of " << source.DescendantCount() << " objects: " << elapsed.count() << " s\n";

  EXPECT_EQ(result.entries.size(), 3u);
  EXPECT_EQ(result.summary.ignored, 20'000u);
  EXPECT_LT(elapsed.count(), 2.0);
}

}  // namespace
}  // namespace pgtwin
