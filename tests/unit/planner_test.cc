#include "reconciler/plan/planner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/planner_test_trees.h"

namespace pgtwin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using namespace pgtwin::testing;  // NOLINT: tree builders

Plan PlanSite(const Object& desired, const Object& observed, const PlanOptions& options = {},
              const PasswordHashes* desired_passwords = nullptr,
              const PasswordHashes* observed_passwords = nullptr) {
  SitePlanInput input{"dc1", &desired, &observed, desired_passwords, observed_passwords};
  return BuildPlan({input}, options);
}

// The only action with this key and op; fails the test when there is not exactly one.
const Action& Find(const Plan& plan, const std::string& key, ActionOp op = ActionOp::kCreate) {
  const Action* found = nullptr;
  int count = 0;
  for (const Action& action : plan.actions) {
    if (action.key == key && action.op == op) {
      found = &action;
      ++count;
    }
  }
  EXPECT_EQ(count, 1) << key;
  static const Action kMissing;
  return found != nullptr ? *found : kMissing;
}

bool HasAction(const Plan& plan, const std::string& key) {
  return std::any_of(plan.actions.begin(), plan.actions.end(),
                     [&](const Action& a) { return a.key == key; });
}

bool DependsOn(const Action& action, const Action& dependency) {
  return std::find(action.depends_on.begin(), action.depends_on.end(), dependency.id) !=
         action.depends_on.end();
}

// Ids are positions; every dependency precedes its dependent and runs on the same site.
void ExpectWellFormed(const Plan& plan) {
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    const Action& action = plan.actions[i];
    ASSERT_EQ(action.id, static_cast<int>(i));
    EXPECT_TRUE(std::is_sorted(action.depends_on.begin(), action.depends_on.end()));
    for (int dep : action.depends_on) {
      ASSERT_GE(dep, 0);
      ASSERT_LT(dep, action.id) << action.key << " depends on a later action";
      EXPECT_EQ(plan.actions[dep].site, action.site);
    }
  }
}

std::vector<std::string> Keys(const Plan& plan) {
  std::vector<std::string> keys;
  for (const Action& action : plan.actions) keys.push_back(action.key);
  return keys;
}

TEST(PlannerTest, InSyncPlansNothing) {
  Plan plan = PlanSite(ShopCluster(), ShopCluster());
  EXPECT_THAT(plan.actions, IsEmpty());
  EXPECT_THAT(plan.unmanaged, IsEmpty());
}

TEST(PlannerTest, ClusterSettingsAreNotManaged) {
  Object observed = ShopCluster();
  observed.SetAttr("setting.work_mem", "64MB");
  EXPECT_THAT(PlanSite(ShopCluster(), observed).actions, IsEmpty());
}

TEST(PlannerTest, CreateFromEmptyOrdersRolesDatabaseThenObjects) {
  Plan plan = PlanSite(ShopCluster(), EmptyCluster());
  ExpectWellFormed(plan);
  const Action& app = Find(plan, "role:app");
  const Action& reader = Find(plan, "role:reader");
  const Action& grant = Find(plan, "role:reader", ActionOp::kAlter);
  const Action& db = Find(plan, "database:shop");
  EXPECT_EQ(app.id, 0);
  EXPECT_EQ(reader.id, 1);
  EXPECT_EQ(grant.id, 2);
  EXPECT_EQ(db.id, 3);
  EXPECT_EQ(grant.sql, std::vector<std::string>{"GRANT app TO reader"});
  EXPECT_EQ(grant.reason, "member_of: + app");
  EXPECT_THAT(grant.depends_on, ElementsAre(app.id, reader.id));
  EXPECT_THAT(db.depends_on, ElementsAre(app.id));
  EXPECT_FALSE(db.in_transaction);
  EXPECT_EQ(db.database, "");
  EXPECT_EQ(db.reason, "missing in Test");
  // Everything inside the database waits for it and runs in it.
  for (const Action& action : plan.actions) {
    if (action.id <= db.id) continue;
    EXPECT_EQ(action.database, "shop") << action.key;
    EXPECT_TRUE(DependsOn(action, db)) << action.key;
    EXPECT_EQ(action.risk, Risk::kSafe) << action.key;
    EXPECT_TRUE(action.blocked_by.empty()) << action.key;
  }
  EXPECT_TRUE(DependsOn(Find(plan, "schema:billing"), app));
  EXPECT_THAT(plan.unmanaged, IsEmpty());
}

