#include <gtest/gtest.h>

#include <string>

#include "model/object.h"
#include "reconciler/render/tree_renderer.h"

namespace pgtwin {
namespace {

TEST(RenderTreeTest, DrawsConnectorsCountsAndHeadlines) {
  Object cluster(ObjectKind::kCluster, "");
  cluster.SetAttr("major_version", "15");
  Object& role = cluster.AddChild(ObjectKind::kRole, "app");
  role.SetFlag("login", true);
  Object& db = cluster.AddChild(ObjectKind::kDatabase, "shop");
  db.SetAttr("owner", "app");
  db.SetAttr("encoding", "UTF8");
  Object& billing = db.AddChild(ObjectKind::kSchema, "billing");
  billing.SetAttr("owner", "app");
  Object& table = billing.AddChild(ObjectKind::kTable, "invoices");
  Object& id = table.AddChild(ObjectKind::kColumn, "id");
  id.SetAttr("position", "1");
  id.SetAttr("type", "bigint");
  id.SetFlag("not_null", true);
  table.AddChild(ObjectKind::kConstraint, "invoices_pkey").SetAttr("type", "p");
  Object& f = billing.AddChild(ObjectKind::kFunction, "total(integer)");
  f.SetAttr("language", "sql");
  f.SetAttr("body", "SELECT 1");
  db.AddChild(ObjectKind::kSchema, "public");
  cluster.Normalize();

  EXPECT_EQ(RenderTree(cluster),
            "+-+= <PgCluster (major_version: '15') [8]>\n"
            "  +--= <PgRole 'app' (login: true)>\n"
            "  \\-+= <PgDatabase 'shop' (owner: 'app', encoding: 'UTF8') [6]>\n"
            "    +-+= <PgSchema 'billing' (owner: 'app') [4]>\n"
            "    | +-+= <PgTable 'invoices' (columns: 1) [2]>\n"
            "    | | +--= <PgColumn 'id' (position: 1, type: 'bigint', not_null: true)>\n"
            "    | | \\--= <PgConstraint 'invoices_pkey' (type: 'p')>\n"
            "    | \\--= <PgFunction 'total(integer)' (language: 'sql')>\n"
            "    \\--= <PgSchema 'public'>\n");
}

TEST(RenderTreeTest, LeavesOutLongAndMultiLineValues) {
  Object column(ObjectKind::kColumn, "c");
  column.SetAttr("type", "text");
  column.SetAttr("default", std::string(61, 'x'));
  Object view(ObjectKind::kView, "v");
  view.SetAttr("owner", "line\nbreak");
  Object schema(ObjectKind::kSchema, "s");
  schema.AddChild(column);
  schema.AddChild(view);
  schema.Normalize();
  EXPECT_EQ(RenderTree(schema),
            "+-+= <PgSchema 's' [2]>\n"
            "  +--= <PgColumn 'c' (type: 'text')>\n"
            "  \\--= <PgView 'v'>\n");
}

TEST(RenderTreeTest, QuotesLikePythonRepr) {
  EXPECT_EQ(RenderTree(Object(ObjectKind::kSchema, "it's")), "+--= <PgSchema \"it's\">\n");
  EXPECT_EQ(RenderTree(Object(ObjectKind::kSchema, "say \"it's\"\\")),
            "+--= <PgSchema 'say \"it\\'s\"\\\\'>\n");
  EXPECT_EQ(RenderTree(Object(ObjectKind::kSchema, "a\tb\x01")), "+--= <PgSchema 'a\\tb\\x01'>\n");
}

TEST(RenderTreeTest, SingleObjectIsOneLine) {
  EXPECT_EQ(RenderTree(Object(ObjectKind::kTable, "t")), "+--= <PgTable 't' (columns: 0)>\n");
}

}  // namespace
}  // namespace pgtwin

namespace pgtwin {
namespace {

TEST(RenderTreeTest, ColumnsComeInPositionOrderLikeCreateTable) {
  Object table(ObjectKind::kTable, "t");
  table.AddChild(ObjectKind::kColumn, "a").SetAttr("position", "2");
  table.AddChild(ObjectKind::kColumn, "b").SetAttr("position", "1");
  table.AddChild(ObjectKind::kColumn, "c").SetAttr("position", "10");
  table.AddChild(ObjectKind::kConstraint, "t_pkey").SetAttr("type", "p");
  table.Normalize();
  std::string tree = RenderTree(table);
  size_t b = tree.find("'b'"), a = tree.find("'a'"), c = tree.find("'c'");
  size_t pkey = tree.find("'t_pkey'");
  ASSERT_NE(c, std::string::npos);
  EXPECT_LT(b, a) << tree;
  EXPECT_LT(a, c) << tree;  // numeric, not text order: 2 before 10
  EXPECT_LT(c, pkey) << tree;
}

}  // namespace
}  // namespace pgtwin
