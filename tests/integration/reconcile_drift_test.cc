// Drift repaired by `pgtwin reconcile`, object kind by object kind, through the real CLI on the
// fixture's PostgreSQL 15. Each case makes the base schema, dumps it as the Prod snapshot and
// keeps it as the converged Test (a test of its own checks that reconcile builds the same from
// empty), changes Test by hand (drops an object, adds one, or alters one), and
// then expects a dry run to plan exactly the actions that repair that change (and to report
// exactly the objects added by hand as unmanaged), an apply to converge, and a second dry run
// to plan nothing. Cases are independent tests (a database and roles of their own), so ctest
// runs them in parallel.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "tests/integration/pg_test_env.h"
#include "tests/integration/reconcile_fixture.h"

namespace pgtwin::testing {
namespace {

// At least one object of every kind docs/model.md has inside a database, plus the test's own
// roles (attributes, membership, settings) and the database's settings, comment and ACL.
// Everything in the schemas is owned by {owner}.
constexpr char kBaseSql[] = R"sql(
  CREATE ROLE {prefix}_group NOLOGIN;
  CREATE ROLE {prefix}_app LOGIN CONNECTION LIMIT 5 VALID UNTIL '2030-01-01 00:00:00+00'
    IN ROLE {prefix}_group;
  ALTER ROLE {prefix}_app SET statement_timeout = '30s';
  COMMENT ON ROLE {prefix}_app IS 'the application';
  ALTER DATABASE {database} SET work_mem = '8MB';
  ALTER ROLE {prefix}_app IN DATABASE {database} SET search_path = app, public;
  COMMENT ON DATABASE {database} IS 'drift base';
  GRANT CREATE ON DATABASE {database} TO {prefix}_app;
  CREATE EXTENSION citext;
  CREATE EXTENSION pg_trgm;
  SET ROLE {owner};
  CREATE SCHEMA app;
  COMMENT ON SCHEMA app IS 'the application';
  GRANT USAGE ON SCHEMA app TO {reader}, {prefix}_app;
  CREATE SCHEMA aux;
  CREATE TABLE aux.notes (id integer PRIMARY KEY, body text);
  CREATE TYPE app.state AS ENUM ('new', 'paid', 'done');
  CREATE TYPE app.pair AS (a integer, b text);
  CREATE DOMAIN app.posint AS integer CONSTRAINT posint_check CHECK (VALUE > 0);
  CREATE TYPE app.floatrange AS RANGE (subtype = float8);
  CREATE SEQUENCE app.invoice_no START 1000;
  CREATE SEQUENCE app.ticket_no INCREMENT 2 MAXVALUE 100000 CACHE 10;
  GRANT USAGE ON SEQUENCE app.ticket_no TO {reader};
  CREATE TABLE app.customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email public.citext NOT NULL CONSTRAINT customers_email_key UNIQUE,
    name text NOT NULL DEFAULT '',
    state app.state NOT NULL DEFAULT 'new',
    score integer CONSTRAINT customers_score_check CHECK (score >= 0),
    note text);
  CREATE TABLE app.orders (
    id bigint PRIMARY KEY DEFAULT nextval('app.invoice_no'),
    customer_id bigint NOT NULL CONSTRAINT orders_customer_id_fkey REFERENCES app.customers (id),
    amount numeric(12, 2) NOT NULL CONSTRAINT orders_amount_check CHECK (amount >= 0),
    qty app.posint,
    during tstzrange,
    CONSTRAINT orders_no_overlap EXCLUDE USING gist (during WITH &&));
  ALTER SEQUENCE app.invoice_no OWNED BY app.orders.id;
  CREATE INDEX orders_customer_idx ON app.orders (customer_id);
  CREATE INDEX customers_name_idx ON app.customers (lower(name)) WHERE note IS NULL;
  CREATE TABLE app.events (id bigint NOT NULL, at date NOT NULL, payload text)
    PARTITION BY RANGE (at);
  CREATE TABLE app.events_2025 PARTITION OF app.events
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
  CREATE TABLE app.events_2026 PARTITION OF app.events
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
  CREATE INDEX events_at_idx ON app.events (at);
  CREATE FUNCTION app.total(bigint) RETURNS numeric LANGUAGE sql STABLE
    AS $$SELECT coalesce(sum(amount), 0) FROM app.orders WHERE customer_id = $1$$;
  CREATE FUNCTION app.shout(x text) RETURNS text LANGUAGE plpgsql IMMUTABLE
    AS $$BEGIN RETURN upper(x); END$$;
  CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql
    AS $$BEGIN NEW.note := coalesce(NEW.note, ''); RETURN NEW; END$$;
  CREATE TRIGGER customers_touch BEFORE INSERT OR UPDATE ON app.customers
    FOR EACH ROW EXECUTE FUNCTION app.touch();
  CREATE PROCEDURE app.close_order(order_id bigint) LANGUAGE sql
    AS $$UPDATE app.orders SET amount = 0 WHERE id = order_id$$;
  CREATE FUNCTION app.sq_acc(bigint, integer) RETURNS bigint LANGUAGE sql IMMUTABLE
    AS 'SELECT $1 + $2 * $2';
  CREATE AGGREGATE app.sum_sq(integer) (sfunc = app.sq_acc, stype = bigint, initcond = '0');
  CREATE VIEW app.customer_totals AS
    SELECT c.id, c.name, app.total(c.id) AS total FROM app.customers c;
  CREATE MATERIALIZED VIEW app.order_stats AS
    SELECT customer_id, count(*) AS n FROM app.orders GROUP BY customer_id;
  CREATE INDEX order_stats_customer_idx ON app.order_stats (customer_id);
  COMMENT ON TABLE app.customers IS 'people who order';
  COMMENT ON COLUMN app.customers.name IS 'full name';
  COMMENT ON FUNCTION app.shout(text) IS 'louder';
  GRANT SELECT ON app.customer_totals TO {reader};
  GRANT SELECT, INSERT ON app.orders TO {prefix}_app;
  GRANT SELECT (id, name) ON app.customers TO {reader};
  REVOKE EXECUTE ON FUNCTION app.shout(text) FROM PUBLIC;
  GRANT EXECUTE ON FUNCTION app.shout(text) TO {prefix}_app;
  RESET ROLE;
)sql";