TEST(PlannerTest, CreateFromEmptyFollowsObjectDependencies) {
  Plan plan = PlanSite(ShopCluster(), EmptyCluster());
  ExpectWellFormed(plan);
  const Action& schema = Find(plan, "schema:billing");
  const Action& customers = Find(plan, "table:billing.customers");
  const Action& customers_pkey = Find(plan, "constraint:billing.customers.customers_pkey");
  const Action& invoices = Find(plan, "table:billing.invoices");
  const Action& fkey = Find(plan, "constraint:billing.invoices.invoices_customer_id_fkey");
  const Action& invoices_pkey = Find(plan, "constraint:billing.invoices.invoices_pkey");
  const Action& index = Find(plan, "index:billing.invoices.invoices_amount_idx");
  const Action& sequence = Find(plan, "sequence:billing.invoices_id_seq");
  const Action& owned_by = Find(plan, "sequence:billing.invoices_id_seq", ActionOp::kAlter);
  const Action& events = Find(plan, "table:billing.events");
  const Action& partition = Find(plan, "table:billing.events_1");
  const Action& v1 = Find(plan, "view:billing.v1");
  const Action& v2 = Find(plan, "view:billing.v2");
  const Action& touch = Find(plan, "function:billing.touch()");
  const Action& trigger = Find(plan, "trigger:billing.invoices.invoices_touch");

  EXPECT_TRUE(DependsOn(customers, schema));
  EXPECT_TRUE(DependsOn(customers_pkey, customers));
  EXPECT_TRUE(DependsOn(fkey, invoices));
  EXPECT_TRUE(DependsOn(fkey, customers_pkey));  // FK after the referenced key
  EXPECT_FALSE(DependsOn(fkey, invoices_pkey));
  EXPECT_LT(invoices_pkey.id, fkey.id);  // keys before foreign keys
  EXPECT_LT(fkey.id, index.id);
  EXPECT_TRUE(DependsOn(index, invoices));
  EXPECT_TRUE(DependsOn(invoices, sequence));  // the default uses it
  EXPECT_TRUE(DependsOn(owned_by, sequence));
  EXPECT_TRUE(DependsOn(owned_by, invoices));  // OWNED BY after its table
  EXPECT_EQ(owned_by.reason, "owned_by: (none) -> billing.invoices.id");
  EXPECT_TRUE(DependsOn(partition, events));  // partition after its parent
  EXPECT_TRUE(DependsOn(v1, invoices));
  EXPECT_TRUE(DependsOn(v2, v1));  // view on view
  EXPECT_LT(index.id, v1.id);
  EXPECT_TRUE(DependsOn(trigger, touch));  // trigger after its function
  EXPECT_TRUE(DependsOn(trigger, invoices));
  EXPECT_LT(touch.id, customers.id);  // plpgsql functions before tables
  // A table's columns are part of its CREATE TABLE: no action of their own.
  EXPECT_FALSE(HasAction(plan, "column:billing.invoices.amount"));
}

TEST(PlannerTest, NewDatabaseKeepsWhatTemplate0Gives) {
  Object desired = ShopCluster();
  Object& shop = *desired.FindChild(ObjectKind::kDatabase, "shop");
  shop.FindChild(ObjectKind::kSchema, "public")->SetAttr("owner", "app");
  shop.mutable_children().erase(shop.mutable_children().begin());  // plpgsql
  Plan plan = PlanSite(desired, EmptyCluster());
  ExpectWellFormed(plan);
  const Action& owner = Find(plan, "schema:public", ActionOp::kAlter);
  EXPECT_EQ(owner.reason, "owner: pg_database_owner -> app");
  EXPECT_TRUE(DependsOn(owner, Find(plan, "database:shop")));
  EXPECT_FALSE(HasAction(plan, "extension:plpgsql"));
  ASSERT_EQ(plan.unmanaged.size(), 1u);
  EXPECT_EQ(plan.unmanaged[0].key, "extension:plpgsql");
}

TEST(PlannerTest, SqlStandardBodiesWaitForWhatTheyUse) {
  Object desired = ShopCluster();
  Object& billing =
      *desired.FindChild(ObjectKind::kDatabase, "shop")->FindChild(ObjectKind::kSchema, "billing");
  Object& total = billing.AddChild(ObjectKind::kFunction, "total()");
  total.SetAttr("language", "sql");
  total.SetAttr("returns", "bigint");
  total.SetAttr("body", "RETURN (SELECT count(*) FROM billing.v2)");
  desired.Normalize();
  Plan plan = PlanSite(desired, EmptyCluster());
  ExpectWellFormed(plan);
  const Action& fn = Find(plan, "function:billing.total()");
  EXPECT_TRUE(DependsOn(fn, Find(plan, "view:billing.v2")));
}

TEST(PlannerTest, MissingColumnIsAddedToExistingTable) {
  Object observed = ShopCluster();
  Object desired = ShopCluster();
  Object& invoices = *desired.FindChild(ObjectKind::kDatabase, "shop")
                          ->FindChild(ObjectKind::kSchema, "billing")
                          ->FindChild(ObjectKind::kTable, "invoices");
  AddColumn(invoices, "note", "text", 4);
  desired.Normalize();
  Plan plan = PlanSite(desired, observed);
  ASSERT_EQ(plan.actions.size(), 1u);
  const Action& add = plan.actions[0];
  EXPECT_EQ(add.key, "column:billing.invoices.note");
  EXPECT_EQ(add.op, ActionOp::kCreate);
  EXPECT_EQ(add.database, "shop");
  EXPECT_EQ(add.site, "dc1");
  EXPECT_THAT(add.depends_on, IsEmpty());
}

Object& Invoices(Object& cluster) {
  return *cluster.FindChild(ObjectKind::kDatabase, "shop")
              ->FindChild(ObjectKind::kSchema, "billing")
              ->FindChild(ObjectKind::kTable, "invoices");
}

Object& Billing(Object& cluster) {
  return *cluster.FindChild(ObjectKind::kDatabase, "shop")
              ->FindChild(ObjectKind::kSchema, "billing");
}

