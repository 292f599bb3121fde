// A replaced object's dependents other than views (reconciler/plan/dependents.h): found from
// definitions, dropped by the replacing action first and created again after it, or the
// replace blocked with a reason naming them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "reconciler/plan/dependents.h"
#include "reconciler/plan/planner.h"
#include "reconciler/plan/references.h"
#include "tests/unit/planner_test_trees.h"

namespace pgtwin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace pgtwin::testing;  // NOLINT: tree builders

Plan PlanSite(const Object& desired, const Object& observed, bool prune = false) {
  PlanOptions options;
  options.prune = prune;
  return BuildPlan({{"dc1", &desired, &observed, nullptr, nullptr}}, options);
}

const Action& Find(const Plan& plan, const std::string& key, ActionOp op) {
  const Action* found = nullptr;
  for (const Action& action : plan.actions) {
    if (action.key == key && action.op == op) {
      EXPECT_EQ(found, nullptr) << "twice: " << key;
      found = &action;
    }
  }
  EXPECT_NE(found, nullptr) << key;
  static const Action kMissing;
  return found != nullptr ? *found : kMissing;
}

bool DependsOn(const Action& action, const Action& dependency) {
  return std::find(action.depends_on.begin(), action.depends_on.end(), dependency.id) !=
         action.depends_on.end();
}

std::string Sql(const Action& action) {
  std::string text;
  for (const std::string& sql : action.sql) text += sql + ";\n";
  return text;
}

Object& Billing(Object& cluster) {
  return *cluster.FindChild(ObjectKind::kDatabase, "shop")
              ->FindChild(ObjectKind::kSchema, "billing");
}

Object& Table(Object& cluster, const std::string& name) {
  return *Billing(cluster).FindChild(ObjectKind::kTable, name);
}

Object& SqlFunction(Object& schema, const std::string& signature, const std::string& arguments) {
  Object& fn = schema.AddChild(ObjectKind::kFunction, signature);
  fn.SetAttr("owner", "app");
  fn.SetAttr("language", "sql");
  fn.SetAttr("arguments", arguments);
  fn.SetAttr("returns", "integer");
  fn.SetAttr("body", "SELECT 1");
  return fn;
}

TEST(DependentsTest, KeyAndForeignKeyColumnsParse) {
  EXPECT_THAT(ColumnListAfter("PRIMARY KEY (id, \"Code\") INCLUDE (x)", "KEY"),
              ElementsAre("id", "Code"));
  EXPECT_THAT(ColumnListAfter("UNIQUE NULLS NOT DISTINCT (a)", "UNIQUE"), ElementsAre("a"));
  EXPECT_THAT(ColumnListAfter("CREATE UNIQUE INDEX i ON s.t USING btree (lower(a))", " USING "),
              ElementsAre());
  const std::string fk = "FOREIGN KEY (a, b) REFERENCES s.\"T\"(x, y) ON DELETE CASCADE";
  EXPECT_THAT(ColumnListAfter(fk, "REFERENCES "), ElementsAre("x", "y"));
  ASSERT_TRUE(ForeignKeyTable(fk).has_value());
  EXPECT_EQ(*ForeignKeyTable(fk), QualifiedRef("s", "T"));
}

TEST(DependentsTest, KeyHasOnlyTheForeignKeysOnItsColumns) {
  Object cluster = ShopCluster();
  Object& customers = Table(cluster, "customers");
  AddColumn(customers, "code", "text", 2);
  Object& unique = customers.AddChild(ObjectKind::kConstraint, "customers_code_key");
  unique.SetAttr("type", "u");
  unique.SetAttr("definition", "UNIQUE (code)");
  Object& by_code = Table(cluster, "invoices").AddChild(ObjectKind::kConstraint, "by_code");
  by_code.SetAttr("type", "f");
  by_code.SetAttr("definition", "FOREIGN KEY (customer_id) REFERENCES billing.customers(code)");
  cluster.Normalize();
  const Object& db = *cluster.FindChild(ObjectKind::kDatabase, "shop");
  const Object& pkey =
      *Table(cluster, "customers").FindChild(ObjectKind::kConstraint, "customers_pkey");
  std::vector<Dependent> found = FindDependents(db, pkey, "billing", "customers");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].object->name(), "invoices_customer_id_fkey");
  EXPECT_EQ(found[0].relation, "invoices");
  EXPECT_EQ(found[0].use, DependentUse::kRecreate);
}