using ReconcileDriftBaseTest = ReconcileFixture;

// The base the cases start from is what reconcile builds from empty (the cases save that time:
// they keep the source database as the converged Test).
TEST_F(ReconcileDriftBaseTest, BuildsTheBaseFromEmpty) {
  MakeProd(kBaseSql);
  ASSERT_FALSE(HasFatalFailure());
  std::string spec = WriteSpec("", IgnoreOthersYaml());
  nlohmann::json built = ReconcileJson(spec, {}, 0);
  EXPECT_EQ(built["result"]["converged"], true) << built.dump(2);
  CommandResult diff =
      RunPgtwin({"diff", "--source", dir_ + "/prod/databases/" + database_ + ".json", "--target",
                 DatabaseConninfo(database_)});
  EXPECT_EQ(diff.exit_code, 0) << diff.out << diff.err;
  nlohmann::json again = ReconcileJson(spec, {"--dry-run"}, 0);
  EXPECT_EQ(again["actions"].size(), 0u) << again["actions"].dump(2);
  EXPECT_EQ(again["unmanaged"].size(), 0u) << again["unmanaged"].dump(2);
}

// One change made by hand in a converged Test.
struct DriftCase {
  std::string name;
  std::string sql;                   // run in the Test database, placeholders as kBaseSql's
  std::vector<std::string> actions;  // exactly the plan: "op key" each, in any order
  // Exactly the keys reported as unmanaged: kept, or with `prune` dropped by the plan.
  std::vector<std::string> unmanaged = {};
  bool prune = false;  // reconcile with --prune
  // Non-empty: what policy says of the actions (each one's blocked_by holds it). Nothing runs:
  // the dry run exits 3, the apply 1, and the next dry run plans the same again.
  std::string blocked = "";
};

void PrintTo(const DriftCase& c, std::ostream* os) { *os << c.name; }

class ReconcileDriftTest : public ReconcileFixture,
                           public ::testing::WithParamInterface<DriftCase> {
 protected:
  // `text` with the placeholders of kBaseSql replaced.
  std::string Fill(const std::string& text) const {
    std::string filled = Replace(Replace(text, "{owner}", owner_), "{reader}", reader_);
    return Replace(Replace(filled, "{database}", database_), "{prefix}", prefix_);
  }

  std::vector<std::string> Fill(const std::vector<std::string>& texts) const {
    std::vector<std::string> filled;
    for (const std::string& text : texts) filled.push_back(Fill(text));
    return filled;
  }
};