TEST(PlannerTest, ChangedColumnIsAlteredWithItsDifferenceAsReason) {
  Object observed = ShopCluster();
  Invoices(observed).FindChild(ObjectKind::kColumn, "amount")->SetAttr("type", "integer");
  Object desired = ShopCluster();
  Invoices(desired).FindChild(ObjectKind::kColumn, "amount")->SetAttr("type", "bigint");
  Plan plan = PlanSite(desired, observed);
  ASSERT_EQ(plan.actions.size(), 1u);
  const Action& alter = plan.actions[0];
  EXPECT_EQ(alter.op, ActionOp::kAlter);
  EXPECT_EQ(alter.key, "column:billing.invoices.amount");
  EXPECT_EQ(alter.reason, "type: integer -> bigint");
  EXPECT_FALSE(alter.sql.empty());
}

TEST(PlannerTest, ChangedIndexIsReplacedWithoutPrune) {
  Object observed = ShopCluster();
  Invoices(observed)
      .FindChild(ObjectKind::kIndex, "invoices_amount_idx")
      ->SetAttr("definition",
                "CREATE INDEX invoices_amount_idx ON billing.invoices USING hash (amount)");
  Plan plan = PlanSite(ShopCluster(), observed);
  ASSERT_EQ(plan.actions.size(), 1u);
  const Action& replace = plan.actions[0];
  EXPECT_EQ(replace.op, ActionOp::kReplace);
  EXPECT_EQ(replace.risk, Risk::kDestructive);
  EXPECT_EQ(replace.blocked_by, "");
  EXPECT_GE(replace.sql.size(), 2u);  // drop, then create
}

TEST(PlannerTest, ReplacingTableNeedsPruneAndRecreatesItsParts) {
  Object observed = ShopCluster();
  Invoices(observed).SetAttr("partition_by", "HASH (id)");
  Plan blocked = PlanSite(ShopCluster(), observed);
  ASSERT_EQ(blocked.actions.size(), 1u);
  EXPECT_EQ(blocked.actions[0].op, ActionOp::kReplace);
  EXPECT_THAT(blocked.actions[0].blocked_by, HasSubstr("needs prune"));

  PlanOptions prune;
  prune.prune = true;
  Plan plan = PlanSite(ShopCluster(), observed, prune);
  ExpectWellFormed(plan);
  const Action& replace = Find(plan, "table:billing.invoices", ActionOp::kReplace);
  EXPECT_EQ(replace.blocked_by, "");
  for (const char* key :
       {"constraint:billing.invoices.invoices_pkey",
        "constraint:billing.invoices.invoices_customer_id_fkey",
        "index:billing.invoices.invoices_amount_idx", "trigger:billing.invoices.invoices_touch"}) {
    EXPECT_TRUE(DependsOn(Find(plan, key), replace)) << key;
  }
}

// ShopCluster plus a materialized view on `from` with an index, and a view on it.
Object WithMatview(const std::string& from) {
  Object cluster = ShopCluster();
  Object& mv = Billing(cluster).AddChild(ObjectKind::kMaterializedView, "mv");
  mv.SetAttr("owner", "app");
  mv.SetAttr("definition", " SELECT x.id\n   FROM " + from + " x;");
  mv.AddChild(ObjectKind::kIndex, "mv_id_idx")
      .SetAttr("definition", "CREATE INDEX mv_id_idx ON billing.mv USING btree (id)");
  AddView(Billing(cluster), "on_mv", "app", "billing.mv");
  cluster.Normalize();
  return cluster;
}

TEST(PlannerTest, ReplacedViewTakesTheViewsOnItAlong) {
  Object observed = WithMatview("billing.customers");
  Plan plan = PlanSite(WithMatview("billing.invoices"), observed);
  ExpectWellFormed(plan);
  ASSERT_EQ(plan.actions.size(), 3u);
  const Action& mv = Find(plan, "materialized_view:billing.mv", ActionOp::kReplace);
  ASSERT_GE(mv.sql.size(), 3u);
  EXPECT_THAT(mv.sql[0], HasSubstr("DROP VIEW billing.on_mv"));  // dependents first
  EXPECT_THAT(mv.sql[1], HasSubstr("DROP MATERIALIZED VIEW billing.mv"));
  EXPECT_THAT(mv.sql[2], HasSubstr("CREATE MATERIALIZED VIEW billing.mv"));
  EXPECT_EQ(mv.blocked_by, "");
  const Action& view = Find(plan, "view:billing.on_mv", ActionOp::kReplace);
  EXPECT_EQ(view.reason, "rebuilt: depends on materialized_view:billing.mv");
  EXPECT_THAT(view.sql.front(), HasSubstr("CREATE VIEW billing.on_mv"));
  EXPECT_TRUE(DependsOn(view, mv));
  EXPECT_TRUE(DependsOn(Find(plan, "index:billing.mv.mv_id_idx"), mv));
}

TEST(PlannerTest, RetypedColumnTakesTheViewsReadingItAlong) {
  Object desired = ShopCluster();
  AddView(Billing(desired), "amounts", "app", "billing.invoices");
  Billing(desired)
      .FindChild(ObjectKind::kView, "amounts")
      ->SetAttr("definition", " SELECT x.amount\n   FROM billing.invoices x;");
  AddView(Billing(desired), "amounts_v", "app", "billing.amounts");
  desired.Normalize();
  Object observed = desired;
  Invoices(observed).FindChild(ObjectKind::kColumn, "amount")->SetAttr("type", "smallint");
  Plan plan = PlanSite(desired, observed);
  ExpectWellFormed(plan);
  // v1 and v2 do not read amount: they stay.
  EXPECT_THAT(Keys(plan), ElementsAre("column:billing.invoices.amount", "view:billing.amounts",
                                      "view:billing.amounts_v"));
  const Action& column = plan.actions[0];
  ASSERT_EQ(column.sql.size(), 3u);
  EXPECT_THAT(column.sql[0], HasSubstr("DROP VIEW billing.amounts_v"));
  EXPECT_THAT(column.sql[1], HasSubstr("DROP VIEW billing.amounts"));
  EXPECT_THAT(column.sql[2], HasSubstr("ALTER COLUMN amount TYPE integer"));
  EXPECT_EQ(plan.actions[1].reason, "rebuilt: depends on column:billing.invoices.amount");
  EXPECT_TRUE(DependsOn(plan.actions[1], column));
  EXPECT_TRUE(DependsOn(plan.actions[2], plan.actions[1]));
}

