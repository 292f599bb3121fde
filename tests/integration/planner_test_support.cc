#include "tests/integration/planner_test_support.h"

#include <gtest/gtest.h>

#include <exception>
#include <pqxx/pqxx>
#include <utility>

#include "providers/postgres/catalog_reader.h"
#include "reconciler/plan/planner.h"
#include "tests/integration/pg_test_env.h"

namespace pgtwin::testing {

Object ReadClusterFrom(const std::string& database) {
  StatusOr<Object> cluster = ReadCluster(DatabaseConninfo(database), {});
  EXPECT_TRUE(cluster.ok()) << cluster.status().message();
  return cluster.ok() ? std::move(cluster).value() : Object();
}

std::string DescribePlan(const Plan& plan) {
  std::string text;
  for (const Action& a : plan.actions) {
    text += "\n  " + std::to_string(a.id) + " " + a.key + " [" + a.reason + "]";
    if (!a.blocked_by.empty()) text += " blocked: " + a.blocked_by;
    for (const std::string& sql : a.sql) text += "\n      " + sql;
  }
  return text;
}

Object DesiredCopy(const std::string& source, const std::string& name,
                   const std::vector<std::string>& roles) {
  Object read = ReadClusterFrom(source);
  Object desired(ObjectKind::kCluster, "prod");
  for (const std::string& role : roles) {
    const Object* node = read.FindChild(ObjectKind::kRole, role);
    if (node != nullptr) desired.AddChild(*node);
  }
  const Object* db = read.FindChild(ObjectKind::kDatabase, source);
  EXPECT_NE(db, nullptr) << "no database " << source;
  if (db != nullptr) desired.AddChild(*db).set_name(name);
  desired.Normalize();
  return desired;
}

Plan PlanCopy(const Object& desired, const Object& observed, bool prune) {
  PlanOptions options;
  options.prune = prune;
  options.skip_roles = {""};
  return BuildPlan({{"dc1", &desired, &observed, nullptr, nullptr}}, options);
}

std::vector<std::string> ApplyToDatabase(const std::string& database, const Plan& plan) {
  pqxx::connection c(DatabaseConninfo(database));
  {
    pqxx::nontransaction setup(c);
    setup.exec("SET check_function_bodies = off");
    setup.exec("SET client_min_messages = warning");
  }
  std::vector<std::string> errors;
  for (const Action& action : plan.actions) {
    EXPECT_EQ(action.database, database) << action.key;
    if (!action.blocked_by.empty()) continue;
    try {
      pqxx::work tx(c);
      for (const std::string& sql : action.sql) tx.exec(sql);
      tx.commit();
    } catch (const std::exception& e) {
      errors.push_back(std::to_string(action.id) + " " + action.key + ": " + e.what());
    }
  }
  return errors;
}

}  // namespace pgtwin::testing
