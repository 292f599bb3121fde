// Fidelity of `pgtwin diff` against real PostgreSQL 15: for every object kind of docs/model.md,
// one change on one side (an object added, dropped, or one attribute altered) must make the diff
// report exactly that difference and nothing else.
//
// Each case builds two databases from the same base schema (tests/integration/fidelity_schema.h),
// runs the case's mutation in the target, diffs source against target with --format json and
// compares the complete list of differences with the expected one.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/fidelity_schema.h"
#include "tests/integration/pg_test_env.h"

namespace pgtwin::testing {
namespace {

using Json = nlohmann::json;

// One fidelity case: SQL run in the target copy, and every difference the diff must report,
// each written "CHANGE KEY [ATTR,ATTR...]" with the attribute names sorted, e.g.
// "changed table:fid.parent acl,owner" or "target_only index:fid.parent.parent_label_idx".
// "{db}" in the mutation and in the expectations stands for the target database's name.
struct FidelityCase {
  std::string name;
  std::string mutation;
  std::vector<std::string> expected;
};

void PrintTo(const FidelityCase& c, std::ostream* os) { *os << c.name; }

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The differences of a `pgtwin diff --format json` document in the case notation, sorted.
std::vector<std::string> DifferenceLines(const Json& doc) {
  std::vector<std::string> lines;
  for (const Json& d : doc.at("differences")) {
    std::string line = d.at("change").get<std::string>() + " " + d.at("key").get<std::string>();
    std::vector<std::string> attrs;
    for (const Json& a : d.at("attrs")) attrs.push_back(a.at("name").get<std::string>());
    std::sort(attrs.begin(), attrs.end());
    for (size_t i = 0; i < attrs.size(); ++i) line += (i == 0 ? " " : ",") + attrs[i];
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

// Copying a database is much cheaper than building it with SQL, so the base schema is built once
// per server, as a template that nothing ever connects to, plus one shared read-only source.
// Test processes run in parallel; an advisory lock makes the first one build them.
std::string SharedBaseName(const std::string& role) {
  size_t hash = std::hash<std::string>()(std::string(kFidelityRolesSql) + kFidelityBaseSql);
  return "fid_" + role + "_" + std::to_string(hash % 1000000007);
}

void EnsureSharedBase() {
  static const bool ready = [] {
    const std::string tmpl = SharedBaseName("template");
    const std::string source = SharedBaseName("source");
    pqxx::connection c(DatabaseConninfo("postgres"));
    pqxx::nontransaction tx(c);
    tx.exec("SELECT pg_advisory_lock(7466938)");
    auto exists = [&](const std::string& name) {
      return !tx.exec("SELECT 1 FROM pg_database WHERE datname = " + tx.quote(name)).empty();
    };
    if (!exists(tmpl)) {
      // Built under another name and renamed, so a half-built template is never used.
      std::string building = CreateDatabase("fid_building");
      RunSql("postgres", kFidelityRolesSql);
      RunSql(building, kFidelityBaseSql);
      tx.exec("ALTER DATABASE " + tx.quote_name(building) + " RENAME TO " + tx.quote_name(tmpl));
      // A template: dumps of the whole cluster skip it and nothing connects to it, which would
      // make copying it fail.
      tx.exec("ALTER DATABASE " + tx.quote_name(tmpl) +
              " IS_TEMPLATE true ALLOW_CONNECTIONS false");
    }
    if (!exists(source)) {
      tx.exec("CREATE DATABASE " + tx.quote_name(source) + " TEMPLATE " + tx.quote_name(tmpl));
    }
    tx.exec("SELECT pg_advisory_unlock(7466938)");
    return true;
  }();
  (void)ready;
}

// The shared database holding the base schema; only ever read.
std::string BaseSource() {
  EnsureSharedBase();
  return SharedBaseName("source");
}

// A new database holding the base schema, named after `label` and unique to this process.
std::string CopyBase(const std::string& label) {
  EnsureSharedBase();
  static int counter = 0;
  std::string name = "fid_" + label.substr(0, 40) + "_" + std::to_string(getpid()) + "_" +
                     std::to_string(counter++);
  pqxx::connection c(DatabaseConninfo("postgres"));
  pqxx::nontransaction tx(c);
  tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name) + " WITH (FORCE)");
  tx.exec("CREATE DATABASE " + tx.quote_name(name) + " TEMPLATE " +
          tx.quote_name(SharedBaseName("template")));
  return name;
}

// Runs `pgtwin diff --format json` and returns the parsed document; fails the test on an exit
// code other than `expected_exit`.
Json DiffJson(const std::vector<std::string>& args, int expected_exit) {
  std::vector<std::string> argv{"diff"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--format", "json"});
  CommandResult r = RunPgtwin(argv);
  EXPECT_EQ(r.exit_code, expected_exit) << "stderr: " << r.err << "\nstdout: " << r.out;
  Json doc = Json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(doc.is_discarded())
      << "diff printed no JSON; stderr: " << r.err << "\nstdout: " << r.out;
  return doc.is_discarded() ? Json::object({{"differences", Json::array()}}) : doc;
}

std::vector<FidelityCase> Cases() {
  return {
      // Nothing changed.
      {"identical", "", {}},
      {"data_statistics_and_sequence_values_are_not_structure",
       "INSERT INTO fid.parent (id, code, num, qty) VALUES (1, 'a', 1, 2);"
       "INSERT INTO fid.child (parent_id) VALUES (1);"
       "SELECT setval('fid.free_seq', 500); SELECT nextval('fid.seq');"
       "REFRESH MATERIALIZED VIEW fid.parent_mv; ANALYZE",
       {}},

      // database
      {"database_setting",
       "ALTER DATABASE {db} SET work_mem = '8MB'",
       {"changed database:{db} config.work_mem"}},
      {"database_role_setting",
       "ALTER ROLE fid_reader IN DATABASE {db} SET work_mem = '8MB'",
       {"changed database:{db} role_config.fid_reader.work_mem"}},
      {"database_owner", "ALTER DATABASE {db} OWNER TO fid_owner", {"changed database:{db} owner"}},
      {"database_acl",
       "GRANT CONNECT ON DATABASE {db} TO fid_reader",
       {"changed database:{db} acl"}},
      {"database_comment",
       "COMMENT ON DATABASE {db} IS 'the target'",
       {"changed database:{db} comment"}},
      {"database_connection_limit",
       "ALTER DATABASE {db} CONNECTION LIMIT 7",
       {"changed database:{db} connection_limit"}},

      // extension (its member objects belong to it and are never reported on their own)
      {"extension_added", "CREATE EXTENSION hstore", {"target_only extension:hstore"}},
      {"extension_dropped", "DROP EXTENSION citext", {"source_only extension:citext"}},
      {"extension_version",
       "ALTER EXTENSION citext UPDATE TO '1.6'",
       {"changed extension:citext version"}},
      {"extension_schema",
       "ALTER EXTENSION citext SET SCHEMA fid_aux",
       {"changed extension:citext schema"}},
      {"extension_comment",
       "COMMENT ON EXTENSION citext IS 'case-blind text'",
       {"changed extension:citext comment"}},

      // schema
      {"schema_added", "CREATE SCHEMA fid_new", {"target_only schema:fid_new"}},
      {"schema_dropped_reported_once",
       "DROP SCHEMA fid_aux CASCADE",
       {"source_only schema:fid_aux"}},
      {"schema_owner", "ALTER SCHEMA fid_aux OWNER TO fid_other", {"changed schema:fid_aux owner"}},
      {"schema_acl", "GRANT CREATE ON SCHEMA fid TO fid_reader", {"changed schema:fid acl"}},
      {"schema_comment", "COMMENT ON SCHEMA fid IS 'changed'", {"changed schema:fid comment"}},

      // type: enum, composite, domain, range
      {"type_enum_added", "CREATE TYPE fid.color AS ENUM ('red')", {"target_only type:fid.color"}},
      {"type_dropped", "DROP TYPE fid.pair", {"source_only type:fid.pair"}},
      {"type_enum_label_added",
       "ALTER TYPE fid.mood ADD VALUE 'meh' AFTER 'ok'",
       {"changed type:fid.mood labels"}},
      {"type_enum_label_renamed",
       "ALTER TYPE fid.mood RENAME VALUE 'ok' TO 'fine'",
       {"changed type:fid.mood labels"}},
      {"type_composite_attribute_added",
       "ALTER TYPE fid.pair ADD ATTRIBUTE c date",
       {"changed type:fid.pair attributes"}},
      {"type_composite_attribute_type",
       "ALTER TYPE fid.pair ALTER ATTRIBUTE a TYPE bigint",
       {"changed type:fid.pair attributes"}},
      {"type_composite_attribute_collation",
       "ALTER TYPE fid.pair ALTER ATTRIBUTE b TYPE text COLLATE \"POSIX\"",
       {"changed type:fid.pair attributes"}},
      {"type_domain_constraint_added",
       "ALTER DOMAIN fid.posint ADD CONSTRAINT posint_small CHECK (VALUE < 1000)",
       {"changed type:fid.posint constraint.posint_small"}},
      {"type_domain_constraint_dropped",
       "ALTER DOMAIN fid.posint DROP CONSTRAINT posint_check",
       {"changed type:fid.posint constraint.posint_check"}},
      {"type_domain_constraint_definition",
       "ALTER DOMAIN fid.posint DROP CONSTRAINT posint_check;"
       "ALTER DOMAIN fid.posint ADD CONSTRAINT posint_check CHECK (VALUE > 1)",
       {"changed type:fid.posint constraint.posint_check"}},
      {"type_domain_default",
       "ALTER DOMAIN fid.posint SET DEFAULT 2",
       {"changed type:fid.posint default"}},
      {"type_domain_not_null",
       "ALTER DOMAIN fid.posint DROP NOT NULL",
       {"changed type:fid.posint not_null"}},
      {"type_domain_base_type",
       "DROP DOMAIN fid.shortname; CREATE DOMAIN fid.shortname AS varchar(30);"
       "ALTER DOMAIN fid.shortname OWNER TO fid_owner",
       {"changed type:fid.shortname base_type"}},
      {"type_domain_collation",
       "DROP DOMAIN fid.shortname; CREATE DOMAIN fid.shortname AS varchar(20) COLLATE \"C\";"
       "ALTER DOMAIN fid.shortname OWNER TO fid_owner",
       {"changed type:fid.shortname collation"}},
      {"type_range_added_without_its_multirange_and_constructors",
       "CREATE TYPE fid.intrange2 AS RANGE (subtype = int4)",
       {"target_only type:fid.intrange2"}},
      {"type_range_subtype",
       "DROP TYPE fid.floatrange; CREATE TYPE fid.floatrange AS RANGE (subtype = numeric);"
       "ALTER TYPE fid.floatrange OWNER TO fid_owner",
       {"changed type:fid.floatrange subtype"}},
      {"type_owner", "ALTER TYPE fid.mood OWNER TO fid_other", {"changed type:fid.mood owner"}},
      {"type_acl", "REVOKE USAGE ON TYPE fid.mood FROM PUBLIC", {"changed type:fid.mood acl"}},
      // Granting what the defaults already give changes no privilege: nothing to report.
      {"type_grant_equal_to_default", "GRANT USAGE ON TYPE fid.pair TO PUBLIC", {}},
      {"type_attribute_comment",
       "COMMENT ON COLUMN fid.pair.a IS 'the first'",
       {"changed type:fid.pair attribute_comment.a"}},
      {"type_domain_constraint_comment",
       "COMMENT ON CONSTRAINT posint_check ON DOMAIN fid.posint IS 'positive'",
       {"changed type:fid.posint constraint_comment.posint_check"}},
      {"type_comment",
       "COMMENT ON TYPE fid.pair IS 'two of them'",
       {"changed type:fid.pair comment"}},

      // sequence (its current value is data, not structure)
      {"sequence_added", "CREATE SEQUENCE fid.another", {"target_only sequence:fid.another"}},
      {"sequence_dropped", "DROP SEQUENCE fid.free_seq", {"source_only sequence:fid.free_seq"}},
      {"sequence_increment",
       "ALTER SEQUENCE fid.free_seq INCREMENT 3",
       {"changed sequence:fid.free_seq increment"}},
      {"sequence_min_value",
       "ALTER SEQUENCE fid.free_seq MINVALUE 1",
       {"changed sequence:fid.free_seq min_value"}},
      {"sequence_max_value",
       "ALTER SEQUENCE fid.free_seq MAXVALUE 5000",
       {"changed sequence:fid.free_seq max_value"}},
      {"sequence_start",
       "ALTER SEQUENCE fid.free_seq START 20",
       {"changed sequence:fid.free_seq start"}},
      {"sequence_cache",
       "ALTER SEQUENCE fid.free_seq CACHE 1",
       {"changed sequence:fid.free_seq cache"}},
      {"sequence_cycle",
       "ALTER SEQUENCE fid.free_seq CYCLE",
       {"changed sequence:fid.free_seq cycle"}},
      {"sequence_data_type",
       "ALTER SEQUENCE fid.free_seq AS bigint",
       {"changed sequence:fid.free_seq data_type"}},
      {"sequence_owned_by",
       "ALTER SEQUENCE fid.seq OWNED BY NONE",
       {"changed sequence:fid.seq owned_by"}},
      {"sequence_owner",
       "ALTER SEQUENCE fid.free_seq OWNER TO fid_other",
       {"changed sequence:fid.free_seq owner"}},
      {"sequence_acl",
       "GRANT USAGE ON SEQUENCE fid.free_seq TO fid_reader",
       {"changed sequence:fid.free_seq acl"}},
      {"sequence_comment",
       "COMMENT ON SEQUENCE fid.free_seq IS 'other numbers'",
       {"changed sequence:fid.free_seq comment"}},

      // table
      {"table_added_reported_once",
       "CREATE TABLE fid.newt (id int PRIMARY KEY, v text)",
       {"target_only table:fid.newt"}},
      {"table_dropped_reported_once", "DROP TABLE fid.nopk", {"source_only table:fid.nopk"}},
      {"table_renamed",
       "ALTER TABLE fid.nopk RENAME TO nopk2",
       {"source_only table:fid.nopk", "target_only table:fid.nopk2"}},
      {"table_moved_to_other_schema",
       "ALTER TABLE fid.nopk SET SCHEMA fid_aux",
       {"source_only table:fid.nopk", "target_only table:fid_aux.nopk"}},
      {"table_owner", "ALTER TABLE fid.nopk OWNER TO fid_other", {"changed table:fid.nopk owner"}},
      // A new owner also becomes the grantor of the table's and its columns' privileges.
      {"table_owner_rewrites_grants",
       "ALTER TABLE fid.parent OWNER TO fid_other",
       {"changed column:fid.parent.note acl", "changed table:fid.parent acl,owner"}},
      {"table_options_set",
       "ALTER TABLE fid.parent SET (fillfactor = 70)",
       {"changed table:fid.parent options"}},
      {"table_options_reset",
       "ALTER TABLE fid.scratch RESET (autovacuum_enabled)",
       {"changed table:fid.scratch options"}},
      {"table_comment",
       "COMMENT ON TABLE fid.parent IS 'changed'",
       {"changed table:fid.parent comment"}},
      {"table_acl", "GRANT INSERT ON fid.nopk TO fid_reader", {"changed table:fid.nopk acl"}},
      {"table_grant_equal_to_default", "GRANT ALL ON fid.nopk TO fid_owner", {}},
      {"table_unlogged",
       "ALTER TABLE fid.nopk SET UNLOGGED",
       {"changed table:fid.nopk persistence"}},
      {"table_logged",
       "ALTER TABLE fid.scratch SET LOGGED",
       {"changed table:fid.scratch persistence"}},
      {"table_replica_identity",
       "ALTER TABLE fid.parent REPLICA IDENTITY FULL",
       {"changed table:fid.parent replica_identity"}},
      {"table_row_security",
       "ALTER TABLE fid.parent ENABLE ROW LEVEL SECURITY",
       {"changed table:fid.parent row_security"}},
      {"table_force_row_security",
       "ALTER TABLE fid.parent FORCE ROW LEVEL SECURITY",
       {"changed table:fid.parent force_row_security"}},
      {"table_inherits",
       "ALTER TABLE fid.derived_t NO INHERIT fid.base_t",
       {"changed table:fid.derived_t inherits"}},

      // partitioning (what a partition inherits from its parent is the parent's)
      {"partition_added_reported_once",
       "CREATE TABLE fid.events_2026 PARTITION OF fid.events "
       "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
       {"target_only table:fid.events_2026"}},
      {"partition_default_added",
       "CREATE TABLE fid.events_other PARTITION OF fid.events DEFAULT",
       {"target_only table:fid.events_other"}},
      {"partition_bound",
       "ALTER TABLE fid.events DETACH PARTITION fid.events_2025;"
       "ALTER TABLE fid.events ATTACH PARTITION fid.events_2025 "
       "FOR VALUES FROM ('2025-01-01') TO ('2025-07-01')",
       {"changed table:fid.events_2025 partition_bound"}},
      // Once detached, the former partition's own index and key are its own.
      {"partition_detached",
       "ALTER TABLE fid.events DETACH PARTITION fid.events_2025",
       {"changed table:fid.events_2025 partition_bound,partition_of",
        "target_only constraint:fid.events_2025.events_2025_pkey",
        "target_only index:fid.events_2025.events_2025_at_idx"}},

      // column
      {"column_added",
       "ALTER TABLE fid.parent ADD COLUMN extra text",
       {"target_only column:fid.parent.extra"}},
      {"column_dropped",
       "ALTER TABLE fid.parent DROP COLUMN created",
       {"source_only column:fid.parent.created"}},
      // Positions count the live columns: the ones after a dropped column move up.
      {"column_dropped_in_the_middle",
       "ALTER TABLE fid.parent DROP COLUMN label",
       {"changed column:fid.parent.created position", "changed column:fid.parent.num position",
        "changed column:fid.parent.score position", "source_only column:fid.parent.label"}},
      {"column_dropped_and_added_back_at_the_end",
       "ALTER TABLE fid.parent DROP COLUMN created;"
       "ALTER TABLE fid.parent ADD COLUMN created timestamptz DEFAULT now()",
       {}},
      {"column_added_to_partitioned_table_and_its_partitions",
       "ALTER TABLE fid.events ADD COLUMN extra text",
       {"target_only column:fid.events.extra", "target_only column:fid.events_2024.extra",
        "target_only column:fid.events_2025.extra"}},
      {"column_type",
       "ALTER TABLE fid.parent ALTER COLUMN label TYPE varchar(40)",
       {"changed column:fid.parent.label type"}},
      {"column_default_set",
       "ALTER TABLE fid.parent ALTER COLUMN label SET DEFAULT 'none'",
       {"changed column:fid.parent.label default"}},
      {"column_default_dropped",
       "ALTER TABLE fid.parent ALTER COLUMN note DROP DEFAULT",
       {"changed column:fid.parent.note default"}},
      {"column_default_changed",
       "ALTER TABLE fid.parent ALTER COLUMN note SET DEFAULT 'y'",
       {"changed column:fid.parent.note default"}},
      {"column_not_null",
       "ALTER TABLE fid.parent ALTER COLUMN label SET NOT NULL",
       {"changed column:fid.parent.label not_null"}},
      {"column_identity_added_without_its_sequence",
       "ALTER TABLE fid.parent ALTER COLUMN num ADD GENERATED ALWAYS AS IDENTITY",
       {"changed column:fid.parent.num identity"}},
      {"column_identity_kind",
       "ALTER TABLE fid.child ALTER COLUMN id SET GENERATED ALWAYS",
       {"changed column:fid.child.id identity"}},
      {"column_identity_options",
       "ALTER TABLE fid.child ALTER COLUMN id SET INCREMENT BY 10",
       {"changed column:fid.child.id identity_options"}},
      {"column_identity_dropped",
       "ALTER TABLE fid.child ALTER COLUMN id DROP IDENTITY",
       {"changed column:fid.child.id identity"}},
      {"column_generated_dropped",
       "ALTER TABLE fid.parent ALTER COLUMN total DROP EXPRESSION",
       {"changed column:fid.parent.total generated"}},
      {"column_collation",
       "ALTER TABLE fid.parent ALTER COLUMN label TYPE text COLLATE \"POSIX\"",
       {"changed column:fid.parent.label collation"}},
      {"column_comment",
       "COMMENT ON COLUMN fid.parent.label IS 'a label'",
       {"changed column:fid.parent.label comment"}},
      {"column_acl_granted",
       "GRANT SELECT (code) ON fid.parent TO fid_reader",
       {"changed column:fid.parent.code acl"}},
      {"column_acl_revoked",
       "REVOKE UPDATE (note) ON fid.parent FROM fid_reader",
       {"changed column:fid.parent.note acl"}},

      // constraint: p, u, f, c, x
      {"constraint_primary_key_added",
       "ALTER TABLE fid.nopk ADD PRIMARY KEY (id)",
       {"target_only constraint:fid.nopk.nopk_pkey"}},
      {"constraint_primary_key_dropped",
       "ALTER TABLE fid.child DROP CONSTRAINT child_pkey",
       {"source_only constraint:fid.child.child_pkey"}},
      {"constraint_unique_added",
       "ALTER TABLE fid.parent ADD CONSTRAINT parent_label_key UNIQUE (label)",
       {"target_only constraint:fid.parent.parent_label_key"}},
      {"constraint_unique_dropped",
       "ALTER TABLE fid.parent DROP CONSTRAINT parent_code_key",
       {"source_only constraint:fid.parent.parent_code_key"}},
      {"constraint_unique_definition",
       "ALTER TABLE fid.parent DROP CONSTRAINT parent_code_key,"
       " ADD CONSTRAINT parent_code_key UNIQUE (code, label)",
       {"changed constraint:fid.parent.parent_code_key definition"}},
      {"constraint_foreign_key_added",
       "ALTER TABLE fid.nopk ADD CONSTRAINT nopk_id_fkey FOREIGN KEY (id) "
       "REFERENCES fid.parent (id)",
       {"target_only constraint:fid.nopk.nopk_id_fkey"}},
      {"constraint_foreign_key_dropped",
       "ALTER TABLE fid.child DROP CONSTRAINT child_parent_id_fkey",
       {"source_only constraint:fid.child.child_parent_id_fkey"}},
      {"constraint_foreign_key_definition",
       "ALTER TABLE fid.child DROP CONSTRAINT child_parent_id_fkey,"
       " ADD CONSTRAINT child_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES fid.parent (id)"
       " ON DELETE RESTRICT",
       {"changed constraint:fid.child.child_parent_id_fkey definition"}},
      // pg_get_constraintdef spells DEFERRABLE and NOT VALID out, so the definition moves too.
      {"constraint_deferrable",
       "ALTER TABLE fid.child ALTER CONSTRAINT child_parent_id_fkey "
       "DEFERRABLE INITIALLY DEFERRED",
       {"changed constraint:fid.child.child_parent_id_fkey deferrable,deferred,definition"}},
      {"constraint_check_added",
       "ALTER TABLE fid.parent ADD CONSTRAINT parent_num_check CHECK (num > 0)",
       {"target_only constraint:fid.parent.parent_num_check"}},
      {"constraint_check_not_valid_added",
       "ALTER TABLE fid.parent ADD CONSTRAINT parent_num_check CHECK (num > 0) NOT VALID",
       {"target_only constraint:fid.parent.parent_num_check"}},
      {"constraint_check_dropped",
       "ALTER TABLE fid.parent DROP CONSTRAINT parent_qty_check",
       {"source_only constraint:fid.parent.parent_qty_check"}},
      {"constraint_check_definition",
       "ALTER TABLE fid.parent DROP CONSTRAINT parent_qty_check,"
       " ADD CONSTRAINT parent_qty_check CHECK (qty >= 1);"
       "COMMENT ON CONSTRAINT parent_qty_check ON fid.parent IS 'no negatives'",
       {"changed constraint:fid.parent.parent_qty_check definition"}},
      {"constraint_validated",
       "ALTER TABLE fid.parent VALIDATE CONSTRAINT parent_score_check",
       {"changed constraint:fid.parent.parent_score_check definition,not_valid"}},
      {"constraint_exclusion_added",
       "ALTER TABLE fid.scratch ADD CONSTRAINT scratch_k_excl EXCLUDE USING btree (k WITH =)",
       {"target_only constraint:fid.scratch.scratch_k_excl"}},
      {"constraint_exclusion_dropped",
       "ALTER TABLE fid.child DROP CONSTRAINT child_no_overlap",
       {"source_only constraint:fid.child.child_no_overlap"}},
      {"constraint_exclusion_definition",
       "ALTER TABLE fid.child DROP CONSTRAINT child_no_overlap,"
       " ADD CONSTRAINT child_no_overlap EXCLUDE USING gist (during WITH &&) WHERE (id > 0)",
       {"changed constraint:fid.child.child_no_overlap definition"}},
      {"constraint_on_one_partition_is_its_own",
       "ALTER TABLE fid.events_2024 ADD CONSTRAINT events_2024_id_check CHECK (id > 0)",
       {"target_only constraint:fid.events_2024.events_2024_id_check"}},
      {"constraint_comment",
       "COMMENT ON CONSTRAINT parent_code_key ON fid.parent IS 'unique'",
       {"changed constraint:fid.parent.parent_code_key comment"}},

      // index (partial, expression, unique; on tables, partitioned tables, materialized views)
      {"index_added",
       "CREATE INDEX parent_label_idx ON fid.parent (label)",
       {"target_only index:fid.parent.parent_label_idx"}},
      {"index_dropped",
       "DROP INDEX fid.child_partial_idx",
       {"source_only index:fid.child.child_partial_idx"}},
      {"index_partial_predicate",
       "DROP INDEX fid.child_partial_idx;"
       "CREATE INDEX child_partial_idx ON fid.child (parent_id) WHERE parent_id > 10",
       {"changed index:fid.child.child_partial_idx definition"}},
      {"index_made_partial",
       "DROP INDEX fid.child_parent_idx;"
       "CREATE INDEX child_parent_idx ON fid.child (parent_id) WHERE parent_id IS NOT NULL;"
       "COMMENT ON INDEX fid.child_parent_idx IS 'lookup'",
       {"changed index:fid.child.child_parent_idx definition"}},
      {"index_expression",
       "DROP INDEX fid.parent_lower_code_idx;"
       "CREATE INDEX parent_lower_code_idx ON fid.parent (upper(code))",
       {"changed index:fid.parent.parent_lower_code_idx definition"}},
      {"index_made_unique",
       "DROP INDEX fid.parent_lower_code_idx;"
       "CREATE UNIQUE INDEX parent_lower_code_idx ON fid.parent (lower(code))",
       {"changed index:fid.parent.parent_lower_code_idx definition"}},
      {"index_method",
       "DROP INDEX fid.parent_lower_code_idx;"
       "CREATE INDEX parent_lower_code_idx ON fid.parent USING hash (lower(code))",
       {"changed index:fid.parent.parent_lower_code_idx definition"}},
      {"index_storage_parameter",
       "ALTER INDEX fid.child_parent_idx SET (fillfactor = 50)",
       {"changed index:fid.child.child_parent_idx definition"}},
      {"index_clustered",
       "ALTER TABLE fid.parent CLUSTER ON parent_lower_code_idx",
       {"changed index:fid.parent.parent_lower_code_idx clustered"}},
      {"index_comment",
       "COMMENT ON INDEX fid.child_parent_idx IS 'changed'",
       {"changed index:fid.child.child_parent_idx comment"}},
      {"index_on_partitioned_table_added_once",
       "CREATE INDEX events_payload_idx ON fid.events (payload)",
       {"target_only index:fid.events.events_payload_idx"}},
      {"index_on_one_partition_is_its_own",
       "CREATE INDEX events_2024_payload_idx ON fid.events_2024 (payload)",
       {"target_only index:fid.events_2024.events_2024_payload_idx"}},
      {"index_on_materialized_view_added",
       "CREATE INDEX parent_mv_n_idx ON fid.parent_mv (n)",
       {"target_only index:fid.parent_mv.parent_mv_n_idx"}},
      {"index_on_materialized_view_dropped",
       "DROP INDEX fid.parent_mv_mood_idx",
       {"source_only index:fid.parent_mv.parent_mv_mood_idx"}},

      // trigger
      {"trigger_added",
       "CREATE TRIGGER parent_touch_ins BEFORE INSERT ON fid.parent "
       "FOR EACH ROW EXECUTE FUNCTION fid.touch()",
       {"target_only trigger:fid.parent.parent_touch_ins"}},
      {"trigger_dropped",
       "DROP TRIGGER parent_touch ON fid.parent",
       {"source_only trigger:fid.parent.parent_touch"}},
      {"trigger_disabled",
       "ALTER TABLE fid.parent DISABLE TRIGGER parent_touch",
       {"changed trigger:fid.parent.parent_touch enabled"}},
      {"trigger_enabled_replica",
       "ALTER TABLE fid.parent ENABLE REPLICA TRIGGER parent_touch",
       {"changed trigger:fid.parent.parent_touch enabled"}},
      {"trigger_enabled_always",
       "ALTER TABLE fid.parent ENABLE ALWAYS TRIGGER parent_touch",
       {"changed trigger:fid.parent.parent_touch enabled"}},
      {"trigger_events",
       "CREATE OR REPLACE TRIGGER parent_touch BEFORE INSERT OR UPDATE ON fid.parent "
       "FOR EACH ROW EXECUTE FUNCTION fid.touch()",
       {"changed trigger:fid.parent.parent_touch definition"}},
      {"trigger_when",
       "CREATE OR REPLACE TRIGGER parent_touch BEFORE UPDATE ON fid.parent FOR EACH ROW "
       "WHEN (OLD.qty IS DISTINCT FROM NEW.qty) EXECUTE FUNCTION fid.touch()",
       {"changed trigger:fid.parent.parent_touch definition"}},
      {"trigger_comment",
       "COMMENT ON TRIGGER parent_touch ON fid.parent IS 'changed'",
       {"changed trigger:fid.parent.parent_touch comment"}},
      {"trigger_on_partitioned_table_added_once",
       "CREATE TRIGGER events_audit AFTER UPDATE ON fid.events "
       "FOR EACH ROW EXECUTE FUNCTION fid.touch()",
       {"target_only trigger:fid.events.events_audit"}},
      {"trigger_on_partitioned_table_disabled",
       "ALTER TABLE fid.events DISABLE TRIGGER events_touch",
       {"changed trigger:fid.events.events_touch enabled"}},

      // view
      {"view_added",
       "CREATE VIEW fid.child_v AS SELECT id FROM fid.child",
       {"target_only view:fid.child_v"}},
      {"view_dropped", "DROP VIEW fid.parent_v", {"source_only view:fid.parent_v"}},
      {"view_definition",
       "CREATE OR REPLACE VIEW fid.parent_v AS SELECT id, code FROM fid.parent WHERE qty > 1",
       {"changed view:fid.parent_v definition"}},
      {"view_owner_rewrites_grants",
       "ALTER VIEW fid.parent_v OWNER TO fid_other",
       {"changed view:fid.parent_v acl,owner"}},
      {"view_options",
       "ALTER VIEW fid.parent_v SET (security_barrier = true)",
       {"changed view:fid.parent_v options"}},
      {"view_acl",
       "REVOKE SELECT ON fid.parent_v FROM fid_reader",
       {"changed view:fid.parent_v acl"}},
      {"view_comment",
       "COMMENT ON VIEW fid.parent_v IS 'changed'",
       {"changed view:fid.parent_v comment"}},

      // materialized view
      {"materialized_view_added",
       "CREATE MATERIALIZED VIEW fid.child_mv AS SELECT count(*) AS n FROM fid.child",
       {"target_only materialized_view:fid.child_mv"}},
      {"materialized_view_dropped_reported_once",
       "DROP MATERIALIZED VIEW fid.parent_mv",
       {"source_only materialized_view:fid.parent_mv"}},
      {"materialized_view_definition",
       "DROP MATERIALIZED VIEW fid.parent_mv;"
       "CREATE MATERIALIZED VIEW fid.parent_mv AS "
       "SELECT mood, count(*) AS n FROM fid.parent WHERE qty > 0 GROUP BY mood;"
       "ALTER MATERIALIZED VIEW fid.parent_mv OWNER TO fid_owner;"
       "COMMENT ON MATERIALIZED VIEW fid.parent_mv IS 'mood counts';"
       "CREATE INDEX parent_mv_mood_idx ON fid.parent_mv (mood)",
       {"changed materialized_view:fid.parent_mv definition"}},
      {"materialized_view_owner",
       "ALTER MATERIALIZED VIEW fid.parent_mv OWNER TO fid_other",
       {"changed materialized_view:fid.parent_mv owner"}},
      {"materialized_view_options",
       "ALTER MATERIALIZED VIEW fid.parent_mv SET (fillfactor = 60)",
       {"changed materialized_view:fid.parent_mv options"}},
      {"materialized_view_acl",
       "GRANT SELECT ON fid.parent_mv TO fid_reader",
       {"changed materialized_view:fid.parent_mv acl"}},
      {"view_column_comment",
       "COMMENT ON COLUMN fid.parent_v.code IS 'the code'",
       {"changed view:fid.parent_v column_comment.code"}},
      {"view_column_acl",
       "GRANT SELECT (code) ON fid.parent_v TO fid_reader",
       {"changed view:fid.parent_v column_acl.code"}},
      {"materialized_view_column_comment",
       "COMMENT ON COLUMN fid.parent_mv.n IS 'how many'",
       {"changed materialized_view:fid.parent_mv column_comment.n"}},
      {"materialized_view_comment",
       "COMMENT ON MATERIALIZED VIEW fid.parent_mv IS 'changed'",
       {"changed materialized_view:fid.parent_mv comment"}},

      // function
      {"function_overload_added",
       "CREATE FUNCTION fid.add(a bigint, b bigint) RETURNS bigint LANGUAGE sql "
       "AS 'SELECT a + b'",
       {"target_only function:fid.add(bigint, bigint)"}},
      {"function_overload_dropped",
       "DROP FUNCTION fid.add(numeric, numeric)",
       {"source_only function:fid.add(numeric, numeric)"}},
      {"function_body",
       "CREATE OR REPLACE FUNCTION fid.shout(x text) RETURNS text LANGUAGE plpgsql STABLE AS $$\n"
       "BEGIN\n  RETURN upper(x) || '!';\nEND\n$$",
       {"changed function:fid.shout(text) body"}},
      {"function_language",
       "CREATE OR REPLACE FUNCTION fid.add(a numeric, b numeric) RETURNS numeric "
       "LANGUAGE plpgsql IMMUTABLE AS 'BEGIN RETURN a + b; END'",
       {"changed function:fid.add(numeric, numeric) body,language"}},
      {"function_argument_default",
       "CREATE OR REPLACE FUNCTION fid.add(a numeric, b numeric DEFAULT 0) RETURNS numeric "
       "LANGUAGE sql IMMUTABLE AS 'SELECT a + b'",
       {"changed function:fid.add(numeric, numeric) arguments"}},
      // A parameter's name is not part of a routine's identity (DROP FUNCTION f(numeric,
      // numeric) finds it): renaming one changes the arguments, it is not drop + add.
      {"function_argument_renamed",
       "DROP FUNCTION fid.add(numeric, numeric); SET ROLE fid_owner;"
       "CREATE FUNCTION fid.add(b numeric, a numeric) RETURNS numeric LANGUAGE sql IMMUTABLE "
       "AS 'SELECT a + b'; RESET ROLE",
       {"changed function:fid.add(numeric, numeric) arguments"}},
      {"function_returns",
       "DROP FUNCTION fid.numbers(integer); SET ROLE fid_owner;"
       "CREATE FUNCTION fid.numbers(n integer) RETURNS SETOF bigint LANGUAGE sql ROWS 50 "
       "AS 'SELECT generate_series(1, n)'; RESET ROLE",
       {"changed function:fid.numbers(integer) returns"}},
      {"function_volatility",
       "ALTER FUNCTION fid.shout(text) IMMUTABLE",
       {"changed function:fid.shout(text) volatility"}},
      {"function_strict",
       "ALTER FUNCTION fid.add(integer, integer) CALLED ON NULL INPUT",
       {"changed function:fid.add(integer, integer) strict"}},
      {"function_security_definer",
       "ALTER FUNCTION fid.shout(text) SECURITY DEFINER",
       {"changed function:fid.shout(text) security_definer"}},
      {"function_leakproof",
       "ALTER FUNCTION fid.add(integer, integer) LEAKPROOF",
       {"changed function:fid.add(integer, integer) leakproof"}},
      {"function_parallel",
       "ALTER FUNCTION fid.add(integer, integer) PARALLEL SAFE",
       {"changed function:fid.add(integer, integer) parallel"}},
      {"function_cost",
       "ALTER FUNCTION fid.shout(text) COST 500",
       {"changed function:fid.shout(text) cost"}},
      {"function_rows",
       "ALTER FUNCTION fid.numbers(integer) ROWS 10",
       {"changed function:fid.numbers(integer) rows"}},
      {"function_config",
       "ALTER FUNCTION fid.shout(text) SET search_path = fid, pg_temp",
       {"changed function:fid.shout(text) config.search_path"}},
      {"function_owner",
       "ALTER FUNCTION fid.shout(text) OWNER TO fid_other",
       {"changed function:fid.shout(text) owner"}},
      {"function_acl",
       "REVOKE EXECUTE ON FUNCTION fid.shout(text) FROM PUBLIC",
       {"changed function:fid.shout(text) acl"}},
      {"function_comment",
       "COMMENT ON FUNCTION fid.shout(text) IS 'even louder'",
       {"changed function:fid.shout(text) comment"}},

      // procedure
      {"procedure_added",
       "CREATE PROCEDURE fid.reset_qty() LANGUAGE sql AS 'UPDATE fid.parent SET qty = 0'",
       {"target_only procedure:fid.reset_qty()"}},
      {"procedure_dropped",
       "DROP PROCEDURE fid.bump(integer)",
       {"source_only procedure:fid.bump(integer)"}},
      {"procedure_body",
       "CREATE OR REPLACE PROCEDURE fid.bump(n integer) LANGUAGE plpgsql AS $$\n"
       "BEGIN\n  UPDATE fid.parent SET qty = qty + 2 * n;\nEND\n$$",
       {"changed procedure:fid.bump(integer) body"}},
      {"procedure_security_definer",
       "ALTER PROCEDURE fid.bump(integer) SECURITY DEFINER",
       {"changed procedure:fid.bump(integer) security_definer"}},
      {"procedure_config",
       "ALTER PROCEDURE fid.bump(integer) SET work_mem = '16MB'",
       {"changed procedure:fid.bump(integer) config.work_mem"}},
      {"procedure_owner",
       "ALTER PROCEDURE fid.bump(integer) OWNER TO fid_other",
       {"changed procedure:fid.bump(integer) owner"}},
      {"procedure_acl",
       "REVOKE EXECUTE ON PROCEDURE fid.bump(integer) FROM PUBLIC",
       {"changed procedure:fid.bump(integer) acl"}},

      // aggregate
      {"aggregate_added",
       "CREATE AGGREGATE fid.sum_sq_plus(integer) "
       "(sfunc = fid.sq_acc, stype = bigint, initcond = '1')",
       {"target_only aggregate:fid.sum_sq_plus(integer)"}},
      {"aggregate_dropped",
       "DROP AGGREGATE fid.sum_sq(integer)",
       {"source_only aggregate:fid.sum_sq(integer)"}},
      {"aggregate_initcond",
       "DROP AGGREGATE fid.sum_sq(integer); SET ROLE fid_owner;"
       "CREATE AGGREGATE fid.sum_sq(integer) (sfunc = fid.sq_acc, stype = bigint, "
       "initcond = '1'); RESET ROLE",
       {"changed aggregate:fid.sum_sq(integer) initcond"}},
      {"aggregate_sfunc",
       "DROP AGGREGATE fid.sum_sq(integer); SET ROLE fid_owner;"
       "CREATE FUNCTION fid.sq_acc2(s bigint, v integer) RETURNS bigint LANGUAGE sql "
       "IMMUTABLE AS 'SELECT s + v * v';"
       "CREATE AGGREGATE fid.sum_sq(integer) (sfunc = fid.sq_acc2, stype = bigint, "
       "initcond = '0'); RESET ROLE",
       {"changed aggregate:fid.sum_sq(integer) sfunc",
        "target_only function:fid.sq_acc2(bigint, integer)"}},
      {"aggregate_owner",
       "ALTER AGGREGATE fid.sum_sq(integer) OWNER TO fid_other",
       {"changed aggregate:fid.sum_sq(integer) owner"}},
      {"aggregate_comment",
       "COMMENT ON AGGREGATE fid.sum_sq(integer) IS 'squares'",
       {"changed aggregate:fid.sum_sq(integer) comment"}},
  };
}

class FidelityTest : public ::testing::TestWithParam<FidelityCase> {};

TEST_P(FidelityTest, DiffReportsExactlyTheChange) {
  const FidelityCase& c = GetParam();
  std::string source = BaseSource();
  std::string target = CopyBase(c.name);
  if (!c.mutation.empty()) RunSql(target, ReplaceAll(c.mutation, "{db}", target));

  std::vector<std::string> expected;
  for (const std::string& e : c.expected) expected.push_back(ReplaceAll(e, "{db}", target));
  std::sort(expected.begin(), expected.end());

  Json doc = DiffJson({"--source", DatabaseUri(source), "--target", DatabaseUri(target)},
                      expected.empty() ? 0 : 2);
  EXPECT_EQ(DifferenceLines(doc), expected) << "mutation: " << c.mutation;
  DropDatabase(target);
}

INSTANTIATE_TEST_SUITE_P(Cases, FidelityTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<FidelityCase>& info) {
                           return info.param.name;
                         });

// Roles are cluster-wide and other tests create roles at the same time, so the role cases dump
// the cluster before and after the change and compare the roles named "{r}..." ({r} is unique
// to the test): a single-database diff compares the databases alone.
struct RoleCase {
  std::string name;
  std::string before;  // run first, then the first dump
  std::string change;  // run next, then the second dump
  std::vector<std::string> expected;
};

void PrintTo(const RoleCase& c, std::ostream* os) { *os << c.name; }

// The roles of a `pgtwin dump --format json` of `database` named `prefix` or `prefix_...`:
// name -> attributes.
std::map<std::string, std::map<std::string, std::string>> DumpRoles(const std::string& database,
                                                                    const std::string& prefix) {
  CommandResult r = RunPgtwin({"dump", "--source", DatabaseUri(database), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("SCRAM-SHA-256$"), std::string::npos) << "a password hash was printed";
  std::map<std::string, std::map<std::string, std::string>> roles;
  Json doc = Json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    ADD_FAILURE() << "pgtwin dump printed no JSON: " << r.out.substr(0, 300) << r.err;
    return roles;
  }
  for (const Json& child : doc.value("children", Json::array())) {
    std::string name = child.at("name").get<std::string>();
    bool ours = name == prefix || name.rfind(prefix + "_", 0) == 0;
    if (child.at("kind") != "role" || !ours) continue;
    auto& attrs = roles[name];
    const Json child_attrs = child.value("attrs", Json::object());
    for (const auto& [attr, value] : child_attrs.items()) {
      attrs[attr] = value.get<std::string>();
    }
  }
  return roles;
}

// The role differences between two dumps, in the case notation, sorted.
std::vector<std::string> RoleDifferences(
    const std::map<std::string, std::map<std::string, std::string>>& before,
    const std::map<std::string, std::map<std::string, std::string>>& after) {
  std::vector<std::string> lines;
  for (const auto& [name, attrs] : before) {
    auto it = after.find(name);
    if (it == after.end()) {
      lines.push_back("source_only role:" + name);
      continue;
    }
    std::set<std::string> changed;
    for (const auto& [attr, value] : attrs) {
      auto other = it->second.find(attr);
      if (other == it->second.end() || other->second != value) changed.insert(attr);
    }
    for (const auto& [attr, value] : it->second) {
      if (!attrs.count(attr)) changed.insert(attr);
    }
    if (changed.empty()) continue;
    std::string line = "changed role:" + name;
    for (const std::string& attr : changed) line += (attr == *changed.begin() ? " " : ",") + attr;
    lines.push_back(line);
  }
  for (const auto& [name, attrs] : after) {
    if (!before.count(name)) lines.push_back("target_only role:" + name);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<RoleCase> RoleCases() {
  const std::string base = "CREATE ROLE {r} LOGIN; CREATE ROLE {r}_g NOLOGIN;";
  return {
      {"role_unchanged", base, "", {}},
      {"role_added", base, "CREATE ROLE {r}_new", {"target_only role:{r}_new"}},
      {"role_dropped", base, "DROP ROLE {r}_g", {"source_only role:{r}_g"}},
      {"role_superuser", base, "ALTER ROLE {r} SUPERUSER", {"changed role:{r} superuser"}},
      {"role_createdb", base, "ALTER ROLE {r} CREATEDB", {"changed role:{r} createdb"}},
      {"role_createrole", base, "ALTER ROLE {r} CREATEROLE", {"changed role:{r} createrole"}},
      {"role_inherit", base, "ALTER ROLE {r} NOINHERIT", {"changed role:{r} inherit"}},
      {"role_login", base, "ALTER ROLE {r} NOLOGIN", {"changed role:{r} login"}},
      {"role_replication", base, "ALTER ROLE {r} REPLICATION", {"changed role:{r} replication"}},
      {"role_bypassrls", base, "ALTER ROLE {r} BYPASSRLS", {"changed role:{r} bypassrls"}},
      {"role_connection_limit",
       base,
       "ALTER ROLE {r} CONNECTION LIMIT 5",
       {"changed role:{r} connection_limit"}},
      {"role_valid_until",
       base,
       "ALTER ROLE {r} VALID UNTIL '2031-01-01 00:00:00+00'",
       {"changed role:{r} valid_until"}},
      {"role_password_set",
       base,
       "ALTER ROLE {r} PASSWORD 'secret-one'",
       {"changed role:{r} password"}},
      // Only whether a password is set is compared, never the hash.
      {"role_password_changed",
       base + "ALTER ROLE {r} PASSWORD 'secret-one';",
       "ALTER ROLE {r} PASSWORD 'secret-two'",
       {}},
      {"role_membership", base, "GRANT {r}_g TO {r}", {"changed role:{r} member_of"}},
      {"role_membership_admin_option",
       base + "GRANT {r}_g TO {r};",
       "GRANT {r}_g TO {r} WITH ADMIN OPTION",
       {"changed role:{r} member_of"}},
      {"role_setting",
       base,
       "ALTER ROLE {r} SET work_mem = '8MB'",
       {"changed role:{r} config.work_mem"}},
      {"role_comment", base, "COMMENT ON ROLE {r} IS 'a person'", {"changed role:{r} comment"}},
  };
}

class RoleFidelityTest : public ::testing::TestWithParam<RoleCase> {};

TEST_P(RoleFidelityTest, DumpShowsExactlyTheChange) {
  const RoleCase& c = GetParam();
  std::string database = CreateDatabase("fid_roles");
  // Unique across processes and runs on this server; role names are case-folded.
  std::string r = "fid_r" + database.substr(database.rfind('_', database.rfind('_') - 1));
  RunSql(database, ReplaceAll(c.before, "{r}", r));
  auto before = DumpRoles(database, r);
  EXPECT_TRUE(before.count(r) && before.count(r + "_g")) << "the dump lacks the roles " << r;
  if (!c.change.empty()) RunSql(database, ReplaceAll(c.change, "{r}", r));
  auto after = DumpRoles(database, r);

  std::vector<std::string> expected;
  for (const std::string& e : c.expected) expected.push_back(ReplaceAll(e, "{r}", r));
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(RoleDifferences(before, after), expected) << "change: " << c.change;

  RunSql(database, ReplaceAll("DROP ROLE IF EXISTS {r}, {r}_g, {r}_new", "{r}", r));
  DropDatabase(database);
}

INSTANTIATE_TEST_SUITE_P(Cases, RoleFidelityTest, ::testing::ValuesIn(RoleCases()),
                         [](const ::testing::TestParamInfo<RoleCase>& info) {
                           return info.param.name;
                         });

// A shard whose name appears inside its objects: a schema, a table, a constraint, a comment, a
// function body, a setting.
std::string CreateShard(const std::string& shard) {
  std::string db = CreateDatabase("accountdb_" + shard);
  RunSql(db, ReplaceAll(R"sql(
    CREATE SCHEMA part_{shard};
    CREATE TABLE part_{shard}.accounts_{shard} (
      id integer CONSTRAINT accounts_{shard}_pkey PRIMARY KEY,
      shard text DEFAULT 'accountdb_{shard}');
    COMMENT ON TABLE part_{shard}.accounts_{shard} IS 'accounts of accountdb_{shard}';
    CREATE FUNCTION public.shard_name() RETURNS text LANGUAGE sql
      AS $$SELECT 'accountdb_{shard}'$$;
  )sql",
                        "{shard}", shard));
  RunSql(db, "ALTER DATABASE " + db + " SET application_name = 'accountdb_" + shard + "'");
  return db;
}

TEST(DiffMapTest, MappedShardNamesCompareClean) {
  std::string p255 = CreateShard("p255");
  std::string p001 = CreateShard("p001");
  std::vector<std::string> args{"--source", DatabaseUri(p255), "--target", DatabaseUri(p001)};

  Json unmapped = DiffJson(args, 2);
  EXPECT_EQ(DifferenceLines(unmapped), (std::vector<std::string>{
                                           "changed database:" + p001 + " config.application_name",
                                           "changed function:public.shard_name() body",
                                           "source_only schema:part_p255",
                                           "target_only schema:part_p001",
                                       }));

  args.insert(args.end(), {"--map", "p255=p001"});
  Json mapped = DiffJson(args, 0);
  EXPECT_EQ(DifferenceLines(mapped), std::vector<std::string>{});
  DropDatabase(p255);
  DropDatabase(p001);
}

TEST(DiffIgnoreTest, IgnoredObjectsAreSkippedAndCounted) {
  std::string source = BaseSource();
  std::string target = CopyBase("ignore");
  RunSql(target, R"sql(
    CREATE TRIGGER _londiste_events AFTER INSERT ON fid.parent
      FOR EACH ROW EXECUTE FUNCTION fid.touch();
    CREATE TABLE fid_aux.audit_log (id integer);
    DROP TABLE fid_aux.lonely;
    COMMENT ON COLUMN fid.parent.label IS 'a label';
  )sql");
  std::vector<std::string> args{
      "--source", DatabaseUri(source),   "--target", DatabaseUri(target),
      "--ignore", "trigger:^_londiste_", "--ignore", "table:^fid_aux\\.(audit_|lonely$)"};

  Json doc = DiffJson(args, 2);
  EXPECT_EQ(DifferenceLines(doc),
            std::vector<std::string>{"changed column:fid.parent.label comment"});
  EXPECT_EQ(doc["summary"]["ignored"], 3) << doc["summary"].dump();
  EXPECT_EQ(doc["summary"]["column"]["changed"], 1) << doc["summary"].dump();

  // Ignoring the last real difference too leaves the databases identical: exit 0.
  args.insert(args.end(), {"--ignore", "column:^label$"});
  Json clean = DiffJson(args, 0);
  EXPECT_EQ(DifferenceLines(clean), std::vector<std::string>{});
  EXPECT_EQ(clean["summary"]["ignored"], 4) << clean["summary"].dump();
  DropDatabase(target);
}

}  // namespace
}  // namespace pgtwin::testing