TEST(PlannerTest, ReplaceIsBlockedWhenAnUnmanagedViewDependsOnIt) {
  Object observed = WithMatview("billing.customers");
  AddView(Billing(observed), "dev_view", "app", "billing.on_mv");
  observed.Normalize();
  PlanOptions prune;
  prune.prune = true;
  Plan plan = PlanSite(WithMatview("billing.invoices"), observed, prune);
  ExpectWellFormed(plan);
  const Action& mv = Find(plan, "materialized_view:billing.mv", ActionOp::kReplace);
  EXPECT_EQ(mv.blocked_by, "unmanaged view:billing.dev_view depends on it");
  EXPECT_FALSE(HasAction(plan, "index:billing.mv.mv_id_idx"));
}

TEST(PlannerTest, ReplacedColumnGetsItsIndexesBack) {
  Object desired = ShopCluster();
  Invoices(desired).FindChild(ObjectKind::kColumn, "amount")->SetAttr("generated", "(id * 2)");
  Object observed = ShopCluster();
  Invoices(observed).FindChild(ObjectKind::kColumn, "amount")->SetAttr("generated", "(id * 3)");
  PlanOptions prune;
  prune.prune = true;
  Plan plan = PlanSite(desired, observed, prune);
  ExpectWellFormed(plan);
  ASSERT_EQ(plan.actions.size(), 2u) << plan.actions.size();
  const Action& column = Find(plan, "column:billing.invoices.amount", ActionOp::kReplace);
  const Action& index = Find(plan, "index:billing.invoices.invoices_amount_idx");
  EXPECT_TRUE(DependsOn(index, column));
  EXPECT_EQ(PlanSite(desired, observed).actions[0].blocked_by,
            "replacing a column loses its data: needs prune");
}

TEST(PlannerTest, ReplacedPartitionedTableGetsItsPartitionsBack) {
  Object observed = ShopCluster();
  Billing(observed).FindChild(ObjectKind::kTable, "events")->SetAttr("partition_by", "LIST (id)");
  PlanOptions prune;
  prune.prune = true;
  Plan plan = PlanSite(ShopCluster(), observed, prune);
  ExpectWellFormed(plan);
  ASSERT_EQ(plan.actions.size(), 2u);
  const Action& parent = Find(plan, "table:billing.events", ActionOp::kReplace);
  EXPECT_TRUE(DependsOn(Find(plan, "table:billing.events_1"), parent));
}

TEST(PlannerTest, UnmanagedObjectsAreKeptWithoutPrune) {
  Object observed = ShopCluster();
  AddColumn(Invoices(observed), "dev_note", "text", 4);
  AddTable(Billing(observed), "scratch", "app");
  AddRole(observed, "developer");
  AddDatabase(observed, "playground", "developer");
  AddDatabase(observed, "postgres", "postgres");
  observed.Normalize();
  Plan plan = PlanSite(ShopCluster(), observed);
  EXPECT_THAT(plan.actions, IsEmpty());
  std::vector<std::string> keys;
  for (const UnmanagedObject& u : plan.unmanaged) keys.push_back(u.database + " " + u.key);
  // The system database postgres is neither managed nor reported.
  EXPECT_THAT(keys,
              ElementsAre(" role:developer", " database:playground",
                          "shop column:billing.invoices.dev_note", "shop table:billing.scratch"));
}

TEST(PlannerTest, PruneDropsUnmanagedObjectsInReverseOrder) {
  Object observed = ShopCluster();
  AddColumn(Invoices(observed), "dev_note", "text", 4);
  Object& scratch = AddTable(Billing(observed), "scratch", "developer");
  AddForeignKey(scratch, "id", "billing.scratch_parent");
  AddTable(Billing(observed), "scratch_parent", "developer");
  AddView(Billing(observed), "scratch_view", "developer", "billing.scratch");
  AddRole(observed, "developer");
  AddDatabase(observed, "postgres", "postgres");
  observed.Normalize();
  PlanOptions options;
  options.prune = true;
  Plan plan = PlanSite(ShopCluster(), observed, options);
  ExpectWellFormed(plan);
  const Action& column = Find(plan, "column:billing.invoices.dev_note", ActionOp::kDrop);
  const Action& view = Find(plan, "view:billing.scratch_view", ActionOp::kDrop);
  const Action& table = Find(plan, "table:billing.scratch", ActionOp::kDrop);
  const Action& parent = Find(plan, "table:billing.scratch_parent", ActionOp::kDrop);
  const Action& role = Find(plan, "role:developer", ActionOp::kDrop);
  for (const Action* drop : {&column, &view, &table, &parent, &role}) {
    EXPECT_EQ(drop->risk, Risk::kDestructive);
    EXPECT_EQ(drop->reason, "unmanaged (prune)");
    EXPECT_EQ(drop->blocked_by, "");
  }
  EXPECT_TRUE(DependsOn(table, view));    // the view goes first
  EXPECT_TRUE(DependsOn(parent, table));  // the referencing table goes first
  EXPECT_TRUE(DependsOn(role, table));    // the owner goes last
  EXPECT_EQ(role.sql, std::vector<std::string>{"DROP ROLE developer"});
  EXPECT_FALSE(HasAction(plan, "database:postgres"));
  EXPECT_EQ(plan.unmanaged.size(), 5u);
}