TEST(DependentsTest, ReplacedKeyDropsForeignKeysFirstAndAddsThemAfter) {
  Object desired = ShopCluster();
  Object observed = desired;
  Table(observed, "customers")
      .FindChild(ObjectKind::kConstraint, "customers_pkey")
      ->SetAttr("definition", "PRIMARY KEY (id) INCLUDE (id2)");
  Plan plan = PlanSite(desired, observed);
  ASSERT_EQ(plan.actions.size(), 2u);
  const Action& key = Find(plan, "constraint:billing.customers.customers_pkey", ActionOp::kReplace);
  ASSERT_EQ(key.sql.size(), 3u);
  EXPECT_EQ(key.sql[0],
            "ALTER TABLE billing.invoices DROP CONSTRAINT IF EXISTS invoices_customer_id_fkey");
  EXPECT_EQ(key.sql[1], "ALTER TABLE billing.customers DROP CONSTRAINT customers_pkey");
  EXPECT_THAT(key.sql[2], HasSubstr("ADD CONSTRAINT customers_pkey PRIMARY KEY (id)"));
  const Action& fk =
      Find(plan, "constraint:billing.invoices.invoices_customer_id_fkey", ActionOp::kReplace);
  EXPECT_EQ(fk.reason, "rebuilt: depends on constraint:billing.customers.customers_pkey");
  EXPECT_EQ(fk.risk, Risk::kSafe);
  EXPECT_EQ(fk.blocked_by, "");
  EXPECT_THAT(fk.sql[0], HasSubstr("ADD CONSTRAINT invoices_customer_id_fkey FOREIGN KEY"));
  EXPECT_TRUE(DependsOn(fk, key));
}

TEST(DependentsTest, ReplacedFunctionTakesDefaultCheckAndTriggerAlong) {
  Object desired = ShopCluster();
  SqlFunction(Billing(desired), "f(integer)", "x integer");
  Object& invoices = Table(desired, "invoices");
  invoices.FindChild(ObjectKind::kColumn, "amount")->SetAttr("default", "billing.f(1)");
  Object& check = invoices.AddChild(ObjectKind::kConstraint, "amount_check");
  check.SetAttr("type", "c");
  check.SetAttr("definition", "CHECK ((billing.f(amount) > 0))");
  invoices.FindChild(ObjectKind::kTrigger, "invoices_touch")
      ->SetAttr("definition",
                "CREATE TRIGGER invoices_touch BEFORE UPDATE ON billing.invoices FOR EACH ROW "
                "WHEN ((billing.f(new.amount) > 1)) EXECUTE FUNCTION billing.touch()");
  desired.Normalize();
  Object observed = desired;
  Billing(observed)
      .FindChild(ObjectKind::kFunction, "f(integer)")
      ->SetAttr("arguments", "y integer");
  Plan plan = PlanSite(desired, observed);
  const Action& f = Find(plan, "function:billing.f(integer)", ActionOp::kReplace);
  EXPECT_EQ(f.blocked_by, "");
  std::string sql = Sql(f);
  size_t drop = sql.find("DROP FUNCTION billing.f(integer)");
  ASSERT_NE(drop, std::string::npos) << sql;
  for (const char* first : {"ALTER TABLE billing.invoices ALTER COLUMN amount DROP DEFAULT",
                            "ALTER TABLE billing.invoices DROP CONSTRAINT IF EXISTS amount_check",
                            "DROP TRIGGER IF EXISTS invoices_touch ON billing.invoices"}) {
    size_t at = sql.find(first);
    EXPECT_LT(at, drop) << first << "\n" << sql;
  }
  const Action& default_again = Find(plan, "column:billing.invoices.amount", ActionOp::kAlter);
  EXPECT_THAT(default_again.sql,
              ElementsAre("ALTER TABLE billing.invoices ALTER COLUMN amount SET DEFAULT "
                          "billing.f(1)"));
  EXPECT_TRUE(DependsOn(default_again, f));
  EXPECT_TRUE(
      DependsOn(Find(plan, "constraint:billing.invoices.amount_check", ActionOp::kReplace), f));
  EXPECT_TRUE(
      DependsOn(Find(plan, "trigger:billing.invoices.invoices_touch", ActionOp::kReplace), f));
}

