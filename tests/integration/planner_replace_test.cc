// Replaced objects with dependents, on PostgreSQL 15: for each way the planner replaces an
// object (drop and create), a database holds the old object and everything that may depend on
// it (foreign keys, defaults, checks, expression indexes, triggers, routines, views, owned
// sequences); the desired state holds the new object and the same dependents. The plan,
// applied in plan order, runs every action; planning again yields nothing, and the dependents
// still work (a violation each of them must reject is rejected). Where a dependent cannot be
// taken along (it holds data), the replace is planned blocked with a reason naming it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "reconciler/plan/planner.h"
#include "tests/integration/pg_test_env.h"
#include "tests/integration/planner_test_support.h"

namespace pgtwin {
namespace {

using testing::ApplyToDatabase;
using testing::CreateDatabase;
using testing::DatabaseConninfo;
using testing::DescribePlan;
using testing::DesiredCopy;
using testing::DropDatabase;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::PlanCopy;
using testing::ReadClusterFrom;
using testing::RunSql;

struct ReplaceCase {
  std::string name;
  std::string old_sql;     // the object as Test has it
  std::string new_sql;     // the object as desired
  std::string dependents;  // the same on both sides, run after the object
  std::string violation;   // must fail afterwards: a dependent still enforces ("" = none)
  std::string blocked;     // when the replace cannot run: the blocked action's key and reason
};

void PrintTo(const ReplaceCase& c, std::ostream* os) { *os << c.name; }

class PlannerReplaceTest : public ::testing::TestWithParam<ReplaceCase> {};

TEST_P(PlannerReplaceTest, DependentsTakenAlong) {
  const ReplaceCase& c = GetParam();
  std::string source = CreateDatabase("plan_repl_src", c.new_sql + ";" + c.dependents);
  std::string copy = CreateDatabase("plan_repl", c.old_sql + ";" + c.dependents);
  Object desired = DesiredCopy(source, copy);

  Plan plan = PlanCopy(desired, ReadClusterFrom(copy), true);
  ASSERT_FALSE(plan.actions.empty()) << "the case changed nothing";
  bool replaced = false;
  for (const Action& action : plan.actions) {
    replaced = replaced || action.op == ActionOp::kReplace;
    if (!c.blocked.empty() && action.key + ": " + action.blocked_by == c.blocked) continue;
    EXPECT_EQ(action.blocked_by, "") << action.key << DescribePlan(plan);
  }
  EXPECT_TRUE(replaced) << DescribePlan(plan);
  if (!c.blocked.empty()) {
    std::string blocked;
    for (const Action& action : plan.actions) {
      if (!action.blocked_by.empty()) blocked += action.key + ": " + action.blocked_by;
    }
    EXPECT_EQ(blocked, c.blocked) << DescribePlan(plan);
  }
  EXPECT_THAT(ApplyToDatabase(copy, plan), IsEmpty()) << DescribePlan(plan);

  Plan again = PlanCopy(desired, ReadClusterFrom(copy), true);
  if (c.blocked.empty()) {
    EXPECT_THAT(again.actions, IsEmpty()) << DescribePlan(again) << "\nafter:" << DescribePlan(plan);
  } else {
    ASSERT_EQ(again.actions.size(), 1u) << DescribePlan(again);
    EXPECT_NE(again.actions[0].blocked_by, "");
  }
  if (!c.violation.empty()) {
    EXPECT_THROW(RunSql(copy, c.violation), std::exception) << c.violation;
  }
  if (!HasFailure()) {
    DropDatabase(copy);
    DropDatabase(source);
  }
}

// A table replaced loses its rows: without prune the plan blocks it and takes nothing along.
TEST(PlannerReplaceTest, TableReplaceBlockedWithoutPrune) {
  const std::string dependents =
      "CREATE TABLE r.ref (e_id bigint, FOREIGN KEY (e_id) REFERENCES r.e (id))";
  std::string source =
      CreateDatabase("plan_repl_src",
                     "CREATE SCHEMA r; CREATE TABLE r.e (id bigint PRIMARY KEY) PARTITION BY "
                     "RANGE (id);" +
                         dependents);
  std::string copy = CreateDatabase(
      "plan_repl", "CREATE SCHEMA r; CREATE TABLE r.e (id bigint PRIMARY KEY);" + dependents);
  Object desired = DesiredCopy(source, copy);
  Plan plan = PlanCopy(desired, ReadClusterFrom(copy), false);
  ASSERT_EQ(plan.actions.size(), 1u) << DescribePlan(plan);
  EXPECT_EQ(plan.actions[0].key, "table:r.e");
  EXPECT_THAT(plan.actions[0].blocked_by, HasSubstr("needs prune"));
  if (!HasFailure()) {
    DropDatabase(copy);
    DropDatabase(source);
  }
}

constexpr char kKeyed[] = "CREATE SCHEMA r; CREATE TABLE r.p (id integer NOT NULL, code text";

std::vector<ReplaceCase> Cases() {
  return {
      {"primary_key_referenced",
       std::string(kKeyed) + ", up integer, CONSTRAINT p_pkey PRIMARY KEY (id))",
       std::string(kKeyed) + ", up integer, CONSTRAINT p_pkey PRIMARY KEY (id) INCLUDE (code))",
       "ALTER TABLE r.p ADD CONSTRAINT p_up FOREIGN KEY (up) REFERENCES r.p (id);"
       "CREATE TABLE r.c (id integer PRIMARY KEY, p_id integer REFERENCES r.p (id))",
       "INSERT INTO r.c VALUES (1, 999)", ""},
      {"unique_constraint_referenced", std::string(kKeyed) + ", CONSTRAINT p_code UNIQUE (code))",
       std::string(kKeyed) + ", CONSTRAINT p_code UNIQUE NULLS NOT DISTINCT (code))",
       "CREATE TABLE r.c (code text REFERENCES r.p (code), id integer REFERENCES r.c (id),"
       " CONSTRAINT c_id UNIQUE (id))",
       "INSERT INTO r.c VALUES ('none', NULL)", ""},
      {"unique_index_referenced",
       std::string(kKeyed) + " NOT NULL); CREATE UNIQUE INDEX p_code ON r.p (code)",
       std::string(kKeyed) +
           " NOT NULL); CREATE UNIQUE INDEX p_code ON r.p (code) WITH (fillfactor = 70)",
       "ALTER TABLE r.p REPLICA IDENTITY USING INDEX p_code; ALTER TABLE r.p CLUSTER ON p_code;"
       "CREATE TABLE r.c (code text REFERENCES r.p (code))",
       "INSERT INTO r.c VALUES ('none')", ""},
      // New argument name: CREATE OR REPLACE refuses it.
      {"function_used_everywhere",
       "CREATE SCHEMA r; CREATE FUNCTION r.f(x integer) RETURNS integer LANGUAGE sql IMMUTABLE "
       "AS 'SELECT x + 1'",
       "CREATE SCHEMA r; CREATE FUNCTION r.f(y integer) RETURNS integer LANGUAGE sql IMMUTABLE "
       "AS 'SELECT y + 1'",
       "CREATE FUNCTION r.trg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';"
       "CREATE TABLE r.t (a integer DEFAULT r.f(1) CHECK (r.f(a) > 0), b integer);"
       "CREATE INDEX t_f ON r.t (r.f(a));"
       "CREATE TRIGGER t_trg BEFORE INSERT ON r.t FOR EACH ROW WHEN (r.f(NEW.a) > 100) "
       "EXECUTE FUNCTION r.trg();"
       "CREATE FUNCTION r.g(a integer) RETURNS integer LANGUAGE sql BEGIN ATOMIC "
       "SELECT r.f(a); END;"
       "CREATE VIEW r.v AS SELECT r.f(1) AS one",
       "INSERT INTO r.t VALUES (-5)", ""},
      // Another result type; a domain's check uses it: not taken along.
      {"function_used_by_domain",
       "CREATE SCHEMA r; CREATE FUNCTION r.f(x integer) RETURNS integer LANGUAGE sql IMMUTABLE "
       "AS 'SELECT x'",
       "CREATE SCHEMA r; CREATE FUNCTION r.f(x integer) RETURNS bigint LANGUAGE sql IMMUTABLE "
       "AS 'SELECT x::bigint'",
       "CREATE DOMAIN r.d AS integer CHECK (r.f(VALUE) > 0)", "",
       "function:r.f(integer): type r.d uses it: change it by hand"},
      // A label removed: only DROP TYPE and CREATE TYPE can.
      {"enum_used_by_routine_and_view",
       "CREATE SCHEMA r; CREATE TYPE r.mood AS ENUM ('sad', 'ok', 'happy')",
       "CREATE SCHEMA r; CREATE TYPE r.mood AS ENUM ('sad', 'happy')",
       "CREATE FUNCTION r.h(m r.mood) RETURNS text LANGUAGE sql AS 'SELECT m::text';"
       "CREATE VIEW r.mv AS SELECT 'sad'::r.mood AS m;"
       "CREATE TABLE r.t (a text CHECK (a::r.mood IS NOT NULL))",
       "INSERT INTO r.t VALUES ('ok')", ""},
      {"enum_used_by_column", "CREATE SCHEMA r; CREATE TYPE r.mood AS ENUM ('sad', 'ok')",
       "CREATE SCHEMA r; CREATE TYPE r.mood AS ENUM ('ok', 'sad')", "CREATE TABLE r.t (m r.mood)",
       "", "type:r.mood: column r.t.m uses it: change it by hand"},
      // Partitioned (prune): foreign keys to it, the sequence it owns, a routine taking its
      // row type and a view go and come back.
      {"table_referenced",
       "CREATE SCHEMA r; CREATE SEQUENCE r.e_id_seq; CREATE TABLE r.e (id bigint NOT NULL "
       "DEFAULT nextval('r.e_id_seq'), at date NOT NULL, PRIMARY KEY (id, at));"
       "ALTER SEQUENCE r.e_id_seq OWNED BY r.e.id",
       "CREATE SCHEMA r; CREATE SEQUENCE r.e_id_seq; CREATE TABLE r.e (id bigint NOT NULL "
       "DEFAULT nextval('r.e_id_seq'), at date NOT NULL, PRIMARY KEY (id, at)) "
       "PARTITION BY RANGE (at); ALTER SEQUENCE r.e_id_seq OWNED BY r.e.id",
       "CREATE TABLE r.ref (e_id bigint, e_at date, FOREIGN KEY (e_id, e_at) "
       "REFERENCES r.e (id, at));"
       "CREATE FUNCTION r.k(x r.e) RETURNS bigint LANGUAGE sql AS 'SELECT ($1).id';"
       "CREATE VIEW r.ev AS SELECT id FROM r.e",
       "INSERT INTO r.ref VALUES (1, '2024-01-01')", ""},
      // Another generation expression (prune): the key on it, a foreign key referencing it
      // and a trigger naming it.
      {"generated_column_referenced",
       "CREATE SCHEMA r; CREATE TABLE r.g (id integer, c integer GENERATED ALWAYS AS (id * 2) "
       "STORED, CONSTRAINT g_c UNIQUE (c))",
       "CREATE SCHEMA r; CREATE TABLE r.g (id integer, c integer GENERATED ALWAYS AS (id * 3) "
       "STORED, CONSTRAINT g_c UNIQUE (c))",
       "CREATE TABLE r.gr (c integer REFERENCES r.g (c));"
       "CREATE TRIGGER g_trg BEFORE UPDATE OF c ON r.g FOR EACH ROW "
       "EXECUTE FUNCTION suppress_redundant_updates_trigger()",
       "INSERT INTO r.gr VALUES (12345)", ""},
      // Another state type: views and SQL-standard routines using it come back after.
      {"aggregate_used_by_view_and_routine",
       "CREATE SCHEMA r; CREATE AGGREGATE r.total(integer) (SFUNC = int4pl, STYPE = integer)",
       "CREATE SCHEMA r; CREATE AGGREGATE r.total(integer) (SFUNC = int84pl, STYPE = bigint, INITCOND = 0)",
       "CREATE VIEW r.tv AS SELECT r.total(x) AS t FROM (VALUES (1), (2)) v(x);"
       "CREATE FUNCTION r.tf() RETURNS bigint LANGUAGE sql BEGIN ATOMIC "
       "SELECT r.total(x) FROM (VALUES (1)) v(x); END",
       "", ""},
      // A column dropped: the view is replaced; a function reading it comes back after.
      {"view_used_by_routine", "CREATE SCHEMA r; CREATE VIEW r.w AS SELECT 1 AS a, 2 AS b",
       "CREATE SCHEMA r; CREATE VIEW r.w AS SELECT 1 AS a",
       "CREATE FUNCTION r.wf() RETURNS integer LANGUAGE sql BEGIN ATOMIC SELECT a FROM r.w; END",
       "", ""},
  };
}

INSTANTIATE_TEST_SUITE_P(Replace, PlannerReplaceTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<ReplaceCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace pgtwin