TEST(PlannerTest, ProtectedObjectsAreNeverDroppedNorChanged) {
  Object observed = ShopCluster();
  AddTable(Billing(observed), "audit_log", "app");
  Invoices(observed).SetAttr("comment", "mine");
  observed.Normalize();
  PlanOptions options;
  options.prune = true;
  options.protect = {"^billing\\.audit_", "^billing\\.invoices$"};
  Plan plan = PlanSite(ShopCluster(), observed, options);
  ASSERT_EQ(plan.unmanaged.size(), 1u);
  EXPECT_EQ(plan.unmanaged[0].key, "table:billing.audit_log");
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_EQ(plan.actions[0].key, "table:billing.invoices");
  EXPECT_EQ(plan.actions[0].blocked_by, "protected by policy: ^billing\\.invoices$");
}

TEST(PlannerTest, ObjectsBelowProtectedNamesAreProtected) {
  Object observed = ShopCluster();
  AddColumn(Invoices(observed), "dev_note", "text", 4);
  observed.Normalize();
  Object desired = ShopCluster();
  AddIndex(Invoices(desired), "billing", "customer_id");
  desired.Normalize();
  PlanOptions options;
  options.prune = true;
  options.protect = {"^billing\\.invoices$"};
  Plan plan = PlanSite(desired, observed, options);
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_EQ(plan.actions[0].key, "index:billing.invoices.invoices_customer_id_idx");
  EXPECT_EQ(plan.actions[0].blocked_by, "protected by policy: ^billing\\.invoices$");
  ASSERT_EQ(plan.unmanaged.size(), 1u);  // reported, never dropped
}

TEST(PlannerTest, ProtectedObjectsTestLacksAreCreated) {
  // Protection keeps what Test has; it does not keep Test from getting what Prod has.
  Object observed = ShopCluster();
  Object* billing = observed.FindChild(ObjectKind::kDatabase, "shop")
                        ->FindChild(ObjectKind::kSchema, "billing");
  billing->mutable_children().erase(
      std::remove_if(billing->mutable_children().begin(), billing->mutable_children().end(),
                     [](const Object& child) { return child.name() == "customers"; }),
      billing->mutable_children().end());
  observed.mutable_children().erase(
      std::remove_if(observed.mutable_children().begin(), observed.mutable_children().end(),
                     [](const Object& child) { return child.name() == "reader"; }),
      observed.mutable_children().end());
  Object desired = ShopCluster();
  Object& audit = AddDatabase(desired, "audit", "app");
  AddTable(AddSchema(audit, "trail", "app"), "events", "app");
  desired.Normalize();
  PlanOptions options;
  options.protect = {"^billing\\.customers$", "^reader$", "^audit$"};
  Plan plan = PlanSite(desired, observed, options);
  for (const Action& action : plan.actions) {
    EXPECT_EQ(action.blocked_by, "") << action.key;
  }
  EXPECT_TRUE(HasAction(plan, "table:billing.customers"));
  EXPECT_TRUE(HasAction(plan, "constraint:billing.customers.customers_pkey"));
  EXPECT_TRUE(HasAction(plan, "role:reader"));
  EXPECT_TRUE(HasAction(plan, "database:audit"));
  EXPECT_TRUE(HasAction(plan, "table:trail.events"));
}

TEST(PlannerTest, SystemDatabasesAreProtected) {
  Object desired = EmptyCluster();
  AddDatabase(desired, "postgres", "postgres").SetAttr("comment", "default");
  desired.Normalize();
  Object observed = EmptyCluster();
  AddDatabase(observed, "postgres", "postgres");
  observed.Normalize();
  Plan plan = PlanSite(desired, observed);
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_EQ(plan.actions[0].blocked_by, "protected: system database postgres");
}

TEST(PlannerTest, SkippedRolesAreLeftAlone) {
  Object desired = EmptyCluster();
  AddRole(desired, "pgq_admin");
  Object observed = EmptyCluster();
  AddRole(observed, "postgres").SetFlag("superuser", true);
  PlanOptions options;
  options.prune = true;
  options.skip_roles = {"^postgres$", "^pgq_"};
  Plan plan = PlanSite(desired, observed, options);
  EXPECT_THAT(plan.actions, IsEmpty());
  EXPECT_THAT(plan.unmanaged, IsEmpty());
}

TEST(PlannerTest, CreatedRoleSpellsEveryAttribute) {
  Object desired = EmptyCluster();
  Object& role = AddRole(desired, "app");
  role.SetAttr("connection_limit", "10");
  role.SetAttr("valid_until", "2030-01-01 00:00:00+00");
  role.SetAttr("config.search_path", "\"$user\", public");
  role.SetAttr("comment", "the app's role");
  Plan plan = PlanSite(desired, EmptyCluster());
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_THAT(plan.actions[0].sql,
              ElementsAre("CREATE ROLE app WITH NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT LOGIN "
                          "NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 10 "
                          "VALID UNTIL '2030-01-01 00:00:00+00'",
                          "ALTER ROLE app SET search_path TO '$user', 'public'",
                          "COMMENT ON ROLE app IS 'the app''s role'"));
  EXPECT_EQ(plan.actions[0].secret_role, "");
}

