#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "reconciler/diff/name_map.h"
#include "reconciler/diff/tree_diff.h"
#include "tests/unit/diff_test_trees.h"

namespace pgtwin {
namespace {

using testing::SampleCluster;

NameMap Map(const std::vector<std::string>& flags) {
  NameMap map;
  for (const std::string& flag : flags) {
    Status status = map.AddFlag(flag);
    EXPECT_TRUE(status.ok()) << status.message();
  }
  return map;
}

std::string Rewritten(const NameMap& map, std::string text) {
  map.Rewrite(&text);
  return text;
}

// A cluster whose one database is named `name` and whose index definition mentions it.
Object ShardCluster(const std::string& name) {
  Object cluster = SampleCluster();
  Object& db = *cluster.FindChild(ObjectKind::kDatabase, "shop");
  db.set_name(name);
  Object& schema = *db.FindChild(ObjectKind::kSchema, "billing");
  schema.AddChild(ObjectKind::kSequence, name + "_seq").SetAttr("owned_by", name + ".id");
  schema.FindChild(ObjectKind::kView, "open_invoices")
      ->SetAttr("definition", " SELECT '" + name + "'::text AS shard;");
  cluster.AddChild(ObjectKind::kRole, name + "_owner").SetAttr("member_of", "app");
  db.SetAttr("role_config." + name + "_owner.search_path", "billing");
  cluster.Normalize();
  return cluster;
}

TEST(DiffNameMapTest, RulesApplyInOrderWithBackreferences) {
  NameMap map = Map({"accountdb_p(\\d+)=shard_\\1", "shard_255=shard_001"});
  EXPECT_EQ(Rewritten(map, "accountdb_p255"), "shard_001");
  EXPECT_EQ(Rewritten(map, "accountdb_p007 and accountdb_p255"), "shard_007 and shard_001");
  EXPECT_EQ(Rewritten(map, "other"), "other");
}

TEST(DiffNameMapTest, SplitsAtTheLastUnescapedEquals) {
  // The regex may contain '='; a '=' in the replacement is written \=.
  EXPECT_EQ(Rewritten(Map({"a=b=c"}), "xa=by"), "xcy");
  EXPECT_EQ(Rewritten(Map({"k=v\\=w"}), "k"), "v=w");
  EXPECT_EQ(Rewritten(Map({"a\\=b=c"}), "a=b"), "c");
  EXPECT_EQ(Rewritten(Map({"x=\\\\"}), "x"), "\\");        // an escaped backslash before nothing
  EXPECT_EQ(Rewritten(Map({"_p255="}), "db_p255"), "db");  // empty replacement deletes
}

TEST(DiffNameMapTest, FlagErrorsNameTheFlagValue) {
  NameMap map;
  EXPECT_EQ(map.AddFlag("abc").message(), "--map 'abc': expected REGEX=REPLACEMENT");
  EXPECT_EQ(map.AddFlag("a\\=b").message(), "--map 'a\\=b': expected REGEX=REPLACEMENT");
  EXPECT_EQ(map.AddFlag("=x").message(), "--map '=x': empty regex");
  Status bad = map.AddFlag("p(25=x");
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(), "--map 'p(25=x': invalid regex: missing ): p(25");
  EXPECT_EQ(map.AddFlag("p(2)5=\\2").message(),
            "--map 'p(2)5=\\2': invalid replacement: Rewrite schema requests 2 matches, but "
            "the regexp only has 1 parenthesized subexpressions.");
  EXPECT_TRUE(map.empty());
}

TEST(DiffNameMapTest, MappedShardComparesCleanWithOtherShard) {
  Object prod = ShardCluster("accountdb_p255");
  Object test = ShardCluster("accountdb_p001");
  EXPECT_FALSE(DiffTrees(prod, test, IgnoreRules()).identical());

  ASSERT_TRUE(Map({"accountdb_p255=accountdb_p001"}).Apply(&prod).ok());
  DiffResult result = DiffTrees(prod, test, IgnoreRules());
  EXPECT_TRUE(result.identical()) << result.entries.size() << " differences, first "
                                  << result.entries[0].Key();
  // The source tree itself was renamed and is still canonical.
  EXPECT_NE(prod.FindChild(ObjectKind::kDatabase, "accountdb_p001"), nullptr);
  EXPECT_EQ(prod.FindChild(ObjectKind::kDatabase, "accountdb_p001")
                ->Attr("role_config.accountdb_p001_owner.search_path"),
            "billing");
  Object sorted = prod;
  sorted.Normalize();
  EXPECT_EQ(sorted, prod);
}

TEST(DiffNameMapTest, MapRenamesInsideAttributeText) {
  Object prod = ShardCluster("accountdb_p255");
  Object test = ShardCluster("accountdb_p255");
  test.FindChild(ObjectKind::kDatabase, "accountdb_p255")
      ->FindChild(ObjectKind::kSchema, "billing")
      ->FindChild(ObjectKind::kView, "open_invoices")
      ->SetAttr("definition", " SELECT 'accountdb_p001'::text AS shard;");
  // Only the quoted name in the view body matches; both databases keep their name.
  ASSERT_TRUE(Map({"'accountdb_p255'='accountdb_p001'"}).Apply(&prod).ok());
  EXPECT_TRUE(DiffTrees(prod, test, IgnoreRules()).identical());
}

TEST(DiffNameMapTest, MappingKeepsAttributesCanonical) {
  Object root(ObjectKind::kCluster, "");
  Object& role = root.AddChild(ObjectKind::kRole, "r");
  role.SetAttr("comment", "drop me");
  role.SetAttr("a_first", "x");
  role.Normalize();
  ASSERT_TRUE(Map({"^a_first$=z_last", "drop me="}).Apply(&root).ok());
  ASSERT_EQ(role.attrs().size(), 1u);  // the emptied comment is gone
  EXPECT_EQ(role.attrs()[0], (Attribute{"z_last", "x"}));
}

TEST(DiffNameMapTest, CollisionsAreErrorsNamingBothObjects) {
  Object cluster = SampleCluster();
  cluster.AddChild(ObjectKind::kDatabase, "accountdb_p000");
  cluster.AddChild(ObjectKind::kDatabase, "accountdb_p001");
  cluster.Normalize();
  Status status = Map({"accountdb_p\\d+=accountdb_p001"}).Apply(&cluster).status();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "--map: source database 'accountdb_p000' and database 'accountdb_p001' would both "
            "be named 'accountdb_p001'");
}

