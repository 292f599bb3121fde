// The DDL generator's alterations against real PostgreSQL 15: for one change per case (an
// object added, dropped, or one attribute altered), the SQL of reconciler/plan/ddl.h that
// turns the base schema into the changed one, and the changed one back into the base, must
// leave no difference. Each direction starts from fresh copies of the fidelity base schema
// (tests/integration/fidelity_schema.h); objects one side lacks use CreateSql or DropSql,
// changed ones AlterSql (drop and create again when it says replace).

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <ostream>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "tests/integration/ddl_test_support.h"
#include "tests/integration/fidelity_schema.h"
#include "tests/integration/pg_test_env.h"

namespace pgtwin::testing {
namespace {

// One case: SQL that changes a copy of the base schema; `replace` lists the keys AlterSql
// must answer with replace (every other changed object must be altered in place).
struct AlterCase {
  std::string name;
  std::string mutation;
  std::vector<std::string> replace = {};
  // False when only base -> changed works in place: changed -> base needs what the planner
  // does around a replace (dependents dropped and created again) or is impossible.
  bool reversible = true;
};

void PrintTo(const AlterCase& c, std::ostream* os) { *os << c.name; }

// The base schema as a template database built once per server (advisory lock: test
// processes run in parallel), copied for each database a case needs.
std::string TemplateName() {
  size_t hash = std::hash<std::string>()(std::string(kFidelityRolesSql) + kFidelityBaseSql);
  return "ddl_template_" + std::to_string(hash % 1000000007);
}

std::string CopyBase(const std::string& label) {
  static const bool ready = [] {
    pqxx::connection c(DatabaseConninfo("postgres"));
    pqxx::nontransaction tx(c);
    tx.exec("SELECT pg_advisory_lock(7466940)");
    if (tx.exec("SELECT 1 FROM pg_database WHERE datname = " + tx.quote(TemplateName())).empty()) {
      RunSql("postgres", kFidelityRolesSql);
      std::string building = CreateDatabase("ddl_building", kFidelityBaseSql);
      tx.exec("ALTER DATABASE " + tx.quote_name(building) + " RENAME TO " +
              tx.quote_name(TemplateName()));
      tx.exec("ALTER DATABASE " + tx.quote_name(TemplateName()) +
              " IS_TEMPLATE true ALLOW_CONNECTIONS false");
    }
    tx.exec("SELECT pg_advisory_unlock(7466940)");
    return true;
  }();
  (void)ready;
  static int counter = 0;
  std::string name = "ddl_" + label.substr(0, 40) + "_" + std::to_string(getpid()) + "_" +
                     std::to_string(counter++);
  pqxx::connection c(DatabaseConninfo("postgres"));
  pqxx::nontransaction tx(c);
  tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name) + " WITH (FORCE)");
  tx.exec("CREATE DATABASE " + tx.quote_name(name) + " TEMPLATE " + tx.quote_name(TemplateName()));
  return name;
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Makes the database `observed` equal to the database `desired`; returns what AlterSql
// decided per changed key ("key alter" / "key replace").
std::vector<std::string> Converge(const std::string& desired_db, const std::string& observed_db) {
  Object desired = ReadDatabase(desired_db);
  Object observed = ReadDatabase(observed_db);
  std::vector<std::string> notes;
  std::vector<SqlItem> items = ChangeAll(desired, observed, &notes);
  EXPECT_FALSE(items.empty()) << "the case changed nothing";
  std::vector<std::string> errors = RunItems(observed_db, items);
  EXPECT_TRUE(errors.empty()) << "statements that failed:" << Lines(errors);
  DiffResult diff = DiffTrees(desired, ReadDatabase(observed_db), IgnoreRules());
  std::string sql;
  for (const SqlItem& item : items) {
    for (const std::string& s : item.sql) sql += "\n  " + s;
  }
  EXPECT_TRUE(diff.identical()) << "still different:" << Describe(diff) << "\nafter:" << sql;
  return notes;
}

class DdlAlterTest : public ::testing::TestWithParam<AlterCase> {};

TEST_P(DdlAlterTest, BothDirectionsConverge) {
  const AlterCase& c = GetParam();
  std::string changed = CopyBase(c.name);
  RunSql(changed, ReplaceAll(c.mutation, "{db}", changed));
  std::string base = CopyBase(c.name);
  {
    SCOPED_TRACE("base -> changed");
    for (const std::string& note : Converge(changed, base)) {
      bool replaced = note.find(" replace") != std::string::npos;
      std::string key = note.substr(0, note.rfind(replaced ? " replace" : " alter"));
      bool expected = std::find(c.replace.begin(), c.replace.end(), key) != c.replace.end();
      EXPECT_EQ(replaced, expected) << note;
    }
  }
  if (c.reversible) {
    std::string base_again = CopyBase(c.name);
    SCOPED_TRACE("changed -> base");
    Converge(base_again, changed);
    if (!HasFailure()) DropDatabase(base_again);
  }
  if (!HasFailure()) {
    for (const std::string& db : {changed, base}) DropDatabase(db);
  }
}

std::vector<AlterCase> Cases() {
  return {
      // extension
      {"extension_added", "CREATE EXTENSION hstore WITH SCHEMA fid_aux"},
      // An extension has no path back to an older version.
      {"extension_version", "ALTER EXTENSION citext UPDATE TO '1.6'", {}, false},
      {"extension_schema", "ALTER EXTENSION citext SET SCHEMA fid_aux"},
      {"extension_comment", "COMMENT ON EXTENSION citext IS 'case-blind text'"},

      // schema
      {"schema_added",
       "CREATE SCHEMA fid_new AUTHORIZATION fid_other; COMMENT ON SCHEMA fid_new "
       "IS 'new'; GRANT USAGE ON SCHEMA fid_new TO fid_reader"},
      {"schema_dropped", "DROP SCHEMA fid_aux CASCADE"},
      {"schema_owner", "ALTER SCHEMA fid_aux OWNER TO fid_other"},
      {"schema_acl", "GRANT CREATE ON SCHEMA fid TO fid_reader WITH GRANT OPTION"},
      {"schema_acl_public",
       "GRANT USAGE ON SCHEMA fid TO PUBLIC; "
       "REVOKE USAGE ON SCHEMA fid FROM fid_reader"},
      {"schema_comment", "COMMENT ON SCHEMA fid IS 'it''s changed'"},

      // type
      {"type_enum_added", "CREATE TYPE fid.color AS ENUM ('red', 'it''s')"},
      {"type_dropped", "DROP TYPE fid.pair"},
      // Removing labels means a new type: its columns go with the old one.
      {"type_enum_label_added",
       "ALTER TYPE fid.mood ADD VALUE 'meh' AFTER 'ok'; "
       "ALTER TYPE fid.mood ADD VALUE 'first' BEFORE 'sad'",
       {},
       false},
      {"type_enum_label_renamed", "ALTER TYPE fid.mood RENAME VALUE 'ok' TO 'fine'"},
      {"type_composite_attribute_added", "ALTER TYPE fid.pair ADD ATTRIBUTE c date"},
      {"type_composite_attribute_type", "ALTER TYPE fid.pair ALTER ATTRIBUTE a TYPE bigint"},
      {"type_composite_attribute_collation",
       "ALTER TYPE fid.pair ALTER ATTRIBUTE b TYPE text COLLATE \"POSIX\""},
      {"type_composite_attribute_dropped", "ALTER TYPE fid.pair DROP ATTRIBUTE b"},
      {"type_domain_constraint_added",
       "ALTER DOMAIN fid.posint ADD CONSTRAINT posint_small CHECK (VALUE < 1000)"},
      {"type_domain_constraint_not_valid",
       "ALTER DOMAIN fid.shortname ADD CONSTRAINT short_nonempty CHECK (VALUE <> '') NOT VALID"},
      {"type_domain_constraint_definition",
       "ALTER DOMAIN fid.posint DROP CONSTRAINT posint_check;"
       "ALTER DOMAIN fid.posint ADD CONSTRAINT posint_check CHECK (VALUE > 1)"},
      {"type_domain_default", "ALTER DOMAIN fid.posint SET DEFAULT 2"},
      {"type_domain_not_null", "ALTER DOMAIN fid.posint DROP NOT NULL"},
      {"type_domain_base_type",
       "DROP DOMAIN fid.shortname; CREATE DOMAIN fid.shortname AS varchar(30);"
       "ALTER DOMAIN fid.shortname OWNER TO fid_owner",
       {"type:fid.shortname"}},
      {"type_range_subtype",
       "DROP TYPE fid.floatrange; CREATE TYPE fid.floatrange AS RANGE (subtype = numeric);"
       "ALTER TYPE fid.floatrange OWNER TO fid_owner",
       {"type:fid.floatrange"}},
      {"type_owner", "ALTER TYPE fid.mood OWNER TO fid_other"},
      {"type_acl",
       "REVOKE USAGE ON TYPE fid.mood FROM PUBLIC; "
       "GRANT USAGE ON TYPE fid.mood TO fid_reader"},
      {"type_domain_acl", "REVOKE USAGE ON DOMAIN fid.posint FROM PUBLIC"},
      {"type_attribute_comment", "COMMENT ON COLUMN fid.pair.a IS 'the first'"},
      {"type_domain_constraint_comment",
       "COMMENT ON CONSTRAINT posint_check ON DOMAIN fid.posint IS 'positive'"},
      {"type_comment", "COMMENT ON TYPE fid.pair IS 'two of them'"},

      // sequence
      {"sequence_added", "CREATE SEQUENCE fid.another AS integer INCREMENT BY -3 CACHE 7"},
      {"sequence_dropped", "DROP SEQUENCE fid.free_seq"},
      {"sequence_increment", "ALTER SEQUENCE fid.free_seq INCREMENT 3"},
      {"sequence_min_value", "ALTER SEQUENCE fid.free_seq MINVALUE 1"},
      {"sequence_max_value", "ALTER SEQUENCE fid.free_seq MAXVALUE 5000"},
      {"sequence_start", "ALTER SEQUENCE fid.free_seq START 20"},
      {"sequence_cache", "ALTER SEQUENCE fid.free_seq CACHE 1"},
      {"sequence_cycle", "ALTER SEQUENCE fid.free_seq CYCLE"},
      {"sequence_data_type", "ALTER SEQUENCE fid.free_seq AS bigint"},
      {"sequence_owned_by", "ALTER SEQUENCE fid.seq OWNED BY NONE"},
      {"sequence_owner", "ALTER SEQUENCE fid.free_seq OWNER TO fid_other"},
      {"sequence_acl", "GRANT USAGE ON SEQUENCE fid.free_seq TO fid_reader"},
      {"sequence_comment", "COMMENT ON SEQUENCE fid.free_seq IS 'other numbers'"},

      // table
      {"table_added",
       "CREATE TABLE fid.newt (id int PRIMARY KEY, v text NOT NULL DEFAULT 'x');"
       "GRANT SELECT (v) ON fid.newt TO fid_reader;"
       "COMMENT ON COLUMN fid.newt.v IS 'vee'"},
      {"table_dropped", "DROP TABLE fid.nopk"},
      {"table_owner", "ALTER TABLE fid.nopk OWNER TO fid_other"},
      {"table_owner_rewrites_grants", "ALTER TABLE fid.parent OWNER TO fid_other"},
      {"table_options_set", "ALTER TABLE fid.parent SET (fillfactor = 70)"},
      {"table_options_reset", "ALTER TABLE fid.scratch RESET (autovacuum_enabled)"},
      {"table_comment", "COMMENT ON TABLE fid.parent IS 'changed'"},
      {"table_acl", "GRANT INSERT ON fid.nopk TO fid_reader"},
      {"table_acl_keeps_column_grants", "GRANT INSERT ON fid.parent TO fid_reader"},
      {"table_unlogged", "ALTER TABLE fid.nopk SET UNLOGGED"},
      {"table_logged", "ALTER TABLE fid.scratch SET LOGGED"},
      {"table_replica_identity", "ALTER TABLE fid.parent REPLICA IDENTITY FULL"},
      {"table_replica_identity_index",
       "ALTER TABLE fid.parent REPLICA IDENTITY USING INDEX parent_code_key"},
      {"table_row_security", "ALTER TABLE fid.parent ENABLE ROW LEVEL SECURITY"},
      {"table_force_row_security", "ALTER TABLE fid.parent FORCE ROW LEVEL SECURITY"},
      {"table_inherits", "ALTER TABLE fid.derived_t NO INHERIT fid.base_t"},

      // partitions
      {"partition_added",
       "CREATE TABLE fid.events_2026 PARTITION OF fid.events "
       "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"},
      {"partition_default_added", "CREATE TABLE fid.events_other PARTITION OF fid.events DEFAULT"},
      {"partition_bound",
       "ALTER TABLE fid.events DETACH PARTITION fid.events_2025;"
       "ALTER TABLE fid.events ATTACH PARTITION fid.events_2025 "
       "FOR VALUES FROM ('2025-01-01') TO ('2025-07-01')"},
      {"partition_own_default", "ALTER TABLE fid.events_2024 ALTER COLUMN payload SET DEFAULT 'p'"},

      // column
      {"column_added",
       "ALTER TABLE fid.parent ADD COLUMN extra text COLLATE \"C\" DEFAULT 'e';"
       "COMMENT ON COLUMN fid.parent.extra IS 'more'"},
      {"column_added_identity",
       "ALTER TABLE fid.nopk ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY (START WITH 9)"},
      {"column_added_generated",
       "ALTER TABLE fid.nopk ADD COLUMN twice integer GENERATED ALWAYS AS (id * 2) STORED"},
      {"column_dropped", "ALTER TABLE fid.parent DROP COLUMN created"},
      {"column_added_to_partitioned_table",
       "ALTER TABLE fid.events ADD COLUMN extra text NOT NULL DEFAULT 'x'"},
      {"column_added_to_inheritance_parent", "ALTER TABLE fid.base_t ADD COLUMN extra2 integer"},
      {"column_type", "ALTER TABLE fid.parent ALTER COLUMN label TYPE varchar(40)"},
      {"column_type_with_default", "ALTER TABLE fid.parent ALTER COLUMN note TYPE varchar(10)"},
      {"column_type_needs_using",
       "ALTER TABLE fid.parent ALTER COLUMN label TYPE integer "
       "USING length(label)"},
      {"column_default_set", "ALTER TABLE fid.parent ALTER COLUMN label SET DEFAULT 'none'"},
      {"column_default_dropped", "ALTER TABLE fid.parent ALTER COLUMN note DROP DEFAULT"},
      {"column_not_null", "ALTER TABLE fid.parent ALTER COLUMN label SET NOT NULL"},
      {"column_identity_added",
       "ALTER TABLE fid.parent ALTER COLUMN num ADD GENERATED ALWAYS AS IDENTITY "
       "(INCREMENT BY 7)"},
      {"column_identity_kind", "ALTER TABLE fid.child ALTER COLUMN id SET GENERATED ALWAYS"},
      {"column_identity_options",
       "ALTER TABLE fid.child ALTER COLUMN id SET INCREMENT BY 10 SET MAXVALUE 100000 SET CYCLE"},
      {"column_identity_dropped", "ALTER TABLE fid.child ALTER COLUMN id DROP IDENTITY"},
      // A generation expression cannot be added in place: the column would move to the end.
      {"column_generated_dropped",
       "ALTER TABLE fid.parent ALTER COLUMN total DROP EXPRESSION",
       {},
       false},
      {"column_collation", "ALTER TABLE fid.parent ALTER COLUMN label TYPE text COLLATE \"POSIX\""},
      {"column_comment", "COMMENT ON COLUMN fid.parent.label IS 'a label'"},
      {"column_acl_granted", "GRANT SELECT (code), REFERENCES (code) ON fid.parent TO fid_reader"},
      {"column_acl_revoked", "REVOKE UPDATE (note) ON fid.parent FROM fid_reader"},

      // constraint
      {"constraint_primary_key_added", "ALTER TABLE fid.nopk ADD PRIMARY KEY (id)"},
      {"constraint_primary_key_dropped", "ALTER TABLE fid.child DROP CONSTRAINT child_pkey"},
      {"constraint_unique_added",
       "ALTER TABLE fid.parent ADD CONSTRAINT parent_label_key UNIQUE (label) INCLUDE (score)"},
      {"constraint_unique_definition",
       "ALTER TABLE fid.parent DROP CONSTRAINT parent_code_key,"
       " ADD CONSTRAINT parent_code_key UNIQUE (code, label)",
       {"constraint:fid.parent.parent_code_key"}},
      {"constraint_foreign_key_added",
       "ALTER TABLE fid.nopk ADD CONSTRAINT nopk_id_fkey FOREIGN KEY (id) "
       "REFERENCES fid.parent (id) ON UPDATE CASCADE"},
      {"constraint_foreign_key_dropped",
       "ALTER TABLE fid.child DROP CONSTRAINT child_parent_id_fkey"},
      {"constraint_foreign_key_definition",
       "ALTER TABLE fid.child DROP CONSTRAINT child_parent_id_fkey,"
       " ADD CONSTRAINT child_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES fid.parent (id)"
       " ON DELETE RESTRICT",
       {"constraint:fid.child.child_parent_id_fkey"}},
      {"constraint_deferrable",
       "ALTER TABLE fid.child ALTER CONSTRAINT child_parent_id_fkey "
       "DEFERRABLE INITIALLY DEFERRED"},
      {"constraint_check_added",
       "ALTER TABLE fid.parent ADD CONSTRAINT parent_num_check CHECK (num > 0)"},
      {"constraint_check_not_valid_added",
       "ALTER TABLE fid.parent ADD CONSTRAINT parent_num_check CHECK (num > 0) NOT VALID"},
      {"constraint_check_definition",
       "ALTER TABLE fid.parent DROP CONSTRAINT parent_qty_check,"
       " ADD CONSTRAINT parent_qty_check CHECK (qty >= 1);"
       "COMMENT ON CONSTRAINT parent_qty_check ON fid.parent IS 'no negatives'",
       {"constraint:fid.parent.parent_qty_check"}},
      {"constraint_validated", "ALTER TABLE fid.parent VALIDATE CONSTRAINT parent_score_check", {}},
      {"constraint_exclusion_definition",
       "ALTER TABLE fid.child DROP CONSTRAINT child_no_overlap,"
       " ADD CONSTRAINT child_no_overlap EXCLUDE USING gist (during WITH &&) WHERE (id > 0)",
       {"constraint:fid.child.child_no_overlap"}},
      {"constraint_on_one_partition",
       "ALTER TABLE fid.events_2024 ADD CONSTRAINT events_2024_id_check CHECK (id > 0)"},
      {"constraint_comment", "COMMENT ON CONSTRAINT parent_code_key ON fid.parent IS 'unique'"},

      // index
      {"index_added", "CREATE INDEX parent_label_idx ON fid.parent (label DESC NULLS LAST)"},
      {"index_dropped", "DROP INDEX fid.child_partial_idx"},
      {"index_partial_predicate",
       "DROP INDEX fid.child_partial_idx;"
       "CREATE INDEX child_partial_idx ON fid.child (parent_id) WHERE parent_id > 10",
       {"index:fid.child.child_partial_idx"}},
      {"index_method",
       "DROP INDEX fid.parent_lower_code_idx;"
       "CREATE INDEX parent_lower_code_idx ON fid.parent USING hash (lower(code))",
       {"index:fid.parent.parent_lower_code_idx"}},
      {"index_storage_parameter",
       "ALTER INDEX fid.child_parent_idx SET (fillfactor = 50)",
       {"index:fid.child.child_parent_idx"}},
      {"index_on_partitioned_table_added",
       "CREATE INDEX events_payload_idx ON fid.events (payload)"},
      {"index_clustered", "ALTER TABLE fid.parent CLUSTER ON parent_lower_code_idx"},
      {"index_comment", "COMMENT ON INDEX fid.child_parent_idx IS 'changed'"},

      // trigger
      {"trigger_added",
       "CREATE TRIGGER child_touch BEFORE INSERT OR UPDATE OF parent_id ON fid.child "
       "FOR EACH ROW WHEN (NEW.parent_id > 0) EXECUTE FUNCTION fid.touch()"},
      {"trigger_dropped", "DROP TRIGGER parent_touch ON fid.parent"},
      {"trigger_definition",
       "CREATE OR REPLACE TRIGGER parent_touch BEFORE INSERT ON fid.parent "
       "FOR EACH ROW EXECUTE FUNCTION fid.touch()"},
      {"trigger_disabled", "ALTER TABLE fid.parent DISABLE TRIGGER parent_touch"},
      {"trigger_replica", "ALTER TABLE fid.parent ENABLE REPLICA TRIGGER parent_touch"},
      {"trigger_always", "ALTER TABLE fid.parent ENABLE ALWAYS TRIGGER parent_touch"},
      {"trigger_comment", "COMMENT ON TRIGGER parent_touch ON fid.parent IS 'changed'"},

      // view
      {"view_added",
       "CREATE VIEW fid.child_v WITH (security_barrier) AS SELECT id FROM fid.child;"
       "GRANT SELECT ON fid.child_v TO fid_reader;"
       "COMMENT ON COLUMN fid.child_v.id IS 'the id'"},
      {"view_dropped", "DROP VIEW fid.parent_v"},
      {"view_definition",
       "CREATE OR REPLACE VIEW fid.parent_v AS SELECT id, code FROM fid.parent WHERE qty > 5"},
      {"view_column_appended",
       "CREATE OR REPLACE VIEW fid.parent_v AS SELECT id, code, note FROM fid.parent"},
      {"view_column_renamed",
       "DROP VIEW fid.parent_v; CREATE VIEW fid.parent_v AS SELECT id, code AS c FROM fid.parent;"
       "ALTER VIEW fid.parent_v OWNER TO fid_owner; GRANT SELECT ON fid.parent_v TO fid_reader;"
       "COMMENT ON VIEW fid.parent_v IS 'positive parents'",
       {"view:fid.parent_v"}},
      {"view_options", "ALTER VIEW fid.parent_v SET (security_barrier = true)"},
      {"view_owner", "ALTER VIEW fid.parent_v OWNER TO fid_other"},
      {"view_acl", "REVOKE SELECT ON fid.parent_v FROM fid_reader"},
      {"view_comment", "COMMENT ON VIEW fid.parent_v IS 'changed'"},
      {"view_column_comment", "COMMENT ON COLUMN fid.parent_v.code IS 'the code'"},
      {"view_column_acl", "GRANT SELECT (code) ON fid.parent_v TO fid_other"},

      // materialized view
      {"materialized_view_added",
       "CREATE MATERIALIZED VIEW fid.child_mv AS SELECT parent_id FROM fid.child;"
       "CREATE INDEX child_mv_idx ON fid.child_mv (parent_id)"},
      {"materialized_view_definition",
       "DROP MATERIALIZED VIEW fid.parent_mv;"
       "CREATE MATERIALIZED VIEW fid.parent_mv AS SELECT mood, count(*) AS n, 1 AS one "
       "FROM fid.parent GROUP BY mood;"
       "CREATE INDEX parent_mv_mood_idx ON fid.parent_mv (mood);"
       "COMMENT ON MATERIALIZED VIEW fid.parent_mv IS 'mood counts';"
       "ALTER MATERIALIZED VIEW fid.parent_mv OWNER TO fid_owner",
       {"materialized_view:fid.parent_mv"}},
      {"materialized_view_options", "ALTER MATERIALIZED VIEW fid.parent_mv SET (fillfactor = 60)"},
      {"materialized_view_owner", "ALTER MATERIALIZED VIEW fid.parent_mv OWNER TO fid_other"},
      {"materialized_view_index", "CREATE INDEX parent_mv_n_idx ON fid.parent_mv (n)"},

      // function, procedure, aggregate
      {"function_added",
       "CREATE FUNCTION fid.mul(a integer, b integer DEFAULT 2) RETURNS integer "
       "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$SELECT a * b$$"},
      {"function_dropped", "DROP FUNCTION fid.add(numeric, numeric)"},
      {"function_body",
       "CREATE OR REPLACE FUNCTION fid.shout(x text) RETURNS text LANGUAGE plpgsql STABLE AS "
       "$$BEGIN RETURN upper(x) || '!'; END$$"},
      {"function_volatility", "ALTER FUNCTION fid.shout(text) IMMUTABLE"},
      {"function_strict", "ALTER FUNCTION fid.shout(text) STRICT"},
      {"function_security_definer", "ALTER FUNCTION fid.shout(text) SECURITY DEFINER"},
      {"function_leakproof", "ALTER FUNCTION fid.add(integer, integer) LEAKPROOF"},
      {"function_parallel", "ALTER FUNCTION fid.shout(text) PARALLEL RESTRICTED"},
      {"function_cost", "ALTER FUNCTION fid.shout(text) COST 5"},
      {"function_rows", "ALTER FUNCTION fid.numbers(integer) ROWS 10"},
      {"function_config",
       "ALTER FUNCTION fid.shout(text) SET search_path = fid, public;"
       "ALTER FUNCTION fid.shout(text) SET work_mem = '64MB'"},
      {"function_returns",
       "DROP FUNCTION fid.add(numeric, numeric);"
       "CREATE FUNCTION fid.add(a numeric, b numeric) RETURNS text LANGUAGE sql IMMUTABLE "
       "AS 'SELECT (a + b)::text'; ALTER FUNCTION fid.add(numeric, numeric) OWNER TO fid_owner",
       {"function:fid.add(numeric, numeric)"}},
      {"function_argument_default",
       "DROP FUNCTION fid.add(numeric, numeric);"
       "CREATE FUNCTION fid.add(a numeric, b numeric DEFAULT 1) RETURNS numeric LANGUAGE sql "
       "IMMUTABLE AS 'SELECT a + b'; ALTER FUNCTION fid.add(numeric, numeric) OWNER TO fid_owner",
       {"function:fid.add(numeric, numeric)"}},
      {"function_owner", "ALTER FUNCTION fid.shout(text) OWNER TO fid_other"},
      {"function_acl",
       "REVOKE EXECUTE ON FUNCTION fid.shout(text) FROM PUBLIC;"
       "GRANT EXECUTE ON FUNCTION fid.shout(text) TO fid_reader"},
      {"function_comment", "COMMENT ON FUNCTION fid.shout(text) IS 'loudest'"},
      {"procedure_body",
       "CREATE OR REPLACE PROCEDURE fid.bump(n integer) LANGUAGE plpgsql AS "
       "$$BEGIN UPDATE fid.parent SET qty = qty + n + 1; END$$"},
      {"procedure_config", "ALTER PROCEDURE fid.bump(integer) SET search_path = fid"},
      {"aggregate_initcond",
       "CREATE OR REPLACE AGGREGATE fid.sum_sq(integer) (sfunc = fid.sq_acc, stype = bigint, "
       "initcond = '1')"},
      {"aggregate_added",
       "CREATE AGGREGATE fid.sum_sq2(integer) (sfunc = fid.sq_acc, stype = bigint)"},
      {"aggregate_comment", "COMMENT ON AGGREGATE fid.sum_sq(integer) IS 'squares'"},
      {"aggregate_owner", "ALTER AGGREGATE fid.sum_sq(integer) OWNER TO fid_other"},
  };
}

INSTANTIATE_TEST_SUITE_P(Fidelity, DdlAlterTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<AlterCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace pgtwin::testing