TEST(PlannerTest, ChangedRoleAttributesAreAltered) {
  Object desired = EmptyCluster();
  Object& want = AddRole(desired, "app");
  want.SetFlag("createdb", true);
  want.SetAttr("config.work_mem", "64MB");
  Object observed = EmptyCluster();
  Object& have = AddRole(observed, "app", false);
  have.SetAttr("connection_limit", "5");
  have.SetAttr("config.statement_timeout", "1s");
  desired.Normalize();
  observed.Normalize();
  Plan plan = PlanSite(desired, observed);
  ASSERT_EQ(plan.actions.size(), 1u);
  const Action& alter = plan.actions[0];
  EXPECT_EQ(alter.op, ActionOp::kAlter);
  EXPECT_THAT(alter.sql, ElementsAre("ALTER ROLE app WITH CONNECTION LIMIT -1 CREATEDB LOGIN",
                                     "ALTER ROLE app RESET statement_timeout",
                                     "ALTER ROLE app SET work_mem TO '64MB'"));
  EXPECT_EQ(alter.reason,
            "config.statement_timeout: 1s -> (none); config.work_mem: (none) -> 64MB; "
            "connection_limit: 5 -> (none); createdb: (none) -> true; login: (none) -> true");
}

TEST(PlannerTest, MembershipsAreGrantedRevokedAndAdminOptionAdjusted) {
  Object desired = EmptyCluster();
  for (const char* group : {"a", "b", "c", "d"}) AddRole(desired, group, false);
  AddRole(desired, "m").SetAttr("member_of", "a (admin), b, d");
  Object observed = EmptyCluster();
  for (const char* group : {"a", "b", "c", "d"}) AddRole(observed, group, false);
  AddRole(observed, "m").SetAttr("member_of", "a, b (admin), c, d");
  desired.Normalize();
  observed.Normalize();
  Plan plan = PlanSite(desired, observed);
  std::vector<std::string> sql;
  for (const Action& action : plan.actions) {
    EXPECT_EQ(action.key, "role:m");
    EXPECT_EQ(action.op, ActionOp::kAlter);
    sql.insert(sql.end(), action.sql.begin(), action.sql.end());
  }
  EXPECT_THAT(sql, ElementsAre("GRANT a TO m WITH ADMIN OPTION", "REVOKE ADMIN OPTION FOR b FROM m",
                               "REVOKE c FROM m"));
}

TEST(PlannerTest, MembershipInNewGroupWaitsForBothRoles) {
  Object desired = EmptyCluster();
  AddRole(desired, "group", false);
  AddRole(desired, "member").SetAttr("member_of", "group (admin)");
  desired.Normalize();
  Plan plan = PlanSite(desired, EmptyCluster());
  ExpectWellFormed(plan);
  const Action& grant = Find(plan, "role:member", ActionOp::kAlter);
  EXPECT_THAT(grant.sql, ElementsAre("GRANT \"group\" TO member WITH ADMIN OPTION"));
  EXPECT_TRUE(DependsOn(grant, Find(plan, "role:group")));
  EXPECT_TRUE(DependsOn(grant, Find(plan, "role:member")));
}

// Every string a plan holds, for secret checks.
std::string Everything(const Plan& plan) {
  std::string all;
  for (const Action& a : plan.actions) {
    all += a.key + a.reason + a.blocked_by + a.secret_role + a.site + a.database;
    for (const std::string& s : a.sql) all += s;
  }
  return all;
}

TEST(PlannerTest, PasswordsAreSetRedactedAndOnlyWhenChanged) {
  const std::string kSame = "SCRAM-SHA-256$4096:c2FsdA==$same";
  const std::string kNew = "SCRAM-SHA-256$4096:c2FsdA==$new";
  const std::string kOld = "md5aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  Object desired = EmptyCluster();
  for (const char* name : {"same", "changed", "missing", "fresh", "no_hash"}) {
    AddRole(desired, name).SetAttr("password", "set");
  }
  Object observed = EmptyCluster();
  for (const char* name : {"same", "changed", "missing", "no_hash"}) AddRole(observed, name);
  observed.FindChild(ObjectKind::kRole, "same")->SetAttr("password", "set");
  observed.FindChild(ObjectKind::kRole, "changed")->SetAttr("password", "set");
  desired.Normalize();
  observed.Normalize();
  PasswordHashes want = {{"same", kSame}, {"changed", kNew}, {"missing", kNew}, {"fresh", kNew}};
  PasswordHashes have = {{"same", kSame}, {"changed", kOld}};
  Plan plan = PlanSite(desired, observed, {}, &want, &have);
  ExpectWellFormed(plan);
  EXPECT_THAT(Keys(plan), ElementsAre("role:fresh", "role:changed", "role:missing"));
  const Action& fresh = Find(plan, "role:fresh");
  EXPECT_EQ(fresh.sql.back(), "ALTER ROLE fresh PASSWORD '<redacted>'");
  EXPECT_EQ(fresh.secret_role, "fresh");
  const Action& changed = Find(plan, "role:changed", ActionOp::kAlter);
  EXPECT_THAT(changed.sql, ElementsAre("ALTER ROLE changed PASSWORD '<redacted>'"));
  EXPECT_EQ(changed.secret_role, "changed");
  EXPECT_EQ(changed.reason, "password: differs from INT");
  EXPECT_EQ(Find(plan, "role:missing", ActionOp::kAlter).reason, "password: missing in Test");
  std::string all = Everything(plan);
  for (const std::string& hash : {kSame, kNew, kOld}) EXPECT_EQ(all.find(hash), std::string::npos);
  EXPECT_EQ(all.find("SCRAM"), std::string::npos);
}