TEST(DiffNameMapTest, RenamedObjectDisplacesTheOneThatHadItsName) {
  // Prod has p001 and p255; --map p255=p001 compares Prod's p255 with Test's p001.
  Object prod = SampleCluster();
  prod.AddChild(ObjectKind::kDatabase, "accountdb_p001").SetAttr("comment", "original");
  prod.AddChild(ObjectKind::kDatabase, "accountdb_p255").SetAttr("comment", "renamed");
  prod.Normalize();
  StatusOr<size_t> displaced = Map({"p255=p001"}).Apply(&prod);
  ASSERT_TRUE(displaced.ok()) << displaced.status().message();
  EXPECT_EQ(*displaced, 1u);
  std::vector<std::string> databases;
  for (const Object& child : prod.children()) {
    if (child.kind() == ObjectKind::kDatabase) {
      databases.push_back(child.name() + "=" + child.Attr("comment"));
    }
  }
  EXPECT_EQ(databases, (std::vector<std::string>{"accountdb_p001=renamed", "shop="}));
}

TEST(DiffNameMapTest, RootNameIsKept) {
  Object db(ObjectKind::kDatabase, "accountdb_p255");
  ASSERT_TRUE(Map({"p255=p001"}).Apply(&db).ok());
  EXPECT_EQ(db.name(), "accountdb_p255");
}

}  // namespace
}  // namespace pgtwin
