// The planner's building blocks: cluster-level SQL, setting values, names found in
// definitions, and the ordering of drafts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "reconciler/plan/cluster_sql.h"
#include "reconciler/plan/guc_value.h"
#include "reconciler/plan/plan_graph.h"
#include "reconciler/plan/plan_reason.h"
#include "reconciler/plan/references.h"
#include "reconciler/plan/site_planner.h"

namespace pgtwin {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(GucValueTest, ListSettingsAreQuotedElementByElement) {
  EXPECT_EQ(cluster_sql::GucValue("search_path", "\"$user\", public"), "'$user', 'public'");
  EXPECT_EQ(cluster_sql::GucValue("search_path", "\"a\"\"b\",c"), "'a\"b', 'c'");
  EXPECT_EQ(cluster_sql::GucValue("search_path", ""), "''");
  EXPECT_EQ(cluster_sql::GucValue("work_mem", "64MB"), "'64MB'");
  EXPECT_EQ(cluster_sql::GucValue("application_name", "it's, here"), "'it''s, here'");
}

TEST(ClusterSqlTest, MemberOfIsParsed) {
  std::vector<cluster_sql::Membership> m = cluster_sql::ParseMemberOf("a, b (admin), c d");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0], (cluster_sql::Membership{"a", false}));
  EXPECT_EQ(m[1], (cluster_sql::Membership{"b", true}));
  EXPECT_EQ(m[2], (cluster_sql::Membership{"c d", false}));
  EXPECT_THAT(cluster_sql::ParseMemberOf(""), IsEmpty());
}

TEST(ClusterSqlTest, RoleConfigPrefersKnownRoleNames) {
  std::set<std::string> roles = {"app", "app.x"};
  EXPECT_THAT(cluster_sql::SplitRoleConfig("app.work_mem", roles), Pair("app", "work_mem"));
  EXPECT_THAT(cluster_sql::SplitRoleConfig("app.x.pgq.mode", roles), Pair("app.x", "pgq.mode"));
  EXPECT_THAT(cluster_sql::SplitRoleConfig("other.pgq.mode", roles), Pair("other", "pgq.mode"));
}

TEST(ClusterSqlTest, RoleNamesAreQuotedWhenNeeded) {
  Object role(ObjectKind::kRole, "User");
  role.SetFlag("superuser", true);
  EXPECT_THAT(cluster_sql::CreateRole(role),
              ElementsAre("CREATE ROLE \"User\" WITH SUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT "
                          "NOLOGIN NOREPLICATION NOBYPASSRLS"));
  EXPECT_EQ(cluster_sql::SetPassword("user"), "ALTER ROLE \"user\" PASSWORD '<redacted>'");
  EXPECT_EQ(cluster_sql::RevokeMembership("a", "b"), "REVOKE b FROM a");
}

TEST(ClusterSqlTest, ValidUntilRemovedBecomesInfinity) {
  Object role(ObjectKind::kRole, "app");
  EXPECT_THAT(cluster_sql::AlterRole(role, {{"valid_until", std::nullopt, "2030-01-01"}}),
              ElementsAre("ALTER ROLE app WITH VALID UNTIL 'infinity'"));
}

TEST(ClusterSqlTest, CreateDatabaseSpellsLocalesAndSettings) {
  Object db(ObjectKind::kDatabase, "shop");
  db.SetAttr("owner", "app");
  db.SetAttr("encoding", "UTF8");
  db.SetAttr("collate", "en_US.UTF-8");
  db.SetAttr("ctype", "en_US.UTF-8");
  db.SetAttr("locale_provider", "icu");
  db.SetAttr("icu_locale", "en-US");
  db.SetAttr("config.search_path", "billing, public");
  db.SetAttr("acl", "=Tc/app, app=CTc/app, reader=c/app");
  db.SetAttr("comment", "the shop");
  db.Normalize();
  EXPECT_THAT(cluster_sql::CreateDatabase(db, {"app", "reader"}),
              ElementsAre("CREATE DATABASE shop WITH TEMPLATE = template0 OWNER = app "
                          "ENCODING = 'UTF8' LC_COLLATE = 'en_US.UTF-8' "
                          "LC_CTYPE = 'en_US.UTF-8' LOCALE_PROVIDER = icu ICU_LOCALE = 'en-US' "
                          "ALLOW_CONNECTIONS = false",
                          "ALTER DATABASE shop SET search_path TO 'billing', 'public'",
                          "GRANT CONNECT ON DATABASE shop TO reader",
                          "COMMENT ON DATABASE shop IS 'the shop'"));
}

TEST(ClusterSqlTest, DatabaseLocaleChangeNeedsReplace) {
  Object want(ObjectKind::kDatabase, "shop");
  want.SetAttr("collate", "C");
  Object have(ObjectKind::kDatabase, "shop");
  have.SetAttr("collate", "en_US.UTF-8");
  cluster_sql::DatabaseAlter alter =
      cluster_sql::AlterDatabase(want, have, {{"collate", "C", "en_US.UTF-8"}}, {});
  EXPECT_TRUE(alter.replace);
  EXPECT_THAT(alter.sql, IsEmpty());
}