// "op key" of every action of a JSON plan.
std::vector<std::string> OpsAndKeys(const nlohmann::json& plan) {
  std::vector<std::string> out;
  for (const auto& action : plan["actions"]) {
    out.push_back(action["op"].get<std::string>() + " " + action["key"].get<std::string>());
  }
  return out;
}

// The keys of a JSON plan's unmanaged objects whose "kept" is `kept`.
std::vector<std::string> Unmanaged(const nlohmann::json& plan, bool kept) {
  std::vector<std::string> out;
  for (const auto& object : plan["unmanaged"]) {
    if (object["kept"] == kept) out.push_back(object["key"]);
  }
  return out;
}

TEST_P(ReconcileDriftTest, RepairsTheChangeAndOnlyIt) {
  const DriftCase& c = GetParam();
  MakeProdAndTest(kBaseSql);
  ASSERT_FALSE(HasFatalFailure());
  std::string spec = WriteSpec("", IgnoreOthersYaml());

  RunSql(database_, Fill(c.sql));
  std::vector<std::string> args = {"--dry-run"};
  if (c.prune) args.push_back("--prune");
  nlohmann::json plan =
      ReconcileJson(spec, args, c.actions.empty() ? 0 : (c.blocked.empty() ? 2 : 3));
  EXPECT_THAT(OpsAndKeys(plan), ::testing::UnorderedElementsAreArray(Fill(c.actions)))
      << plan["actions"].dump(2);
  for (const auto& action : plan["actions"]) {
    std::string blocked_by = action["blocked_by"].is_null() ? "" : action["blocked_by"];
    if (c.blocked.empty()) {
      EXPECT_EQ(blocked_by, "") << action.dump(2);
    } else {
      EXPECT_THAT(blocked_by, ::testing::HasSubstr(c.blocked)) << action.dump(2);
    }
  }
  EXPECT_THAT(Unmanaged(plan, !c.prune), ::testing::UnorderedElementsAreArray(Fill(c.unmanaged)))
      << plan["unmanaged"].dump(2);
  EXPECT_THAT(Unmanaged(plan, c.prune), ::testing::IsEmpty()) << plan["unmanaged"].dump(2);

  args.erase(args.begin());
  nlohmann::json applied = ReconcileJson(spec, args, c.blocked.empty() ? 0 : 1);
  EXPECT_EQ(applied["result"]["converged"], c.blocked.empty()) << applied.dump(2);
  EXPECT_EQ(applied["result"]["failed"], 0) << applied.dump(2);

  nlohmann::json again = ReconcileJson(spec, {"--dry-run"}, c.blocked.empty() ? 0 : 3);
  EXPECT_THAT(OpsAndKeys(again),
              ::testing::UnorderedElementsAreArray(c.blocked.empty() ? std::vector<std::string>{}
                                                                     : Fill(c.actions)))
      << again["actions"].dump(2);
  EXPECT_THAT(Unmanaged(again, true),
              ::testing::UnorderedElementsAreArray(c.prune ? std::vector<std::string>{}
                                                           : Fill(c.unmanaged)));
}

