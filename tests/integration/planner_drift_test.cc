// Drift repaired by the planner on PostgreSQL 15: a database built like the source (the
// fidelity schema plus views on views) is changed by hand, then planned against the source
// (with prune) and applied strictly in plan order; afterwards nothing is left to plan and the
// database equals the source. The cases are the ones where order matters: views built on
// what changes, keys referenced by foreign keys, a trigger function, a whole schema,
// unmanaged objects that use each other.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "reconciler/diff/tree_diff.h"
#include "reconciler/plan/planner.h"
#include "tests/integration/fidelity_schema.h"
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
using ::testing::IsEmpty;
using testing::PlanCopy;
using testing::ReadClusterFrom;
using testing::RunSql;

// Views on a view, on the materialized view and on a function, so that replacing them takes
// others along.
constexpr char kExtraSql[] = R"sql(
CREATE VIEW fid.parent_v2 AS SELECT id FROM fid.parent_v;
CREATE VIEW fid.mv_v AS SELECT mood FROM fid.parent_mv;
CREATE VIEW fid.sum_v AS SELECT fid.add(1, 2) AS s;
)sql";

struct DriftCase {
  std::string name;
  std::string mutation;  // run in the copy, as a developer would
};

void PrintTo(const DriftCase& c, std::ostream* os) { *os << c.name; }

class PlannerDriftTest : public ::testing::TestWithParam<DriftCase> {};

TEST_P(PlannerDriftTest, RepairedInPlanOrder) {
  RunSql("postgres", testing::kFidelityRolesSql);
  std::string base = std::string(testing::kFidelityBaseSql) + kExtraSql;
  std::string source = CreateDatabase("plan_drift_src", base);
  std::string copy = CreateDatabase("plan_drift", base);
  RunSql(copy, GetParam().mutation);
  Object desired = DesiredCopy(source, copy, {"fid_owner", "fid_other", "fid_reader"});

  Plan plan = PlanCopy(desired, ReadClusterFrom(copy), true);
  EXPECT_FALSE(plan.actions.empty()) << "the case changed nothing";
  for (const Action& action : plan.actions) EXPECT_EQ(action.blocked_by, "") << action.key;
  EXPECT_THAT(ApplyToDatabase(copy, plan), IsEmpty()) << DescribePlan(plan);

  Object after = ReadClusterFrom(copy);
  Plan again = PlanCopy(desired, after, true);
  EXPECT_THAT(again.actions, IsEmpty()) << DescribePlan(again) << "\nafter:" << DescribePlan(plan);
  const Object* want = desired.FindChild(ObjectKind::kDatabase, copy);
  const Object* have = after.FindChild(ObjectKind::kDatabase, copy);
  ASSERT_TRUE(want != nullptr && have != nullptr);
  EXPECT_TRUE(DiffTrees(*want, *have, IgnoreRules()).identical());
  if (!HasFailure()) {
    DropDatabase(copy);
    DropDatabase(source);
  }
}

std::vector<DriftCase> Cases() {
  return {
      {"view_dropped", "DROP VIEW fid.parent_v2"},
      // parent_v gains a column: only drop and create can take it back, and parent_v2 must
      // go first and come back after.
      {"view_under_view_changed",
       "DROP VIEW fid.parent_v2; DROP VIEW fid.parent_v;"
       "CREATE VIEW fid.parent_v AS SELECT id, code, qty FROM fid.parent;"
       "CREATE VIEW fid.parent_v2 AS SELECT id FROM fid.parent_v;"},
      {"matview_under_view_changed",
       "DROP VIEW fid.mv_v; DROP MATERIALIZED VIEW fid.parent_mv;"
       "CREATE MATERIALIZED VIEW fid.parent_mv AS SELECT mood, count(*) AS n, 1 AS extra "
       "FROM fid.parent GROUP BY mood;"
       "CREATE VIEW fid.mv_v AS SELECT mood FROM fid.parent_mv;"},
      // ALTER COLUMN TYPE refuses while parent_v reads the column.
      {"column_under_view_retyped",
       "DROP VIEW fid.parent_v2; DROP VIEW fid.parent_v;"
       "ALTER TABLE fid.parent ALTER COLUMN code TYPE varchar(40);"
       "CREATE VIEW fid.parent_v AS SELECT id, code FROM fid.parent WHERE qty > 0;"
       "COMMENT ON VIEW fid.parent_v IS 'positive parents';"
       "GRANT SELECT ON fid.parent_v TO fid_reader;"
       "CREATE VIEW fid.parent_v2 AS SELECT id FROM fid.parent_v;"},
      // A new return type: DROP FUNCTION, which sum_v must not be in the way of.
      {"function_under_view_replaced",
       "DROP VIEW fid.sum_v; DROP FUNCTION fid.add(integer, integer);"
       "CREATE FUNCTION fid.add(a integer, b integer) RETURNS bigint LANGUAGE sql IMMUTABLE "
       "STRICT AS 'SELECT a + b';"
       "CREATE VIEW fid.sum_v AS SELECT fid.add(1, 2) AS s;"},
      {"referenced_key_dropped", "ALTER TABLE fid.parent DROP CONSTRAINT parent_pkey CASCADE"},
      {"trigger_function_dropped", "DROP FUNCTION fid.touch() CASCADE"},
      {"schema_dropped", "DROP SCHEMA fid_aux CASCADE"},
      {"table_dropped", "DROP TABLE fid.child"},
      // Partitioned otherwise: replaced (prune), with its partitions, index and trigger.
      {"partitioned_table_replaced",
       "DROP TABLE fid.events; CREATE TABLE fid.events (id bigint NOT NULL, at date NOT NULL, "
       "payload text, PRIMARY KEY (id, at)) PARTITION BY LIST (at);"
       "CREATE TABLE fid.events_2024 PARTITION OF fid.events FOR VALUES IN ('2024-01-01');"},
      {"owned_by_changed", "ALTER SEQUENCE fid.seq OWNED BY NONE"},
      // Unmanaged objects that use each other are dropped (prune) in an order that works.
      {"unmanaged_pruned",
       "CREATE TABLE fid.dev_t (id integer PRIMARY KEY, p integer REFERENCES fid.parent (id));"
       "CREATE VIEW fid.dev_v AS SELECT id FROM fid.dev_t;"
       "CREATE VIEW fid.dev_v2 AS SELECT id FROM fid.dev_v;"
       "ALTER TABLE fid.parent ADD COLUMN dev_note text;"
       "CREATE INDEX parent_dev_idx ON fid.parent (dev_note);"
       "CREATE SCHEMA dev; CREATE TABLE dev.t (id integer); CREATE SEQUENCE dev.s OWNED BY "
       "dev.t.id;"
       "CREATE FUNCTION dev.f() RETURNS integer LANGUAGE sql AS 'SELECT 1'"},
  };
}

INSTANTIATE_TEST_SUITE_P(Fidelity, PlannerDriftTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<DriftCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace pgtwin