TEST(ReferencesTest, QualifiedNamesAreFoundAnywhere) {
  std::vector<QualifiedRef> refs = MentionedNames(
      "SELECT a.id FROM \"Odd\".\"T\"\"x\" a JOIN s.t b ON s.f(b.x) "
      "WHERE nextval('s.seq'::regclass) > 1.5 AND s.t.c = 2");
  EXPECT_THAT(refs,
              ElementsAre(Pair("a", "id"), Pair("Odd", "T\"x"), Pair("s", "t"), Pair("s", "f"),
                          Pair("b", "x"), Pair("s", "seq"), Pair("s", "t"), Pair("t", "c")));
}

TEST(ReferencesTest, IdentifiersAreWholeWords) {
  EXPECT_TRUE(MentionsIdentifier("CREATE INDEX i ON s.t USING btree (amount)", "amount"));
  EXPECT_TRUE(MentionsIdentifier("CHECK ((\"Odd\" > 0))", "Odd"));
  EXPECT_FALSE(MentionsIdentifier("CREATE INDEX i ON s.t USING btree (amount2)", "amount"));
  EXPECT_FALSE(MentionsIdentifier("CHECK ((x > 10))", "10"));
}

TEST(ReferencesTest, RolesOfOwnerAndAcls) {
  Object table(ObjectKind::kTable, "t");
  table.SetAttr("owner", "app");
  table.SetAttr("acl", "app=arwdDxt/app, \"odd role\"=r/app, =r/app");
  table.AddChild(ObjectKind::kColumn, "c").SetAttr("acl", "col_reader=r/app");
  EXPECT_THAT(MentionedRoles(table),
              ElementsAre("app", "app", "app", "odd role", "app", "app", "col_reader", "app"));
}

TEST(ReferencesTest, SqlStandardBodiesAreRecognised) {
  Object fn(ObjectKind::kFunction, "f()");
  fn.SetAttr("language", "sql");
  fn.SetAttr("body", "BEGIN ATOMIC\n SELECT 1;\nEND");
  EXPECT_TRUE(HasSqlStandardBody(fn));
  fn.SetAttr("body", "SELECT 1");
  EXPECT_FALSE(HasSqlStandardBody(fn));
  fn.SetAttr("language", "plpgsql");
  fn.SetAttr("body", "RETURN 1");
  EXPECT_FALSE(HasSqlStandardBody(fn));
}

TEST(PlanReasonTest, ValuesAreShortenedOnOneLine) {
  std::string long_value(100, 'x');
  EXPECT_EQ(DescribeChanges({{"definition", " SELECT 1\n   FROM t;", std::nullopt},
                             {"body", long_value, "y"},
                             {"password", "set", std::nullopt}}),
            "definition: (none) -> SELECT 1 FROM t;; body: y -> " + std::string(60, 'x') +
                "...; password: missing in Test");
}

DraftAction Draft(const std::string& key, int phase, std::vector<std::string> provides,
                  std::vector<std::string> needs, bool is_drop = false) {
  DraftAction draft;
  draft.action.key = key;
  draft.stage = kObjectStage;
  draft.phase = phase;
  draft.order_key = key;
  draft.provides = std::move(provides);
  draft.needs = std::move(needs);
  draft.is_drop = is_drop;
  return draft;
}

std::vector<std::string> Keys(const std::vector<Action>& actions) {
  std::vector<std::string> keys;
  for (const Action& a : actions) keys.push_back(a.key);
  return keys;
}

TEST(PlanGraphTest, RankOrderUnlessADependencyNeedsOtherwise) {
  std::vector<Action> actions = OrderDrafts(
      {Draft("b", 1, {"B"}, {"A"}), Draft("a", 1, {"A"}, {}), Draft("c", 0, {"C"}, {"B"})}, 10);
  EXPECT_THAT(Keys(actions), ElementsAre("a", "b", "c"));
  EXPECT_EQ(actions[0].id, 10);
  EXPECT_THAT(actions[1].depends_on, ElementsAre(10));
  EXPECT_THAT(actions[2].depends_on, ElementsAre(11));
}

TEST(PlanGraphTest, DropsRunBeforeWhatTheyUseIsDropped) {
  // The view uses the table: dropping the view comes first.
  std::vector<Action> actions =
      OrderDrafts({Draft("table", -5, {"T"}, {}, true), Draft("view", -12, {"V"}, {"T"}, true)}, 0);
  EXPECT_THAT(Keys(actions), ElementsAre("view", "table"));
  EXPECT_THAT(actions[1].depends_on, ElementsAre(0));
}

TEST(PlanGraphTest, CyclesAreBrokenDeterministically) {
  std::vector<Action> actions = OrderDrafts(
      {Draft("x", 0, {"X"}, {"Y"}), Draft("y", 0, {"Y"}, {"X"}), Draft("z", 0, {"Z"}, {"X"})}, 0);
  EXPECT_THAT(Keys(actions), ElementsAre("x", "y", "z"));
  EXPECT_THAT(actions[0].depends_on, IsEmpty());
  EXPECT_THAT(actions[1].depends_on, ElementsAre(0));
  EXPECT_THAT(actions[2].depends_on, ElementsAre(0));
}

}  // namespace
}  // namespace pgtwin