TEST(PlannerTest, PasswordsAreUnmanagedWithoutHashes) {
  Object desired = EmptyCluster();
  AddRole(desired, "app").SetAttr("password", "set");
  Object observed = EmptyCluster();
  AddRole(observed, "app");
  EXPECT_THAT(PlanSite(desired, observed).actions, IsEmpty());
}

TEST(PlannerTest, PasswordProdDoesNotHaveIsCleared) {
  Object desired = EmptyCluster();
  AddRole(desired, "app");
  Object observed = EmptyCluster();
  AddRole(observed, "app").SetAttr("password", "set");
  PasswordHashes none;
  Plan plan = PlanSite(desired, observed, {}, &none, &none);
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_THAT(plan.actions[0].sql, ElementsAre("ALTER ROLE app PASSWORD NULL"));
  EXPECT_EQ(plan.actions[0].reason, "password: not in Prod");
}

TEST(PlannerTest, DatabaseChangesAreAlteredInPlace) {
  Object desired = EmptyCluster();
  AddRole(desired, "app");
  Object& want = AddDatabase(desired, "shop", "app");
  want.SetAttr("connection_limit", "20");
  want.SetAttr("config.work_mem", "8MB");
  want.SetAttr("role_config.app.search_path", "billing, public");
  Object observed = EmptyCluster();
  AddRole(observed, "app");
  Object& have = AddDatabase(observed, "shop", "postgres");
  have.SetAttr("config.work_mem", "4MB");
  desired.Normalize();
  observed.Normalize();
  Plan plan = PlanSite(desired, observed);
  ASSERT_EQ(plan.actions.size(), 1u);
  const Action& alter = plan.actions[0];
  EXPECT_EQ(alter.op, ActionOp::kAlter);
  EXPECT_TRUE(alter.in_transaction);
  EXPECT_THAT(alter.sql, ElementsAre("ALTER DATABASE shop OWNER TO app",
                                     "ALTER DATABASE shop SET work_mem TO '8MB'",
                                     "ALTER DATABASE shop CONNECTION LIMIT 20",
                                     "ALTER ROLE app IN DATABASE shop SET search_path TO "
                                     "'billing', 'public'"));
}

TEST(PlannerTest, DatabaseWithOtherEncodingIsReplacedOnlyWithPrune) {
  Object desired = ShopCluster();
  Object observed = EmptyCluster();
  AddRole(observed, "app");
  AddRole(observed, "reader").SetAttr("member_of", "app");
  AddDatabase(observed, "shop", "app").SetAttr("encoding", "LATIN1");
  observed.Normalize();
  Plan blocked = PlanSite(desired, observed);
  const Action& replace = Find(blocked, "database:shop", ActionOp::kReplace);
  EXPECT_EQ(replace.blocked_by, "replacing a database loses its data: needs prune");
  // The contents are still planned from the diff, independently of the blocked replace.
  EXPECT_FALSE(DependsOn(Find(blocked, "schema:billing"), replace));

  PlanOptions options;
  options.prune = true;
  Plan plan = PlanSite(desired, observed, options);
  ExpectWellFormed(plan);
  const Action& allowed = Find(plan, "database:shop", ActionOp::kReplace);
  EXPECT_EQ(allowed.blocked_by, "");
  EXPECT_FALSE(allowed.in_transaction);
  EXPECT_EQ(allowed.sql.front(), "DROP DATABASE shop");
  EXPECT_THAT(allowed.sql[1], HasSubstr("CREATE DATABASE shop WITH TEMPLATE = template0"));
  EXPECT_TRUE(DependsOn(Find(plan, "schema:billing"), allowed));
}

TEST(PlannerTest, IgnoredObjectsAreNeitherCreatedNorDropped) {
  Object desired = ShopCluster();
  Invoices(desired)
      .AddChild(ObjectKind::kTrigger, "_londiste_shop")
      .SetAttr("definition", "CREATE TRIGGER _londiste_shop AFTER INSERT ON billing.invoices");
  desired.Normalize();
  PlanOptions options;
  ASSERT_TRUE(options.ignore.AddFlag("trigger:^_londiste_").ok());
  Plan plan = PlanSite(desired, EmptyCluster(), options);
  EXPECT_FALSE(HasAction(plan, "trigger:billing.invoices._londiste_shop"));
  EXPECT_TRUE(HasAction(plan, "trigger:billing.invoices.invoices_touch"));
}

TEST(PlannerTest, SitesArePlannedIndependently) {
  Object desired = ShopCluster();
  Object empty = EmptyCluster();
  std::vector<SitePlanInput> sites = {{"dc1", &desired, &empty, nullptr, nullptr},
                                      {"dc2", &desired, &empty, nullptr, nullptr}};
  Plan plan = BuildPlan(sites, PlanOptions());
  ExpectWellFormed(plan);
  Plan one = PlanSite(desired, empty);
  ASSERT_EQ(plan.actions.size(), 2 * one.actions.size());
  for (size_t i = 0; i < one.actions.size(); ++i) {
    EXPECT_EQ(plan.actions[i].site, "dc1");
    const Action& second = plan.actions[one.actions.size() + i];
    EXPECT_EQ(second.site, "dc2");
    EXPECT_EQ(second.key, one.actions[i].key);
  }
}

