// The SQL shapes of reconciler/plan/ddl.h for the cases that need a decision: what is spelled
// out, what is altered in place, what only a replace can do, what may lose data. The
// integration tests (ddl_roundtrip_test.cc, ddl_alter_test.cc) run the SQL for real.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "reconciler/plan/ddl.h"

namespace pgtwin {
namespace {

using Sql = std::vector<std::string>;

Object Make(ObjectKind kind, const std::string& name,
            const std::vector<std::pair<std::string, std::string>>& attrs) {
  Object o(kind, name);
  for (const auto& [attr, value] : attrs) o.SetAttr(attr, value);
  return o;
}

std::vector<AttributeChange> Changes(const Object& desired, const Object& observed) {
  std::vector<AttributeChange> out;
  for (const Attribute& a : desired.attrs()) {
    if (observed.Attr(a.name) != a.value) {
      out.push_back({a.name, a.value,
                     observed.HasAttr(a.name) ? std::optional<std::string>(observed.Attr(a.name))
                                              : std::nullopt});
    }
  }
  for (const Attribute& a : observed.attrs()) {
    if (!desired.HasAttr(a.name)) out.push_back({a.name, std::nullopt, a.value});
  }
  return out;
}

AlterSqlResult Alter(const Object& desired, const Object& observed, const DdlContext& ctx) {
  return AlterSql(desired, observed, Changes(desired, observed), ctx);
}

const DdlContext kInSchema{"s", "", ObjectKind::kTable, nullptr};
const DdlContext kOnTable{"s", "t", ObjectKind::kTable, nullptr};

TEST(DdlSqlTest, SequenceBoundsSpellOutTheModelsStart) {
  Object seq = Make(ObjectKind::kSequence, "q",
                    {{"min_value", "-5"}, {"data_type", "smallint"}, {"owner", "o"}});
  EXPECT_EQ(CreateSql(seq, kInSchema),
            (Sql{"CREATE SEQUENCE s.q AS smallint MINVALUE -5 START WITH 1",
                 "ALTER SEQUENCE s.q OWNER TO o"}));
  Object changed = seq;
  changed.SetAttr("cache", "5");
  EXPECT_EQ(Alter(changed, seq, kInSchema).sql,
            (Sql{"ALTER SEQUENCE s.q AS smallint INCREMENT BY 1 MINVALUE -5 NO MAXVALUE "
                 "START WITH 1 CACHE 5 NO CYCLE"}));
}

TEST(DdlSqlTest, TablesSpellColumnsInPositionOrder) {
  Object table = Make(ObjectKind::kTable, "t", {{"owner", "o"}, {"options", "fillfactor=70"}});
  table.AddChild(Make(ObjectKind::kColumn, "b",
                      {{"position", "2"},
                       {"type", "text"},
                       {"collation", "\"C\""},
                       {"default", "'x'::text"},
                       {"not_null", "true"}}));
  table.AddChild(Make(ObjectKind::kColumn, "user",
                      {{"position", "1"},
                       {"type", "bigint"},
                       {"identity", "always"},
                       {"identity_options", "START WITH 10"},
                       {"not_null", "true"},
                       {"comment", "it's"}}));
  table.AddChild(Make(ObjectKind::kColumn, "g",
                      {{"position", "3"}, {"type", "integer"}, {"generated", "(2 * 3)"}}));
  table.Normalize();
  EXPECT_EQ(CreateSql(table, kInSchema),
            (Sql{"CREATE TABLE s.t (\n"
                 "    \"user\" bigint GENERATED ALWAYS AS IDENTITY (START WITH 10) NOT NULL,\n"
                 "    b text COLLATE \"C\" DEFAULT 'x'::text NOT NULL,\n"
                 "    g integer GENERATED ALWAYS AS ((2 * 3)) STORED\n"
                 ") WITH (fillfactor=70)",
                 "ALTER TABLE s.t OWNER TO o", "COMMENT ON COLUMN s.t.\"user\" IS 'it''s'"}));
}

TEST(DdlSqlTest, ChildTablesLeaveOutWhatTheyInherit) {
  Object database(ObjectKind::kDatabase, "db");
  Object& schema = database.AddChild(ObjectKind::kSchema, "s");
  Object& parent = schema.AddChild(ObjectKind::kTable, "p");
  parent.AddChild(Make(ObjectKind::kColumn, "id",
                       {{"position", "1"}, {"type", "integer"}, {"not_null", "true"}}));
  parent.AddChild(Make(ObjectKind::kColumn, "g",
                       {{"position", "2"}, {"type", "integer"}, {"generated", "(id * 2)"}}));
  parent.AddChild(Make(ObjectKind::kColumn, "n",
                       {{"position", "3"}, {"type", "text"}, {"default", "'p'::text"}}));
  Object child = Make(ObjectKind::kTable, "c", {{"inherits", "s.p"}});
  for (const Object& column : parent.children()) child.AddChild(column);
  child.FindChild(ObjectKind::kColumn, "n")->SetAttr("default", "'c'::text");
  child.AddChild(Make(ObjectKind::kColumn, "own", {{"position", "4"}, {"type", "date"}}));
  Object partition =
      Make(ObjectKind::kTable, "c1", {{"partition_of", "s.p"}, {"partition_bound", "DEFAULT"}});
  for (const Object& column : parent.children()) partition.AddChild(column);
  partition.FindChild(ObjectKind::kColumn, "n")->SetAttr("default", "'c1'::text");
  DdlContext ctx{"s", "", ObjectKind::kTable, &database};
  EXPECT_EQ(CreateSql(child, ctx)[0],
            "CREATE TABLE s.c (\n    n text DEFAULT 'c'::text,\n    own date\n) INHERITS (s.p)");
  EXPECT_EQ(CreateSql(partition, ctx)[0],
            "CREATE TABLE s.c1 PARTITION OF s.p (\n    n WITH OPTIONS DEFAULT 'c1'::text\n) "
            "DEFAULT");
  // Without the parent every column is spelled out.
  EXPECT_EQ(CreateSql(child, kInSchema)[0],
            "CREATE TABLE s.c (\n    id integer NOT NULL,\n"
            "    g integer GENERATED ALWAYS AS ((id * 2)) STORED,\n"
            "    n text DEFAULT 'c'::text,\n    own date\n) INHERITS (s.p)");
}

TEST(DdlSqlTest, ColumnTypeChanges) {
  Object before = Make(ObjectKind::kColumn, "v",
                       {{"type", "character varying(10)"}, {"default", "'a'::character varying"}});
  Object wider = before;
  wider.SetAttr("type", "character varying(20)");
  AlterSqlResult widen = Alter(wider, before, kOnTable);
  EXPECT_EQ(widen.sql, (Sql{"ALTER TABLE s.t ALTER COLUMN v DROP DEFAULT",
                            "ALTER TABLE s.t ALTER COLUMN v TYPE character varying(20)",
                            "ALTER TABLE s.t ALTER COLUMN v SET DEFAULT 'a'::character varying"}));
  EXPECT_FALSE(widen.destructive);
  Object number = Make(ObjectKind::kColumn, "v", {{"type", "integer"}});
  AlterSqlResult narrow = Alter(number, before, kOnTable);
  EXPECT_EQ(narrow.sql, (Sql{"ALTER TABLE s.t ALTER COLUMN v DROP DEFAULT",
                             "ALTER TABLE s.t ALTER COLUMN v TYPE integer USING v::integer"}));
  EXPECT_TRUE(narrow.destructive);
  EXPECT_FALSE(Alter(Make(ObjectKind::kColumn, "v", {{"type", "bigint"}}),
                     Make(ObjectKind::kColumn, "v", {{"type", "integer"}}), kOnTable)
                   .destructive);
  Object generated = Make(ObjectKind::kColumn, "v", {{"type", "integer"}, {"generated", "1"}});
  EXPECT_TRUE(Alter(generated, number, kOnTable).replace);
  EXPECT_EQ(Alter(number, generated, kOnTable).sql,
            (Sql{"ALTER TABLE s.t ALTER COLUMN v DROP EXPRESSION"}));
}

TEST(DdlSqlTest, IdentityColumns) {
  Object plain = Make(ObjectKind::kColumn, "id", {{"type", "bigint"}});
  Object identity = Make(ObjectKind::kColumn, "id",
                         {{"type", "bigint"},
                          {"not_null", "true"},
                          {"identity", "by default"},
                          {"identity_options", "INCREMENT BY -1 MAXVALUE 9"}});
  EXPECT_EQ(Alter(identity, plain, kOnTable).sql,
            (Sql{"ALTER TABLE s.t ALTER COLUMN id SET NOT NULL",
                 "ALTER TABLE s.t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY "
                 "(INCREMENT BY -1 MAXVALUE 9)"}));
  Object other = identity;
  other.SetAttr("identity_options", "CACHE 5");
  EXPECT_EQ(Alter(other, identity, kOnTable).sql,
            (Sql{"ALTER TABLE s.t ALTER COLUMN id SET INCREMENT BY 1 SET NO MINVALUE "
                 "SET NO MAXVALUE SET START WITH 1 SET CACHE 5 SET NO CYCLE"}));
  EXPECT_EQ(Alter(plain, identity, kOnTable).sql,
            (Sql{"ALTER TABLE s.t ALTER COLUMN id DROP IDENTITY",
                 "ALTER TABLE s.t ALTER COLUMN id DROP NOT NULL"}));
}

// ALTER TABLE ... OWNER TO rewrites the old owner's column grants (grantor and grantee) as
// the new owner's: when the owner changes, the table's own action sets its columns' ACLs after
// it, and the columns' actions leave them alone (run before, they would be undone).
TEST(DdlSqlTest, ANewTableOwnerSetsItsColumnsAclsAfterOwnerTo) {
  auto table_owned_by = [](const std::string& owner, const std::string& column_acl) {
    Object database(ObjectKind::kDatabase, "db");
    Object schema(ObjectKind::kSchema, "s");
    Object table = Make(ObjectKind::kTable, "t", {{"owner", owner}});
    table.AddChild(Make(ObjectKind::kColumn, "c",
                        {{"position", "1"}, {"type", "integer"}, {"acl", column_acl}}));
    schema.AddChild(table);
    database.AddChild(schema);
    return database;
  };
  // Prod: o owns the table and granted SELECT (c) to r. Test: r was made the owner by hand,
  // which turned r=r/o into r=r/r.
  Object desired = table_owned_by("o", "r=r/o");
  Object observed = table_owned_by("r", "r=r/r");
  auto table_in = [](const Object& database) -> const Object& {
    return *database.FindChild(ObjectKind::kSchema, "s")->FindChild(ObjectKind::kTable, "t");
  };
  DdlContext ctx{"s", "", ObjectKind::kTable, &desired, &observed};
  // After OWNER TO o, Test's column ACL is o=r/o: o's grant goes, r's comes back.
  EXPECT_EQ(Alter(table_in(desired), table_in(observed), ctx).sql,
            (Sql{"ALTER TABLE s.t OWNER TO o", "REVOKE ALL (c) ON TABLE s.t FROM o",
                 "GRANT SELECT (c) ON TABLE s.t TO r"}));
  const Object& column = *table_in(desired).FindChild(ObjectKind::kColumn, "c");
  const Object& before = *table_in(observed).FindChild(ObjectKind::kColumn, "c");
  DdlContext on_table{"s", "t", ObjectKind::kTable, &desired, &observed};
  EXPECT_EQ(Alter(column, before, on_table).sql, Sql{});
  // Without an owner change the column's own action sets its ACL.
  Object same_owner = table_owned_by("o", "r=r/o");
  same_owner.FindChild(ObjectKind::kSchema, "s")
      ->FindChild(ObjectKind::kTable, "t")
      ->FindChild(ObjectKind::kColumn, "c")
      ->SetAttr("acl", "");
  on_table.observed_database = &same_owner;
  EXPECT_EQ(Alter(column, Make(ObjectKind::kColumn, "c", {{"position", "1"}, {"type", "integer"}}),
                  on_table)
                .sql,
            Sql{"GRANT SELECT (c) ON TABLE s.t TO r"});
}

TEST(DdlSqlTest, ConstraintsValidateAndDeferInPlaceOtherwiseReplace) {
  Object fk = Make(ObjectKind::kConstraint, "fk",
                   {{"type", "f"},
                    {"definition", "FOREIGN KEY (a) REFERENCES s.p(id) NOT VALID"},
                    {"not_valid", "true"}});
  Object valid = Make(ObjectKind::kConstraint, "fk",
                      {{"type", "f"}, {"definition", "FOREIGN KEY (a) REFERENCES s.p(id)"}});
  EXPECT_EQ(Alter(valid, fk, kOnTable).sql, (Sql{"ALTER TABLE s.t VALIDATE CONSTRAINT fk"}));
  EXPECT_TRUE(Alter(fk, valid, kOnTable).replace);
  Object deferred =
      Make(ObjectKind::kConstraint, "fk",
           {{"type", "f"},
            {"definition", "FOREIGN KEY (a) REFERENCES s.p(id) DEFERRABLE INITIALLY DEFERRED"},
            {"deferrable", "true"},
            {"deferred", "true"}});
  EXPECT_EQ(Alter(deferred, valid, kOnTable).sql,
            (Sql{"ALTER TABLE s.t ALTER CONSTRAINT fk DEFERRABLE INITIALLY DEFERRED"}));
  Object unique = Make(ObjectKind::kConstraint, "u", {{"type", "u"}, {"definition", "UNIQUE (a)"}});
  Object unique_deferrable =
      Make(ObjectKind::kConstraint, "u",
           {{"type", "u"}, {"definition", "UNIQUE (a) DEFERRABLE"}, {"deferrable", "true"}});
  EXPECT_TRUE(Alter(unique_deferrable, unique, kOnTable).replace);
  EXPECT_EQ(CreateSql(unique, kOnTable), (Sql{"ALTER TABLE s.t ADD CONSTRAINT u UNIQUE (a)"}));
  EXPECT_EQ(DropSql(unique, kOnTable), (Sql{"ALTER TABLE s.t DROP CONSTRAINT u"}));
}

TEST(DdlSqlTest, IndexesAndTriggers) {
  Object index =
      Make(ObjectKind::kIndex, "i",
           {{"definition", "CREATE INDEX i ON ONLY s.t USING btree (a)"}, {"clustered", "true"}});
  EXPECT_EQ(CreateSql(index, kOnTable),
            (Sql{"CREATE INDEX i ON s.t USING btree (a)", "ALTER TABLE s.t CLUSTER ON i"}));
  Object other = index;
  other.SetAttr("definition", "CREATE INDEX i ON s.t USING hash (a)");
  EXPECT_TRUE(Alter(other, index, kOnTable).replace);
  EXPECT_EQ(DropSql(index, kOnTable), (Sql{"DROP INDEX s.i"}));

  Object trigger = Make(ObjectKind::kTrigger, "tr",
                        {{"definition",
                          "CREATE TRIGGER tr BEFORE INSERT ON s.t FOR EACH ROW "
                          "EXECUTE FUNCTION s.f()"},
                         {"enabled", "D"}});
  Object changed = trigger;
  changed.SetAttr("definition",
                  "CREATE TRIGGER tr BEFORE UPDATE ON s.t FOR EACH ROW EXECUTE FUNCTION s.f()");
  EXPECT_EQ(Alter(changed, trigger, kOnTable).sql,
            (Sql{"CREATE OR REPLACE TRIGGER tr BEFORE UPDATE ON s.t FOR EACH ROW EXECUTE "
                 "FUNCTION s.f()",
                 "ALTER TABLE s.t DISABLE TRIGGER tr"}));
  Object constraint_trigger = trigger;
  constraint_trigger.SetAttr("definition", "CREATE CONSTRAINT TRIGGER tr AFTER INSERT ON s.t");
  EXPECT_TRUE(Alter(constraint_trigger, trigger, kOnTable).replace);
  EXPECT_EQ(DropSql(trigger, kOnTable), (Sql{"DROP TRIGGER tr ON s.t"}));
}

TEST(DdlSqlTest, EnumLabels) {
  Object mood = Make(ObjectKind::kType, "mood", {{"type_kind", "enum"}, {"labels", "'a', 'c'"}});
  Object more = mood;
  more.SetAttr("labels", "'0', 'a', 'b', 'c', 'd'");
  EXPECT_EQ(Alter(more, mood, kInSchema).sql, (Sql{"ALTER TYPE s.mood ADD VALUE '0' BEFORE 'a'",
                                                   "ALTER TYPE s.mood ADD VALUE 'b' AFTER 'a'",
                                                   "ALTER TYPE s.mood ADD VALUE 'd' AFTER 'c'"}));
  Object renamed = mood;
  renamed.SetAttr("labels", "'a', 'it''s'");
  EXPECT_EQ(Alter(renamed, mood, kInSchema).sql,
            (Sql{"ALTER TYPE s.mood RENAME VALUE 'c' TO 'it''s'"}));
  AlterSqlResult fewer = Alter(mood, more, kInSchema);
  EXPECT_TRUE(fewer.replace);
  EXPECT_TRUE(fewer.destructive);
}

TEST(DdlSqlTest, Routines) {
  Object f = Make(ObjectKind::kFunction, "f(integer)",
                  {{"language", "plpgsql"},
                   {"arguments", "x integer"},
                   {"returns", "integer"},
                   {"body", "BEGIN RETURN x; END"},
                   {"config.search_path", "\"$user\", public"},
                   {"owner", "o"}});
  EXPECT_EQ(CreateSql(f, kInSchema),
            (Sql{"CREATE FUNCTION s.f(x integer) RETURNS integer\n  LANGUAGE plpgsql\n"
                 "  SET search_path = '$user', 'public'\nAS $$BEGIN RETURN x; END$$",
                 "ALTER FUNCTION s.f(integer) OWNER TO o"}));
  Object stable = f;
  stable.SetAttr("volatility", "stable");
  stable.SetAttr("config.search_path", "");
  EXPECT_EQ(Alter(stable, f, kInSchema).sql,
            (Sql{"ALTER FUNCTION s.f(integer)\n  STABLE\n  RESET search_path"}));
  Object body = f;
  body.SetAttr("body", "BEGIN RETURN x + 1; END");
  EXPECT_EQ(Alter(body, f, kInSchema).sql[0].substr(0, 35), "CREATE OR REPLACE FUNCTION s.f(x in");
  Object returns = f;
  returns.SetAttr("returns", "bigint");
  EXPECT_TRUE(Alter(returns, f, kInSchema).replace);
  EXPECT_EQ(DropSql(f, kInSchema), (Sql{"DROP FUNCTION s.f(integer)"}));

  Object sql_body = Make(ObjectKind::kFunction, "g()",
                         {{"language", "sql"}, {"returns", "integer"}, {"body", "RETURN 1"}});
  EXPECT_EQ(CreateSql(sql_body, kInSchema),
            (Sql{"CREATE FUNCTION s.g() RETURNS integer\n  LANGUAGE sql\nRETURN 1"}));
  Object c = Make(ObjectKind::kFunction, "h(cstring)",
                  {{"language", "c"},
                   {"returns", "integer"},
                   {"arguments", "cstring"},
                   {"body", "$libdir/x, x_in"},
                   {"strict", "true"}});
  EXPECT_EQ(CreateSql(c, kInSchema),
            (Sql{"CREATE FUNCTION s.h(cstring) RETURNS integer\n  LANGUAGE c\n  STRICT\n"
                 "AS '$libdir/x', 'x_in'"}));

  Object count = Make(ObjectKind::kAggregate, "cnt()",
                      {{"sfunc", "int8inc"},
                       {"stype", "bigint"},
                       {"initcond", "0"},
                       {"sortop", "pg_catalog.>(bigint,bigint)"},
                       {"comment", "c"}});
  EXPECT_EQ(CreateSql(count, kInSchema),
            (Sql{"CREATE AGGREGATE s.cnt(*) (\n  SFUNC = int8inc,\n  STYPE = bigint,\n"
                 "  INITCOND = '0',\n  SORTOP = OPERATOR(pg_catalog.>)\n)",
                 "COMMENT ON AGGREGATE s.cnt(*) IS 'c'"}));
  EXPECT_EQ(DropSql(count, kInSchema), (Sql{"DROP AGGREGATE s.cnt(*)"}));
}

TEST(DdlSqlTest, ViewsReplaceInPlaceOnlyWhenColumnsAreKept) {
  Object view = Make(ObjectKind::kView, "v",
                     {{"definition", " SELECT t.a,\n    t.b AS \"B\"\n   FROM s.t;"}});
  EXPECT_EQ(CreateSql(view, kInSchema),
            (Sql{"CREATE VIEW s.v AS\n SELECT t.a,\n    t.b AS \"B\"\n   FROM s.t"}));
  Object appended = view;
  appended.SetAttr("definition",
                   " SELECT t.a,\n    t.b AS \"B\",\n    count(*) AS n\n   FROM s.t\n  WHERE "
                   "(t.a > 0);");
  AlterSqlResult append = Alter(appended, view, kInSchema);
  EXPECT_FALSE(append.replace);
  ASSERT_EQ(append.sql.size(), 1u);
  EXPECT_EQ(append.sql[0].substr(0, 30), "CREATE OR REPLACE VIEW s.v AS\n");
  EXPECT_TRUE(Alter(view, appended, kInSchema).replace);  // a column removed
  Object renamed = view;
  renamed.SetAttr("definition", " SELECT t.a AS x,\n    t.b AS \"B\"\n   FROM s.t;");
  EXPECT_TRUE(Alter(renamed, view, kInSchema).replace);
  Object matview = view;
  matview = Make(ObjectKind::kMaterializedView, "v", {{"definition", "x"}});
  Object other = Make(ObjectKind::kMaterializedView, "v", {{"definition", "y"}});
  EXPECT_TRUE(Alter(other, matview, kInSchema).replace);
  EXPECT_EQ(DropSql(matview, kInSchema), (Sql{"DROP MATERIALIZED VIEW s.v"}));
}

}  // namespace
}  // namespace pgtwin