std::vector<DriftCase> Cases() {
  const std::string app = "role:{prefix}_app";
  const std::string db = "database:{database}";
  return {
      // (a) an object dropped by hand is created again
      {"drop_schema",
       "DROP SCHEMA aux CASCADE",
       {"create schema:aux", "create table:aux.notes", "create constraint:aux.notes.notes_pkey"}},
      {"drop_table",
       "DROP TABLE aux.notes",
       {"create table:aux.notes", "create constraint:aux.notes.notes_pkey"}},
      {"drop_column_takes_its_index",
       "ALTER TABLE app.customers DROP COLUMN note",
       {"create column:app.customers.note", "create index:app.customers.customers_name_idx"}},
      {"drop_partition", "DROP TABLE app.events_2026", {"create table:app.events_2026"}},
      {"drop_primary_key",
       "ALTER TABLE aux.notes DROP CONSTRAINT notes_pkey",
       {"create constraint:aux.notes.notes_pkey"}},
      {"drop_unique",
       "ALTER TABLE app.customers DROP CONSTRAINT customers_email_key",
       {"create constraint:app.customers.customers_email_key"}},
      {"drop_check",
       "ALTER TABLE app.orders DROP CONSTRAINT orders_amount_check",
       {"create constraint:app.orders.orders_amount_check"}},
      {"drop_foreign_key",
       "ALTER TABLE app.orders DROP CONSTRAINT orders_customer_id_fkey",
       {"create constraint:app.orders.orders_customer_id_fkey"}},
      {"drop_exclusion",
       "ALTER TABLE app.orders DROP CONSTRAINT orders_no_overlap",
       {"create constraint:app.orders.orders_no_overlap"}},
      {"drop_index",
       "DROP INDEX app.orders_customer_idx",
       {"create index:app.orders.orders_customer_idx"}},
      {"drop_partitioned_index",
       "DROP INDEX app.events_at_idx",
       {"create index:app.events.events_at_idx"}},
      {"drop_trigger",
       "DROP TRIGGER customers_touch ON app.customers",
       {"create trigger:app.customers.customers_touch"}},
      {"drop_sequence", "DROP SEQUENCE app.ticket_no", {"create sequence:app.ticket_no"}},
      {"drop_view", "DROP VIEW app.customer_totals", {"create view:app.customer_totals"}},
      {"drop_materialized_view",
       "DROP MATERIALIZED VIEW app.order_stats",
       {"create materialized_view:app.order_stats",
        "create index:app.order_stats.order_stats_customer_idx"}},
      {"drop_function", "DROP FUNCTION app.shout(text)", {"create function:app.shout(text)"}},
      {"drop_procedure",
       "DROP PROCEDURE app.close_order(bigint)",
       {"create procedure:app.close_order(bigint)"}},
      {"drop_aggregate",
       "DROP AGGREGATE app.sum_sq(integer)",
       {"create aggregate:app.sum_sq(integer)"}},
      {"drop_composite_type", "DROP TYPE app.pair", {"create type:app.pair"}},
      {"drop_range_type", "DROP TYPE app.floatrange", {"create type:app.floatrange"}},
      {"drop_extension", "DROP EXTENSION pg_trgm", {"create extension:pg_trgm"}},
      {"drop_role",
       "DROP OWNED BY {prefix}_app; DROP ROLE {prefix}_app",
       {"create " + app, "alter " + app, "alter " + db, "alter schema:app",
        "alter table:app.orders", "alter function:app.shout(text)"}},
      {"drop_comment", "COMMENT ON TABLE app.customers IS NULL", {"alter table:app.customers"}},
      {"drop_grant",
       "REVOKE SELECT ON app.customer_totals FROM {reader}",
       {"alter view:app.customer_totals"}},
      {"drop_column_grant",
       "REVOKE SELECT (name) ON app.customers FROM {reader}",
       {"alter column:app.customers.name"}},
      {"drop_membership", "REVOKE {prefix}_group FROM {prefix}_app", {"alter " + app}},
      {"drop_role_setting", "ALTER ROLE {prefix}_app RESET statement_timeout", {"alter " + app}},
      {"drop_database_setting", "ALTER DATABASE {database} RESET work_mem", {"alter " + db}},
      {"drop_role_setting_in_database",
       "ALTER ROLE {prefix}_app IN DATABASE {database} RESET search_path",
       {"alter " + db}},
      {"drop_owned_by",
       "ALTER SEQUENCE app.invoice_no OWNED BY NONE",
       {"alter sequence:app.invoice_no"}},

      // (b) an object added by hand is reported as unmanaged and kept...
      {"extra_table", "CREATE TABLE app.scratch (a int)", {}, {"table:app.scratch"}},
      {"extra_column",
       "ALTER TABLE app.customers ADD COLUMN nickname text",
       {},
       {"column:app.customers.nickname"}},
      {"extra_index",
       "CREATE INDEX customers_state_idx ON app.customers (state)",
       {},
       {"index:app.customers.customers_state_idx"}},
      {"extra_constraint",
       "ALTER TABLE app.orders ADD CONSTRAINT orders_qty_check CHECK (qty < 100)",
       {},
       {"constraint:app.orders.orders_qty_check"}},
      {"extra_function",
       "CREATE FUNCTION app.dev() RETURNS int LANGUAGE sql AS 'SELECT 1'",
       {},
       {"function:app.dev()"}},
      {"extra_schema",
       "CREATE SCHEMA dev; CREATE TABLE dev.t (a int)",
       {},
       {"schema:dev"}},  // its table is reported with it
      {"extra_role", "CREATE ROLE {prefix}_dev", {}, {"role:{prefix}_dev"}},
      // ... and dropped with --prune.
      {"prune_table",
       "CREATE TABLE app.scratch (a int)",
       {"drop table:app.scratch"},
       {"table:app.scratch"},
       true},
      {"prune_column",
       "ALTER TABLE app.customers ADD COLUMN nickname text",
       {"drop column:app.customers.nickname"},
       {"column:app.customers.nickname"},
       true},
      {"prune_index",
       "CREATE INDEX customers_state_idx ON app.customers (state)",
       {"drop index:app.customers.customers_state_idx"},
       {"index:app.customers.customers_state_idx"},
       true},
      {"prune_schema",
       "CREATE SCHEMA dev; CREATE TABLE dev.t (a int)",
       {"drop schema:dev", "drop table:dev.t"},
       {"schema:dev"},
       true},
      {"prune_role",
       "CREATE ROLE {prefix}_dev",
       {"drop role:{prefix}_dev"},
       {"role:{prefix}_dev"},
       true},

      // (c) an alteration is set back
      {"column_type",
       "ALTER TABLE app.customers ALTER COLUMN score TYPE smallint",
       {"alter column:app.customers.score"}},
      {"column_default",
       "ALTER TABLE app.customers ALTER COLUMN name SET DEFAULT 'anonymous'",
       {"alter column:app.customers.name"}},
      {"column_not_null",
       "ALTER TABLE app.customers ALTER COLUMN note SET NOT NULL",
       {"alter column:app.customers.note"}},
      {"column_renamed",
       "ALTER TABLE app.customers RENAME COLUMN note TO memo",
       {"create column:app.customers.note", "replace index:app.customers.customers_name_idx"},
       {"column:app.customers.memo"}},
      {"function_body",
       "CREATE OR REPLACE FUNCTION app.shout(x text) RETURNS text LANGUAGE plpgsql IMMUTABLE "
       "AS $$BEGIN RETURN upper(x) || '!'; END$$",
       {"alter function:app.shout(text)"}},
      {"function_volatility",
       "ALTER FUNCTION app.shout(text) STABLE",
       {"alter function:app.shout(text)"}},
      {"procedure_body",
       "CREATE OR REPLACE PROCEDURE app.close_order(order_id bigint) LANGUAGE sql "
       "AS $$UPDATE app.orders SET amount = 1 WHERE id = order_id$$",
       {"alter procedure:app.close_order(bigint)"}},
      {"aggregate_initcond",
       "CREATE OR REPLACE AGGREGATE app.sum_sq(integer) "
       "(sfunc = app.sq_acc, stype = bigint, initcond = '1')",
       {"alter aggregate:app.sum_sq(integer)"}},
      {"view_definition",
       "CREATE OR REPLACE VIEW app.customer_totals AS SELECT c.id, c.name, app.total(c.id) AS "
       "total FROM app.customers c WHERE c.id > 0",
       {"alter view:app.customer_totals"}},
      {"materialized_view_definition",
       "DROP MATERIALIZED VIEW app.order_stats; CREATE MATERIALIZED VIEW app.order_stats AS "
       "SELECT customer_id, sum(amount) AS n FROM app.orders GROUP BY customer_id; "
       "ALTER MATERIALIZED VIEW app.order_stats OWNER TO {owner}; "
       "CREATE INDEX order_stats_customer_idx ON app.order_stats (customer_id)",
       {"replace materialized_view:app.order_stats",
        "create index:app.order_stats.order_stats_customer_idx"}},
      {"index_definition",
       "DROP INDEX app.orders_customer_idx; "
       "CREATE INDEX orders_customer_idx ON app.orders (customer_id, id)",
       {"replace index:app.orders.orders_customer_idx"}},
      {"check_definition",
       "ALTER TABLE app.orders DROP CONSTRAINT orders_amount_check, "
       "ADD CONSTRAINT orders_amount_check CHECK (amount > 0)",
       {"replace constraint:app.orders.orders_amount_check"}},
      {"foreign_key_definition",
       "ALTER TABLE app.orders DROP CONSTRAINT orders_customer_id_fkey, "
       "ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) "
       "REFERENCES app.customers (id) ON DELETE CASCADE",
       {"replace constraint:app.orders.orders_customer_id_fkey"}},
      // Prod has a label Test lacks: added in place.
      {"enum_label_missing",
       "ALTER TABLE app.customers ALTER COLUMN state DROP DEFAULT, "
       "ALTER COLUMN state TYPE text; DROP TYPE app.state; "
       "CREATE TYPE app.state AS ENUM ('new', 'paid'); ALTER TYPE app.state OWNER TO {owner}; "
       "ALTER TABLE app.customers ALTER COLUMN state TYPE app.state USING state::app.state, "
       "ALTER COLUMN state SET DEFAULT 'new'",
       {"alter type:app.state"}},
      // Test has a label Prod lacks: only a new type can drop it, and a column uses the type.
      {"enum_label_added",
       "ALTER TYPE app.state ADD VALUE 'refunded'",
       {"replace type:app.state"},
       {},
       false,
       "column app.customers.state"},
      {"domain_constraint",
       "ALTER DOMAIN app.posint DROP CONSTRAINT posint_check; "
       "ALTER DOMAIN app.posint ADD CONSTRAINT posint_check CHECK (VALUE > 1)",
       {"alter type:app.posint"}},
      {"composite_attribute_type",
       "ALTER TYPE app.pair ALTER ATTRIBUTE a TYPE bigint",
       {"alter type:app.pair"}},
      {"sequence_options",
       "ALTER SEQUENCE app.ticket_no INCREMENT 5 CACHE 1",
       {"alter sequence:app.ticket_no"}},
      {"trigger_disabled",
       "ALTER TABLE app.customers DISABLE TRIGGER customers_touch",
       {"alter trigger:app.customers.customers_touch"}},
      {"table_options",
       "ALTER TABLE app.customers SET (fillfactor = 70)",
       {"alter table:app.customers"}},
      {"partition_bound",
       "ALTER TABLE app.events DETACH PARTITION app.events_2026; "
       "ALTER TABLE app.events ATTACH PARTITION app.events_2026 "
       "FOR VALUES FROM ('2026-01-01') TO ('2026-07-01')",
       {"alter table:app.events_2026"}},
      {"owner_table", "ALTER TABLE app.customers OWNER TO {reader}", {"alter table:app.customers"}},
      {"owner_function",
       "ALTER FUNCTION app.total(bigint) OWNER TO {reader}",
       {"alter function:app.total(bigint)"}},
      {"owner_schema", "ALTER SCHEMA aux OWNER TO {reader}", {"alter schema:aux"}},
      {"owner_type", "ALTER TYPE app.state OWNER TO {reader}", {"alter type:app.state"}},
      {"grant_table", "GRANT UPDATE ON app.customers TO {reader}", {"alter table:app.customers"}},
      {"grant_schema", "GRANT CREATE ON SCHEMA app TO {reader}", {"alter schema:app"}},
      {"grant_function",
       "GRANT EXECUTE ON FUNCTION app.shout(text) TO PUBLIC",
       {"alter function:app.shout(text)"}},
      {"comment_column",
       "COMMENT ON COLUMN app.customers.name IS 'changed'",
       {"alter column:app.customers.name"}},
      {"comment_index",
       "COMMENT ON INDEX app.orders_customer_idx IS 'by customer'",
       {"alter index:app.orders.orders_customer_idx"}},
      {"database_setting", "ALTER DATABASE {database} SET work_mem = '16MB'", {"alter " + db}},
      {"database_grant", "GRANT CREATE ON DATABASE {database} TO {reader}", {"alter " + db}},
      {"database_comment", "COMMENT ON DATABASE {database} IS 'changed'", {"alter " + db}},
      {"role_attributes", "ALTER ROLE {prefix}_app NOLOGIN CONNECTION LIMIT 9", {"alter " + app}},
      {"role_setting", "ALTER ROLE {prefix}_app SET statement_timeout = '1min'", {"alter " + app}},
      {"role_valid_until", "ALTER ROLE {prefix}_app VALID UNTIL '2031-01-01'", {"alter " + app}},
  };
}

INSTANTIATE_TEST_SUITE_P(Kinds, ReconcileDriftTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<DriftCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace pgtwin::testing
