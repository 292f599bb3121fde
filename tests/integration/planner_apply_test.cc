// The planner against real PostgreSQL 15: a plan is applied by running its SQL strictly in
// plan order (no retries: the order must be right), the server is read again, and planning
// again must find nothing to do. Cluster-level actions (roles, memberships, settings,
// passwords, a database) and whole databases (the fidelity schema, zabbix) are covered.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "reconciler/diff/tree_diff.h"
#include "reconciler/plan/ddl_quote.h"
#include "reconciler/plan/planner.h"
#include "tests/integration/debian_schemas.h"
#include "tests/integration/fidelity_schema.h"
#include "tests/integration/pg_test_env.h"
#include "tests/integration/planner_test_support.h"

namespace pgtwin {
namespace {

using testing::CreateDatabase;
using testing::DatabaseConninfo;
using testing::DescribePlan;
using testing::DropDatabase;
using ::testing::IsEmpty;
using testing::ReadClusterFrom;
using testing::RunSql;

// Runs every action in plan order, each in one transaction (statement by statement when it
// cannot run in one), with function bodies unchecked as the executor runs them. Password
// placeholders get the hash of the action's secret role. Returns the failures.
std::vector<std::string> ApplyInOrder(const Plan& plan, const PasswordHashes& hashes) {
  std::map<std::string, std::unique_ptr<pqxx::connection>> connections;
  std::vector<std::string> errors;
  for (const Action& action : plan.actions) {
    if (!action.blocked_by.empty()) continue;
    std::string database = action.database.empty() ? "postgres" : action.database;
    std::unique_ptr<pqxx::connection>& c = connections[database];
    try {
      if (c == nullptr) {
        c = std::make_unique<pqxx::connection>(DatabaseConninfo(database));
        pqxx::nontransaction setup(*c);
        setup.exec("SET check_function_bodies = off");
        setup.exec("SET client_min_messages = warning");
      }
      std::vector<std::string> statements = action.sql;
      if (!action.secret_role.empty()) {
        for (std::string& sql : statements) {
          size_t at = sql.find(kSecretPlaceholder);
          if (at == std::string::npos) continue;
          sql.replace(at, std::string(kSecretPlaceholder).size(),
                      c->quote(hashes.at(action.secret_role)));
        }
      }
      if (action.in_transaction) {
        pqxx::work tx(*c);
        for (const std::string& sql : statements) tx.exec(sql);
        tx.commit();
      } else {
        for (const std::string& sql : statements) {
          pqxx::nontransaction tx(*c);
          tx.exec(sql);
        }
      }
    } catch (const std::exception& e) {
      errors.push_back(std::to_string(action.id) + " " + action.key + ": " + e.what());
    }
  }
  return errors;
}

// Password hashes of the roles whose names start with `prefix`.
PasswordHashes ReadHashes(const std::string& prefix) {
  pqxx::connection c(DatabaseConninfo("postgres"));
  pqxx::nontransaction tx(c);
  PasswordHashes hashes;
  for (const pqxx::row& row :
       tx.exec("SELECT rolname, rolpassword FROM pg_authid WHERE rolpassword IS NOT NULL "
               "AND starts_with(rolname, " +
               tx.quote(prefix) + ")")) {
    hashes[row[0].c_str()] = row[1].c_str();
  }
  return hashes;
}

void DropRoles(const std::vector<std::string>& roles) {
  pqxx::connection c(DatabaseConninfo("postgres"));
  pqxx::nontransaction tx(c);
  for (const std::string& role : roles) tx.exec("DROP ROLE IF EXISTS " + tx.quote_name(role));
}

// Copies the server's locale settings of `postgres` onto a database node.
void UseServerLocale(const Object& observed, Object& database) {
  const Object* postgres = observed.FindChild(ObjectKind::kDatabase, "postgres");
  ASSERT_NE(postgres, nullptr);
  for (const char* attr : {"encoding", "collate", "ctype", "locale_provider", "icu_locale"}) {
    database.SetAttr(attr, postgres->Attr(attr));
  }
}

Plan PlanOne(const Object& desired, const Object& observed, const PasswordHashes* want,
             const PasswordHashes* have) {
  return BuildPlan({{"dc1", &desired, &observed, want, have}}, PlanOptions());
}

TEST(PlannerApplyTest, ClusterLevelActionsConverge) {
  // A unique prefix: roles are cluster-wide and tests run in parallel.
  std::string prefix = CreateDatabase("plan_cl");
  DropDatabase(prefix);
  std::string owner = prefix + "_owner";
  std::string group = prefix + "_group";
  std::string member = prefix + "_member";
  std::string odd = prefix + " Odd\"Name";
  std::string db = prefix + "_db";
  DropRoles({odd, member, group, owner});

  Object observed = ReadClusterFrom("postgres");
  Object desired(ObjectKind::kCluster, "prod");
  Object& r_owner = desired.AddChild(ObjectKind::kRole, owner);
  r_owner.SetFlag("login", true);
  r_owner.SetFlag("inherit", true);
  r_owner.SetFlag("createdb", true);
  r_owner.SetAttr("connection_limit", "5");
  r_owner.SetAttr("valid_until", "2099-01-01 00:00:00+00");
  r_owner.SetAttr("config.search_path", "\"$user\", public");
  r_owner.SetAttr("config.work_mem", "8MB");
  r_owner.SetAttr("comment", "owns it's things");
  Object& r_group = desired.AddChild(ObjectKind::kRole, group);
  r_group.SetFlag("inherit", true);
  Object& r_member = desired.AddChild(ObjectKind::kRole, member);
  r_member.SetFlag("login", true);
  r_member.SetAttr("member_of", group + " (admin), " + owner);
  r_member.SetAttr("password", "set");
  Object& r_odd = desired.AddChild(ObjectKind::kRole, odd);
  r_odd.SetAttr("member_of", group);
  Object& database = desired.AddChild(ObjectKind::kDatabase, db);
  UseServerLocale(observed, database);
  database.SetAttr("owner", owner);
  database.SetAttr("connection_limit", "3");
  database.SetFlag("allow_connections", true);
  database.SetAttr("config.work_mem", "16MB");
  database.SetAttr("role_config." + member + ".statement_timeout", "5s");
  database.SetAttr("acl",
                   "=Tc/" + owner + ", " + owner + "=CTc/" + owner + ", " + member + "=c/" + owner);
  database.SetAttr("comment", "planner test");
  desired.Normalize();
  PasswordHashes want = {{member, "md5" + std::string(32, 'a')}};
  PasswordHashes none;

  Plan plan = PlanOne(desired, observed, &want, &none);
  ASSERT_EQ(plan.actions.size(), 4u + 3u + 1u) << DescribePlan(plan);  // roles, grants, database
  std::vector<std::string> errors = ApplyInOrder(plan, want);
  EXPECT_THAT(errors, IsEmpty()) << DescribePlan(plan);

  Object after = ReadClusterFrom(db);
  PasswordHashes have = ReadHashes(prefix);
  EXPECT_EQ(have, want);
  Plan again = PlanOne(desired, after, &want, &have);
  EXPECT_THAT(again.actions, IsEmpty()) << DescribePlan(again);

  // A drift in each part is repaired, and only that.
  auto q = [](const std::string& name) { return ddl::QuoteIdent(name); };
  RunSql("postgres", "ALTER ROLE " + q(owner) + " CONNECTION LIMIT 7; " +            // alter owner
                         "ALTER ROLE " + q(group) + " VALID UNTIL '2030-01-01'; " +  // alter group
                         "REVOKE " + q(group) + " FROM " + q(member) + "; " +        // grant
                         "ALTER ROLE " + q(member) + " PASSWORD 'plain'; " +         // password
                         "ALTER ROLE " + q(odd) + " PASSWORD 'plain'; " +            // cleared
                         "ALTER DATABASE " + q(db) + " RESET work_mem; " +  // alter database
                         "REVOKE CONNECT ON DATABASE " + q(db) + " FROM " + q(member));
  Object drifted = ReadClusterFrom(db);
  PasswordHashes drifted_hashes = ReadHashes(prefix);
  Plan repair = PlanOne(desired, drifted, &want, &drifted_hashes);
  EXPECT_EQ(repair.actions.size(), 6u) << DescribePlan(repair);
  EXPECT_THAT(ApplyInOrder(repair, want), IsEmpty()) << DescribePlan(repair);
  Object repaired = ReadClusterFrom(db);
  PasswordHashes repaired_hashes = ReadHashes(prefix);
  Plan done = PlanOne(desired, repaired, &want, &repaired_hashes);
  EXPECT_THAT(done.actions, IsEmpty()) << DescribePlan(done);

  DropDatabase(db);
  DropRoles({odd, member, group, owner});
}

// Builds `source` again as a new database from the plan and checks that the copy needs
// nothing more and equals the source.
void ExpectPlanRebuilds(const std::string& source, const std::vector<std::string>& roles) {
  Object read = ReadClusterFrom(source);
  const Object* source_db = read.FindChild(ObjectKind::kDatabase, source);
  ASSERT_NE(source_db, nullptr);
  std::string target = source + "_copy";
  DropDatabase(target);
  Object desired(ObjectKind::kCluster, "prod");
  for (const std::string& role : roles) {
    const Object* node = read.FindChild(ObjectKind::kRole, role);
    ASSERT_NE(node, nullptr) << role;
    desired.AddChild(*node);
  }
  Object& copy = desired.AddChild(*source_db);
  copy.set_name(target);
  desired.Normalize();

  Object observed = ReadClusterFrom("postgres");
  Plan plan = PlanOne(desired, observed, nullptr, nullptr);
  for (const Action& action : plan.actions) {
    // Creations, and the attributes deferred until what they name exists (OWNED BY, ...).
    EXPECT_TRUE(
        action.op == ActionOp::kCreate ||
        (action.op == ActionOp::kAlter && action.reason.find("(none) -> ") != std::string::npos))
        << action.key << " " << action.reason;
    EXPECT_EQ(action.blocked_by, "") << action.key;
  }
  std::vector<std::string> errors = ApplyInOrder(plan, {});
  EXPECT_THAT(errors, IsEmpty()) << DescribePlan(plan);

  Object after = ReadClusterFrom(target);
  Plan again = PlanOne(desired, after, nullptr, nullptr);
  EXPECT_THAT(again.actions, IsEmpty()) << DescribePlan(again);
  const Object* target_db = after.FindChild(ObjectKind::kDatabase, target);
  ASSERT_NE(target_db, nullptr);
  DiffResult diff = DiffTrees(*source_db, *target_db, IgnoreRules());
  EXPECT_TRUE(diff.identical()) << diff.entries.size() << " differences, first "
                                << (diff.entries.empty() ? "" : diff.entries[0].Key());
  if (!::testing::Test::HasFailure()) {
    DropDatabase(target);
    DropDatabase(source);
  }
}

TEST(PlannerApplyTest, FidelitySchemaIsRebuiltInPlanOrder) {
  RunSql("postgres", testing::kFidelityRolesSql);
  std::string source = CreateDatabase("plan_fid", testing::kFidelityBaseSql);
  ExpectPlanRebuilds(source, {"fid_owner", "fid_other", "fid_reader"});
}

TEST(PlannerApplyTest, ZabbixIsRebuiltInPlanOrder) {
  ExpectPlanRebuilds(CreateDatabase("plan_zabbix", testing::ZabbixSql()), {});
}

}  // namespace
}  // namespace pgtwin