TEST(PlannerTest, PlansAreDeterministic) {
  Object shuffled(ObjectKind::kCluster, "prod");
  // The same tree built in another order.
  Object source = ShopCluster();
  for (auto it = source.children().rbegin(); it != source.children().rend(); ++it) {
    shuffled.AddChild(*it);
  }
  shuffled.Normalize();
  Plan a = PlanSite(ShopCluster(), EmptyCluster());
  Plan b = PlanSite(shuffled, EmptyCluster());
  ASSERT_EQ(a.actions.size(), b.actions.size());
  for (size_t i = 0; i < a.actions.size(); ++i) {
    EXPECT_EQ(a.actions[i].key, b.actions[i].key);
    EXPECT_EQ(a.actions[i].sql, b.actions[i].sql);
    EXPECT_EQ(a.actions[i].depends_on, b.actions[i].depends_on);
  }
}

// A large random-ish (but fixed) cluster: tables with foreign keys in both directions, views
// on views, partitions, functions and triggers across schemas and databases.
Object BigCluster(int databases, int schemas, int tables) {
  Object cluster(ObjectKind::kCluster, "prod");
  for (int r = 0; r < 5; ++r) {
    AddRole(cluster, "r" + std::to_string(r)).SetAttr("member_of", r > 0 ? "r0" : "");
  }
  unsigned seed = 12345;
  auto next = [&](int n) {
    seed = seed * 1103515245u + 12345u;
    return static_cast<int>((seed >> 16) % static_cast<unsigned>(n));
  };
  for (int d = 0; d < databases; ++d) {
    Object& db = AddDatabase(cluster, "db" + std::to_string(d), "r" + std::to_string(d % 5));
    for (int s = 0; s < schemas; ++s) {
      std::string schema_name = "s" + std::to_string(s);
      Object& schema = AddSchema(db, schema_name, "r" + std::to_string(next(5)));
      AddFunction(schema, "trg()", "r1");
      for (int t = 0; t < tables; ++t) {
        std::string name = "t" + std::to_string(t);
        Object& table = AddTable(schema, name, "r" + std::to_string(next(5)));
        AddPrimaryKey(table);
        AddColumn(table, "ref", "bigint", 2);
        std::string other =
            "s" + std::to_string(next(schemas)) + ".t" + std::to_string(next(tables));
        AddForeignKey(table, "ref", other);
        AddIndex(table, schema_name, "ref");
        table.AddChild(ObjectKind::kTrigger, name + "_trg")
            .SetAttr("definition", "CREATE TRIGGER x AFTER INSERT ON " + schema_name + "." + name +
                                       " FOR EACH ROW EXECUTE FUNCTION " + schema_name + ".trg()");
        std::string view_from =
            t > 0 && next(2) == 0 ? schema_name + ".v" + std::to_string(next(t)) : other;
        AddView(schema, "v" + std::to_string(t), "r2", view_from);
      }
      Object& parent = AddTable(schema, "p", "r3");
      parent.SetAttr("partition_by", "RANGE (id)");
      for (int p = 0; p < 3; ++p) {
        AddTable(schema, "p_" + std::to_string(p), "r3")
            .SetAttr("partition_of", schema_name + ".p");
      }
    }
  }
  cluster.Normalize();
  return cluster;
}

TEST(PlannerTest, BigPlanKeepsDependencyInvariants) {
  Object desired = BigCluster(3, 4, 25);
  Object observed = EmptyCluster();
  std::vector<SitePlanInput> sites = {{"dc1", &desired, &observed, nullptr, nullptr},
                                      {"dc2", &desired, &observed, nullptr, nullptr}};
  Plan plan = BuildPlan(sites, PlanOptions());
  ExpectWellFormed(plan);
  // 5 roles, 4 memberships, 3 databases, per database 4 x (schema, function, 4 partition
  // tables, 25 x (table, pkey, fkey, index, trigger, view)); twice.
  EXPECT_EQ(plan.actions.size(), 2u * (5 + 4 + 3 + 3 * (4 * (1 + 1 + 4 + 25 * 6))));
  std::set<std::string> created;
  for (const Action& action : plan.actions) {
    if (action.site != "dc1") continue;
    // Every object an action names is created before it, when this plan creates it.
    for (int dep : action.depends_on) EXPECT_TRUE(created.count(plan.actions[dep].key) > 0);
    created.insert(action.key);
    if (action.kind == ObjectKind::kConstraint && action.key.ends_with("_ref_fkey")) {
      // FK after the referenced table's primary key.
      bool after_key =
          std::any_of(action.depends_on.begin(), action.depends_on.end(),
                      [&](int dep) { return plan.actions[dep].key.ends_with("_pkey"); });
      EXPECT_TRUE(after_key) << action.key;
    }
  }
  // Unmanaged prune of the whole thing: drops come in a valid order too.
  PlanOptions prune;
  prune.prune = true;
  Object empty_desired = EmptyCluster();
  Plan drops = PlanSite(empty_desired, desired, prune);
  ExpectWellFormed(drops);
  EXPECT_EQ(drops.unmanaged.size(), 5u + 3u);
}

}  // namespace
}  // namespace pgtwin