TEST(DependentsTest, DependentOfTwoReplacesIsCreatedOnceAfterBoth) {
  Object desired = ShopCluster();
  SqlFunction(Billing(desired), "f(integer)", "x integer");
  SqlFunction(Billing(desired), "g(integer)", "x integer");
  Object& check = Table(desired, "invoices").AddChild(ObjectKind::kConstraint, "fg");
  check.SetAttr("type", "c");
  check.SetAttr("definition", "CHECK ((billing.f(amount) > billing.g(amount)))");
  desired.Normalize();
  Object observed = desired;
  Billing(observed)
      .FindChild(ObjectKind::kFunction, "f(integer)")
      ->SetAttr("arguments", "y integer");
  Billing(observed)
      .FindChild(ObjectKind::kFunction, "g(integer)")
      ->SetAttr("arguments", "y integer");
  Plan plan = PlanSite(desired, observed);
  ASSERT_EQ(plan.actions.size(), 3u);
  const Action& f = Find(plan, "function:billing.f(integer)", ActionOp::kReplace);
  const Action& g = Find(plan, "function:billing.g(integer)", ActionOp::kReplace);
  const Action& fg = Find(plan, "constraint:billing.invoices.fg", ActionOp::kReplace);
  EXPECT_THAT(Sql(f), HasSubstr("DROP CONSTRAINT IF EXISTS fg"));
  EXPECT_THAT(Sql(g), HasSubstr("DROP CONSTRAINT IF EXISTS fg"));
  EXPECT_TRUE(DependsOn(fg, f));
  EXPECT_TRUE(DependsOn(fg, g));
}

TEST(DependentsTest, ReplaceIsBlockedByAColumnOfTheType) {
  Object desired = ShopCluster();
  Object& mood = Billing(desired).AddChild(ObjectKind::kType, "mood");
  mood.SetAttr("type_kind", "enum");
  mood.SetAttr("labels", "'ok', 'sad'");
  AddColumn(Table(desired, "invoices"), "mood", "billing.mood", 4);
  desired.Normalize();
  Object observed = desired;
  Billing(observed).FindChild(ObjectKind::kType, "mood")->SetAttr("labels", "'sad', 'ok'");
  Plan plan = PlanSite(desired, observed, true);
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_EQ(plan.actions[0].key, "type:billing.mood");
  EXPECT_EQ(plan.actions[0].blocked_by, "column billing.invoices.mood uses it: change it by hand");
}

TEST(DependentsTest, ReplaceIsBlockedByAnUnmanagedForeignKey) {
  Object desired = ShopCluster();
  Object observed = desired;
  Table(observed, "customers")
      .FindChild(ObjectKind::kConstraint, "customers_pkey")
      ->SetAttr("definition", "PRIMARY KEY (id) INCLUDE (id2)");
  Object& dev = AddTable(Billing(observed), "dev", "app");
  AddForeignKey(dev, "id", "billing.customers");
  observed.Normalize();
  Plan plan = PlanSite(desired, observed);
  const Action& key = Find(plan, "constraint:billing.customers.customers_pkey", ActionOp::kReplace);
  EXPECT_EQ(key.blocked_by, "unmanaged constraint:billing.dev.dev_id_fkey depends on it");
  EXPECT_THAT(Sql(key), Not(HasSubstr("dev_id_fkey")));
}

TEST(DependentsTest, ReplacedTableReleasesItsSequenceAndOwnsItAgain) {
  Object desired = ShopCluster();
  Table(desired, "invoices").SetAttr("partition_by", "RANGE (id)");
  Object observed = ShopCluster();
  Plan plan = PlanSite(desired, observed, true);
  const Action& table = Find(plan, "table:billing.invoices", ActionOp::kReplace);
  EXPECT_EQ(table.blocked_by, "");
  std::string sql = Sql(table);
  size_t release = sql.find("ALTER SEQUENCE billing.invoices_id_seq OWNED BY NONE");
  ASSERT_NE(release, std::string::npos) << sql;
  EXPECT_LT(release, sql.find("DROP TABLE billing.invoices"));
  const Action& own = Find(plan, "sequence:billing.invoices_id_seq", ActionOp::kAlter);
  EXPECT_THAT(own.sql,
              ElementsAre("ALTER SEQUENCE billing.invoices_id_seq OWNED BY billing.invoices.id"));
  EXPECT_TRUE(DependsOn(own, table));
}

}  // namespace
}  // namespace pgtwin
