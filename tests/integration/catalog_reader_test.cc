// The catalog provider against a real PostgreSQL 15: what ReadCluster returns for a database
// holding every kind and attribute of docs/model.md, what it leaves out, how many queries it
// sends, and how it fails.
#include "providers/postgres/catalog_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "model/object.h"
#include "tests/integration/debian_schemas.h"
#include "tests/integration/pg_test_env.h"

namespace pgtwin {
namespace {

using testing::CreateDatabase;
using testing::DatabaseConninfo;
using testing::DropDatabase;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunSql;
using testing::TestServerConninfo;
using testing::TestServerPort;

// The child of that kind and name; fails the test (and returns an empty node) when missing.
const Object& Child(const Object& parent, ObjectKind kind, const std::string& name) {
  static const Object kMissing;
  const Object* child = parent.FindChild(kind, name);
  if (child == nullptr) {
    ADD_FAILURE() << "no " << KindName(kind) << " '" << name << "' under '" << parent.name() << "'";
    return kMissing;
  }
  return *child;
}

Object Read(const std::string& conninfo, CatalogReadOptions options = {},
            CatalogReadStats* stats = nullptr) {
  StatusOr<Object> cluster = ReadCluster(conninfo, options, stats);
  EXPECT_TRUE(cluster.ok()) << cluster.status().message();
  return cluster.ok() ? std::move(cluster).value() : Object();
}

// Databases and roles made by a test are dropped after it. Roles are shared by the whole
// server and tests run in parallel processes, so roles are named after the test's database.
class CatalogReaderTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const std::string& db : databases_) DropDatabase(db);
    for (auto it = roles_.rbegin(); it != roles_.rend(); ++it) {
      RunSql("postgres", "DROP ROLE IF EXISTS \"" + *it + "\"");
    }
  }
  std::string MakeDatabase(const std::string& prefix, const std::string& sql = "") {
    databases_.push_back(CreateDatabase(prefix, sql));
    return databases_.back();
  }
  // A role name for this test (the role itself is created by the test).
  std::string RoleName(const std::string& suffix) {
    roles_.push_back(databases_.front() + "_" + suffix);
    return roles_.back();
  }
  std::vector<std::string> databases_;
  std::vector<std::string> roles_;
};

// Every object kind and attribute the model names, with the shapes the reader must leave out.
std::string ShopSchema(const std::string& owner, const std::string& reader) {
  return R"sql(
CREATE EXTENSION hstore WITH SCHEMA public;
CREATE SCHEMA billing AUTHORIZATION )sql" +
         owner + R"sql(;
COMMENT ON SCHEMA billing IS 'money';
GRANT USAGE ON SCHEMA billing TO )sql" +
         reader + R"sql(;
SET search_path = billing;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
COMMENT ON TYPE mood IS 'feelings';
CREATE TYPE address AS (street text, city text COLLATE "C", zip integer);
CREATE DOMAIN positive_amount AS numeric(12,2) NOT NULL DEFAULT 0
  CONSTRAINT amount_positive CHECK (VALUE >= 0);
CREATE TYPE floatrange AS RANGE (subtype = float8);
CREATE SEQUENCE invoice_no AS integer START 1000 INCREMENT 5 CACHE 10 CYCLE;
COMMENT ON SEQUENCE invoice_no IS 'numbers';
CREATE TABLE customers (
  id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10) PRIMARY KEY,
  name text NOT NULL COLLATE "C",
  mood mood DEFAULT 'ok',
  email text UNIQUE,
  tags public.hstore,
  name_len integer GENERATED ALWAYS AS (length(name)) STORED,
  CONSTRAINT name_known CHECK (name <> '?')
);
ALTER TABLE customers ADD CONSTRAINT name_not_empty CHECK (name <> '') NOT VALID;
ALTER TABLE customers DROP COLUMN email;
ALTER TABLE customers ADD COLUMN email text;
COMMENT ON TABLE customers IS 'who buys';
COMMENT ON COLUMN customers.name IS 'full name';
COMMENT ON CONSTRAINT name_not_empty ON customers IS 'no blanks';
GRANT SELECT ON customers TO )sql" +
         reader + R"sql(;
GRANT UPDATE (name) ON customers TO )sql" +
         reader + R"sql(;
CREATE TABLE invoices (
  id serial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED,
  amount positive_amount,
  created_at timestamptz NOT NULL DEFAULT now(),
  during tstzrange,
  EXCLUDE USING gist (during WITH &&)
) WITH (fillfactor = 70, autovacuum_enabled = false);
ALTER TABLE invoices REPLICA IDENTITY FULL;
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE INDEX invoices_recent ON invoices (created_at DESC) WHERE amount > 0;
CREATE INDEX invoices_customer ON invoices (customer_id);
CLUSTER invoices USING invoices_customer;
COMMENT ON INDEX invoices_recent IS 'recent first';
CREATE UNLOGGED TABLE scratch (k int, v text);
CREATE SEQUENCE scratch_k_seq OWNED BY scratch.k;
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, payload text,
                     PRIMARY KEY (id, at), CHECK (id > 0)) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events
  FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX events_payload ON events (payload);
CREATE INDEX events_2025_local ON events_2025 (id);
CREATE TABLE base_log (id int, msg text, CHECK (id > 0));
CREATE TABLE child_log (extra text) INHERITS (base_log);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql
  AS $$BEGIN NEW.created_at := now(); RETURN NEW; END$$;
CREATE TRIGGER invoices_touch BEFORE INSERT ON invoices
  FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER invoices_audit AFTER UPDATE ON invoices FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE invoices DISABLE TRIGGER invoices_audit;
COMMENT ON TRIGGER invoices_touch ON invoices IS 'stamp';
CREATE TRIGGER events_touch BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION touch();
CREATE FUNCTION add(a integer, b integer) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT a + b';
CREATE FUNCTION add(a text, b text) RETURNS text LANGUAGE sql STABLE LEAKPROOF COST 5
  BEGIN ATOMIC SELECT a || b; END;
CREATE FUNCTION series(n int) RETURNS SETOF int LANGUAGE sql ROWS 10
  AS 'SELECT generate_series(1, n)';
CREATE FUNCTION secret() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = billing, pg_temp SET work_mem = '1MB' AS $$BEGIN END$$;
COMMENT ON FUNCTION add(integer, integer) IS 'sum';
REVOKE EXECUTE ON FUNCTION secret() FROM PUBLIC;
CREATE PROCEDURE bump(INOUT n int) LANGUAGE plpgsql AS $$BEGIN n := n + 1; END$$;
CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');
CREATE VIEW big_invoices WITH (security_barrier) AS
  SELECT id, amount FROM invoices WHERE amount > 100;
COMMENT ON VIEW big_invoices IS 'large';
CREATE FUNCTION no_write() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;
CREATE TRIGGER big_invoices_insert INSTEAD OF INSERT ON big_invoices
  FOR EACH ROW EXECUTE FUNCTION no_write();
CREATE MATERIALIZED VIEW customer_moods AS SELECT mood, count(*) AS n FROM customers GROUP BY mood;
CREATE UNIQUE INDEX customer_moods_mood ON customer_moods (mood);
ALTER TABLE customers OWNER TO )sql" +
         owner + ";";
}

TEST_F(CatalogReaderTest, ReadsEveryKindAndAttribute) {
  std::string db = MakeDatabase("catshop");
  std::string owner = RoleName("owner"), reader = RoleName("reader"), alice = RoleName("alice");
  RunSql("postgres", "CREATE ROLE " + owner + " NOLOGIN; CREATE ROLE " + reader +
                         " NOLOGIN NOINHERIT; CREATE ROLE " + alice +
                         " LOGIN PASSWORD 'pw-in-test' CONNECTION LIMIT 5 "
                         "VALID UNTIL '2030-01-01 00:00:00+00'; "
                         "GRANT " +
                         reader + " TO " + alice +
                         " WITH ADMIN OPTION; "
                         "GRANT " +
                         owner + " TO " + alice +
                         "; "
                         "ALTER ROLE " +
                         alice +
                         " SET work_mem = '8MB'; "
                         "COMMENT ON ROLE " +
                         alice +
                         " IS 'first user'; "
                         "ALTER DATABASE " +
                         db + " OWNER TO " + owner +
                         "; "
                         "ALTER DATABASE " +
                         db +
                         " CONNECTION LIMIT 50; "
                         "ALTER DATABASE " +
                         db +
                         " SET statement_timeout = '30s'; "
                         "ALTER ROLE " +
                         alice + " IN DATABASE " + db +
                         " SET work_mem = '16MB'; "
                         "COMMENT ON DATABASE " +
                         db +
                         " IS 'the shop'; "
                         "GRANT CONNECT ON DATABASE " +
                         db + " TO " + reader);
  RunSql(db, ShopSchema(owner, reader));

  CatalogReadStats stats;
  Object cluster = Read(DatabaseConninfo(db), {}, &stats);
  EXPECT_EQ(cluster.Attr("major_version"), "15");
  EXPECT_EQ(stats.databases, 1u);
  ASSERT_EQ(cluster.children().size(),
            std::count_if(cluster.children().begin(), cluster.children().end(),
                          [](const Object& o) { return o.kind() == ObjectKind::kRole; }) +
                1)
      << "a conninfo naming a database reads that database only";
  EXPECT_EQ(cluster.FindChild(ObjectKind::kRole, "pg_monitor"), nullptr);

  const Object& a = Child(cluster, ObjectKind::kRole, alice);
  EXPECT_EQ(a.Attr("login"), "true");
  EXPECT_EQ(a.Attr("inherit"), "true");
  EXPECT_EQ(a.Attr("connection_limit"), "5");
  EXPECT_EQ(a.Attr("valid_until"), "2030-01-01 00:00:00+00");
  EXPECT_EQ(a.Attr("password"), "set");
  EXPECT_EQ(a.Attr("member_of"), owner + ", " + reader + " (admin)");
  EXPECT_EQ(a.Attr("config.work_mem"), "8MB");
  EXPECT_EQ(a.Attr("comment"), "first user");
  const Object& r = Child(cluster, ObjectKind::kRole, reader);
  EXPECT_FALSE(r.HasAttr("inherit"));
  EXPECT_FALSE(r.HasAttr("password"));
  EXPECT_FALSE(r.HasAttr("login"));
  EXPECT_EQ(Child(cluster, ObjectKind::kRole, "postgres").Attr("superuser"), "true");

  const Object& d = Child(cluster, ObjectKind::kDatabase, db);
  EXPECT_EQ(d.Attr("owner"), owner);
  EXPECT_EQ(d.Attr("encoding"), "UTF8");
  EXPECT_EQ(d.Attr("connection_limit"), "50");
  EXPECT_EQ(d.Attr("allow_connections"), "true");
  EXPECT_EQ(d.Attr("config.statement_timeout"), "30s");
  EXPECT_EQ(d.Attr("role_config." + alice + ".work_mem"), "16MB");
  EXPECT_EQ(d.Attr("comment"), "the shop");
  EXPECT_THAT(d.Attr("acl"), HasSubstr(reader + "=c/" + owner));
  EXPECT_FALSE(d.HasAttr("locale_provider"));  // libc
  EXPECT_EQ(Child(d, ObjectKind::kExtension, "hstore").Attr("schema"), "public");
  EXPECT_EQ(Child(d, ObjectKind::kExtension, "plpgsql").Attr("version"), "1.0");
  EXPECT_EQ(Child(d, ObjectKind::kSchema, "public").Attr("owner"), "pg_database_owner");
  EXPECT_EQ(d.FindChild(ObjectKind::kSchema, "pg_catalog"), nullptr);
  EXPECT_EQ(d.FindChild(ObjectKind::kSchema, "information_schema"), nullptr);

  const Object& s = Child(d, ObjectKind::kSchema, "billing");
  EXPECT_EQ(s.Attr("owner"), owner);
  EXPECT_EQ(s.Attr("comment"), "money");
  EXPECT_EQ(s.Attr("acl"), owner + "=UC/" + owner + ", " + reader + "=U/" + owner);

  const Object& mood = Child(s, ObjectKind::kType, "mood");
  EXPECT_EQ(mood.Attr("type_kind"), "enum");
  EXPECT_EQ(mood.Attr("labels"), "'sad', 'ok', 'happy'");
  EXPECT_EQ(mood.Attr("comment"), "feelings");
  EXPECT_EQ(Child(s, ObjectKind::kType, "address").Attr("attributes"),
            "street text, city text COLLATE \"C\", zip integer");
  const Object& amount = Child(s, ObjectKind::kType, "positive_amount");
  EXPECT_EQ(amount.Attr("type_kind"), "domain");
  EXPECT_EQ(amount.Attr("base_type"), "numeric(12,2)");
  EXPECT_EQ(amount.Attr("not_null"), "true");
  EXPECT_EQ(amount.Attr("default"), "0");
  EXPECT_EQ(amount.Attr("constraint.amount_positive"), "CHECK ((VALUE >= (0)::numeric))");
  EXPECT_EQ(Child(s, ObjectKind::kType, "floatrange").Attr("subtype"), "double precision");
  // Row types, arrays, multiranges and range constructors are not objects of their own.
  EXPECT_EQ(s.FindChild(ObjectKind::kType, "customers"), nullptr);
  EXPECT_EQ(s.FindChild(ObjectKind::kType, "_mood"), nullptr);
  EXPECT_EQ(s.FindChild(ObjectKind::kType, "floatmultirange"), nullptr);
  EXPECT_EQ(s.FindChild(ObjectKind::kFunction, "floatrange(double precision, double precision)"),
            nullptr);

  const Object& seq = Child(s, ObjectKind::kSequence, "invoice_no");
  EXPECT_EQ(seq.Attr("data_type"), "integer");
  EXPECT_EQ(seq.Attr("start"), "1000");
  EXPECT_EQ(seq.Attr("increment"), "5");
  EXPECT_EQ(seq.Attr("cache"), "10");
  EXPECT_EQ(seq.Attr("cycle"), "true");
  EXPECT_FALSE(seq.HasAttr("min_value"));
  EXPECT_FALSE(seq.HasAttr("max_value"));
  EXPECT_EQ(seq.Attr("comment"), "numbers");
  EXPECT_EQ(Child(s, ObjectKind::kSequence, "invoices_id_seq").Attr("owned_by"),
            "billing.invoices.id");
  EXPECT_EQ(Child(s, ObjectKind::kSequence, "scratch_k_seq").Attr("owned_by"), "billing.scratch.k");
  EXPECT_EQ(s.FindChild(ObjectKind::kSequence, "customers_id_seq"), nullptr)
      << "identity sequences are described by their column";

  const Object& customers = Child(s, ObjectKind::kTable, "customers");
  EXPECT_EQ(customers.Attr("owner"), owner);
  EXPECT_EQ(customers.Attr("comment"), "who buys");
  EXPECT_EQ(customers.Attr("acl"), owner + "=arwdDxt/" + owner + ", " + reader + "=r/" + owner);
  const Object& id = Child(customers, ObjectKind::kColumn, "id");
  EXPECT_EQ(id.Attr("position"), "1");
  EXPECT_EQ(id.Attr("type"), "bigint");
  EXPECT_EQ(id.Attr("not_null"), "true");
  EXPECT_EQ(id.Attr("identity"), "always");
  EXPECT_EQ(id.Attr("identity_options"), "INCREMENT BY 10 START WITH 100");
  const Object& name = Child(customers, ObjectKind::kColumn, "name");
  EXPECT_EQ(name.Attr("collation"), "\"C\"");
  EXPECT_EQ(name.Attr("comment"), "full name");
  EXPECT_EQ(name.Attr("acl"), reader + "=w/" + owner);
  EXPECT_EQ(Child(customers, ObjectKind::kColumn, "mood").Attr("default"), "'ok'::billing.mood");
  EXPECT_EQ(Child(customers, ObjectKind::kColumn, "tags").Attr("type"), "public.hstore");
  const Object& name_len = Child(customers, ObjectKind::kColumn, "name_len");
  EXPECT_EQ(name_len.Attr("generated"), "length(name)");
  EXPECT_FALSE(name_len.HasAttr("default"));
  EXPECT_EQ(Child(customers, ObjectKind::kColumn, "email").Attr("position"), "6")
      << "the dropped column leaves no gap";
  const Object& check = Child(customers, ObjectKind::kConstraint, "name_not_empty");
  EXPECT_EQ(check.Attr("type"), "c");
  EXPECT_EQ(check.Attr("definition"), "CHECK ((name <> ''::text)) NOT VALID");
  EXPECT_EQ(check.Attr("not_valid"), "true");
  EXPECT_EQ(check.Attr("comment"), "no blanks");
  EXPECT_EQ(Child(customers, ObjectKind::kConstraint, "customers_pkey").Attr("definition"),
            "PRIMARY KEY (id)");
  EXPECT_EQ(customers.FindChild(ObjectKind::kIndex, "customers_pkey"), nullptr)
      << "an index backing a constraint is the constraint";

  const Object& invoices = Child(s, ObjectKind::kTable, "invoices");
  EXPECT_EQ(invoices.Attr("options"), "autovacuum_enabled=false, fillfactor=70");
  EXPECT_EQ(invoices.Attr("replica_identity"), "full");
  EXPECT_EQ(invoices.Attr("row_security"), "true");
  EXPECT_EQ(invoices.Attr("force_row_security"), "true");
  EXPECT_EQ(Child(invoices, ObjectKind::kColumn, "id").Attr("default"),
            "nextval('billing.invoices_id_seq'::regclass)");
  EXPECT_EQ(Child(invoices, ObjectKind::kColumn, "amount").Attr("type"), "billing.positive_amount");
  const Object& fk = Child(invoices, ObjectKind::kConstraint, "invoices_customer_id_fkey");
  EXPECT_EQ(fk.Attr("type"), "f");
  EXPECT_EQ(fk.Attr("deferrable"), "true");
  EXPECT_EQ(fk.Attr("deferred"), "true");
  EXPECT_EQ(fk.Attr("definition"),
            "FOREIGN KEY (customer_id) REFERENCES billing.customers(id) DEFERRABLE INITIALLY "
            "DEFERRED");
  EXPECT_EQ(Child(invoices, ObjectKind::kConstraint, "invoices_during_excl").Attr("type"), "x");
  const Object& recent = Child(invoices, ObjectKind::kIndex, "invoices_recent");
  EXPECT_EQ(recent.Attr("definition"),
            "CREATE INDEX invoices_recent ON billing.invoices USING btree (created_at DESC) "
            "WHERE ((amount)::numeric > (0)::numeric)");
  EXPECT_EQ(recent.Attr("comment"), "recent first");
  EXPECT_EQ(Child(invoices, ObjectKind::kIndex, "invoices_customer").Attr("clustered"), "true");
  const Object& touch = Child(invoices, ObjectKind::kTrigger, "invoices_touch");
  EXPECT_EQ(touch.Attr("definition"),
            "CREATE TRIGGER invoices_touch BEFORE INSERT ON billing.invoices FOR EACH ROW "
            "EXECUTE FUNCTION billing.touch()");
  EXPECT_FALSE(touch.HasAttr("enabled"));
  EXPECT_EQ(touch.Attr("comment"), "stamp");
  EXPECT_EQ(Child(invoices, ObjectKind::kTrigger, "invoices_audit").Attr("enabled"), "D");
  EXPECT_EQ(Child(s, ObjectKind::kTable, "scratch").Attr("persistence"), "unlogged");

  const Object& events = Child(s, ObjectKind::kTable, "events");
  EXPECT_EQ(events.Attr("partition_by"), "RANGE (at)");
  EXPECT_EQ(Child(events, ObjectKind::kIndex, "events_payload").Attr("definition"),
            "CREATE INDEX events_payload ON ONLY billing.events USING btree (payload)");
  const Object& part = Child(s, ObjectKind::kTable, "events_2025");
  EXPECT_EQ(part.Attr("partition_of"), "billing.events");
  EXPECT_EQ(part.Attr("partition_bound"), "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')");
  EXPECT_FALSE(part.HasAttr("inherits"));
  // What the partition inherits is the parent's; what it has of its own is its own.
  std::vector<std::string> part_children;
  for (const Object& c : part.children()) {
    if (c.kind() != ObjectKind::kColumn) part_children.push_back(c.name());
  }
  EXPECT_THAT(part_children, ::testing::ElementsAre("events_2025_local"));
  const Object& child_log = Child(s, ObjectKind::kTable, "child_log");
  EXPECT_EQ(child_log.Attr("inherits"), "billing.base_log");
  EXPECT_EQ(child_log.FindChild(ObjectKind::kConstraint, "base_log_id_check"), nullptr);
  EXPECT_NE(Child(s, ObjectKind::kTable, "base_log")
                .FindChild(ObjectKind::kConstraint, "base_log_id_check"),
            nullptr);

  const Object& view = Child(s, ObjectKind::kView, "big_invoices");
  EXPECT_EQ(view.Attr("options"), "security_barrier=true");
  EXPECT_EQ(view.Attr("comment"), "large");
  EXPECT_THAT(view.Attr("definition"), HasSubstr("FROM billing.invoices"));
  EXPECT_NE(view.FindChild(ObjectKind::kTrigger, "big_invoices_insert"), nullptr);
  const Object& matview = Child(s, ObjectKind::kMaterializedView, "customer_moods");
  EXPECT_THAT(matview.Attr("definition"), HasSubstr("GROUP BY customers.mood"));
  EXPECT_NE(matview.FindChild(ObjectKind::kIndex, "customer_moods_mood"), nullptr);

  const Object& add_int = Child(s, ObjectKind::kFunction, "add(integer, integer)");
  EXPECT_EQ(add_int.Attr("language"), "sql");
  EXPECT_EQ(add_int.Attr("body"), "SELECT a + b");
  EXPECT_EQ(add_int.Attr("returns"), "integer");
  EXPECT_EQ(add_int.Attr("arguments"), "a integer, b integer");
  EXPECT_EQ(add_int.Attr("volatility"), "immutable");
  EXPECT_EQ(add_int.Attr("strict"), "true");
  EXPECT_EQ(add_int.Attr("parallel"), "safe");
  EXPECT_EQ(add_int.Attr("comment"), "sum");
  EXPECT_FALSE(add_int.HasAttr("cost"));
  const Object& add_text = Child(s, ObjectKind::kFunction, "add(text, text)");
  EXPECT_EQ(add_text.Attr("body"), "BEGIN ATOMIC\n SELECT (a || b);\nEND");
  EXPECT_EQ(add_text.Attr("cost"), "5");
  EXPECT_EQ(add_text.Attr("leakproof"), "true");
  EXPECT_EQ(add_text.Attr("volatility"), "stable");
  EXPECT_EQ(Child(s, ObjectKind::kFunction, "series(integer)").Attr("rows"), "10");
  const Object& secret = Child(s, ObjectKind::kFunction, "secret()");
  EXPECT_EQ(secret.Attr("security_definer"), "true");
  EXPECT_EQ(secret.Attr("config.search_path"), "billing, pg_temp");
  EXPECT_EQ(secret.Attr("config.work_mem"), "1MB");
  EXPECT_EQ(secret.Attr("acl"), "postgres=X/postgres");
  EXPECT_EQ(Child(s, ObjectKind::kProcedure, "bump(integer)").Attr("language"), "plpgsql");
  const Object& total = Child(s, ObjectKind::kAggregate, "total(integer)");
  EXPECT_EQ(total.Attr("sfunc"), "int4pl");
  EXPECT_EQ(total.Attr("stype"), "integer");
  EXPECT_EQ(total.Attr("initcond"), "0");
}

TEST_F(CatalogReaderTest, QueryCountDoesNotDependOnSize) {
  // Tables with a serial key, a default, a check, an index, a view, a function, a comment.
  auto generate = [](int tables) {
    return "DO $$DECLARE i int; BEGIN FOR i IN 1.." + std::to_string(tables) +
           " LOOP EXECUTE format('CREATE TABLE t%s (id serial PRIMARY KEY, a text DEFAULT "
           "''x'', b int CHECK (b > 0)); CREATE INDEX t%s_a ON t%s (a); CREATE VIEW v%s AS "
           "SELECT * FROM t%s; CREATE FUNCTION f%s() RETURNS int LANGUAGE sql AS ''SELECT 1''; "
           "COMMENT ON TABLE t%s IS ''c''', i, i, i, i, i, i, i); END LOOP; END$$";
  };
  std::string small = MakeDatabase("catsmall", generate(3));
  std::string large = MakeDatabase("catlarge", generate(300));
  for (int parallelism : {1, 4}) {
    CatalogReadOptions options;
    options.parallelism = parallelism;
    CatalogReadStats small_stats, large_stats;
    Object small_tree = Read(DatabaseConninfo(small), options, &small_stats);
    Object large_tree = Read(DatabaseConninfo(large), options, &large_stats);
    EXPECT_GT(large_tree.DescendantCount(), small_tree.DescendantCount() + 300 * 5);
    EXPECT_GT(small_stats.queries, 0u);
    EXPECT_EQ(small_stats.queries, large_stats.queries) << "parallelism " << parallelism;
  }
}

TEST_F(CatalogReaderTest, ParallelReadsGiveTheSameTree) {
  std::string db = MakeDatabase("catpar");
  std::string owner = RoleName("owner"), reader = RoleName("reader");
  RunSql("postgres", "CREATE ROLE " + owner + "; CREATE ROLE " + reader);
  RunSql(db, ShopSchema(owner, reader));
  CatalogReadOptions one, four;
  one.parallelism = 1;
  four.parallelism = 4;
  CatalogReadStats one_stats, four_stats;
  Object serial = Read(DatabaseConninfo(db), one, &one_stats);
  Object parallel = Read(DatabaseConninfo(db), four, &four_stats);
  EXPECT_GT(four_stats.queries, one_stats.queries) << "four connections share the work";
  // Compare the database only: roles are cluster-wide and tests running beside this one create
  // and drop theirs between the two reads.
  const Object* serial_db = serial.FindChild(ObjectKind::kDatabase, db);
  const Object* parallel_db = parallel.FindChild(ObjectKind::kDatabase, db);
  ASSERT_NE(serial_db, nullptr);
  ASSERT_NE(parallel_db, nullptr);
  EXPECT_TRUE(*serial_db == *parallel_db);
}

TEST_F(CatalogReaderTest, ExtensionMembersAreLeftOutButPlainSqlObjectsAreNot) {
  std::string with_extension = MakeDatabase("catext", "CREATE EXTENSION pgq");
  std::string plain = MakeDatabase("catplain", testing::PgqSql());
  Object ext_cluster = Read(DatabaseConninfo(with_extension));
  Object plain_cluster = Read(DatabaseConninfo(plain));

  const Object& ext = Child(ext_cluster, ObjectKind::kDatabase, with_extension);
  EXPECT_EQ(Child(ext, ObjectKind::kExtension, "pgq").Attr("version"), "3.5");
  EXPECT_EQ(ext.FindChild(ObjectKind::kSchema, "pgq"), nullptr);

  const Object& sql = Child(plain_cluster, ObjectKind::kDatabase, plain);
  EXPECT_EQ(sql.FindChild(ObjectKind::kExtension, "pgq"), nullptr);
  const Object& pgq = Child(sql, ObjectKind::kSchema, "pgq");
  EXPECT_NE(pgq.FindChild(ObjectKind::kTable, "queue"), nullptr);
  EXPECT_NE(pgq.FindChild(ObjectKind::kTable, "subscription"), nullptr);
  EXPECT_NE(pgq.FindChild(ObjectKind::kFunction, "create_queue(text)"), nullptr);
}

TEST_F(CatalogReaderTest, ServerConninfoReadsEveryDatabaseButTemplates) {
  std::string db = MakeDatabase("catall", "CREATE TABLE t (id int)");
  DropDatabase(db + "_closed");
  RunSql("postgres", "CREATE DATABASE " + db + "_closed");
  RunSql("postgres", "ALTER DATABASE " + db + "_closed ALLOW_CONNECTIONS false");
  databases_.push_back(db + "_closed");
  CatalogReadStats stats;
  Object cluster = Read(TestServerConninfo(), {}, &stats);
  EXPECT_EQ(cluster.FindChild(ObjectKind::kDatabase, "template0"), nullptr);
  EXPECT_EQ(cluster.FindChild(ObjectKind::kDatabase, "template1"), nullptr);
  const Object& read = Child(cluster, ObjectKind::kDatabase, db);
  EXPECT_NE(Child(read, ObjectKind::kSchema, "public").FindChild(ObjectKind::kTable, "t"), nullptr);
  const Object& closed = Child(cluster, ObjectKind::kDatabase, db + "_closed");
  EXPECT_FALSE(closed.HasAttr("allow_connections"));
  EXPECT_TRUE(closed.children().empty());
  EXPECT_GE(stats.databases, 2u);  // postgres and ours, at least
  RunSql("postgres", "ALTER DATABASE " + db + "_closed ALLOW_CONNECTIONS true");
}

TEST_F(CatalogReaderTest, ADatabaseNotWantedIsListedWithItsAttributesOnly) {
  std::string wanted = MakeDatabase("catwanted", "CREATE TABLE t (id int)");
  std::string other = MakeDatabase("catother", "CREATE TABLE t (id int)");
  CatalogReadOptions options;
  options.all_databases = true;
  options.read_database = [&](const std::string& name) { return name == wanted; };
  CatalogReadStats stats;
  Object cluster = Read(TestServerConninfo(), options, &stats);
  EXPECT_NE(Child(Child(cluster, ObjectKind::kDatabase, wanted), ObjectKind::kSchema, "public")
                .FindChild(ObjectKind::kTable, "t"),
            nullptr);
  const Object& listed = Child(cluster, ObjectKind::kDatabase, other);
  EXPECT_TRUE(listed.children().empty());
  EXPECT_FALSE(listed.Attr("encoding").empty());
  EXPECT_EQ(stats.databases, 1u);
}

TEST_F(CatalogReaderTest, WithoutADatabaseFallsBackToPostgres) {
  // libpq would try a database named after the user, which does not exist.
  std::string db = MakeDatabase("catfallback");
  std::string user = RoleName("nodb");
  RunSql("postgres", "CREATE ROLE " + user + " LOGIN");
  std::string conninfo = TestServerConninfo();
  conninfo.replace(conninfo.find("user=postgres"), 13, "user=" + user);
  CatalogReadStats stats;
  Object cluster = Read(conninfo, {}, &stats);
  EXPECT_NE(cluster.FindChild(ObjectKind::kDatabase, db), nullptr);
  EXPECT_NE(cluster.FindChild(ObjectKind::kDatabase, "postgres"), nullptr);
}

TEST_F(CatalogReaderTest, ReadsWhileTablesAreLockedAgainstWriters) {
  std::string db = MakeDatabase("catlock", "CREATE TABLE t (id int PRIMARY KEY)");
  pqxx::connection holder(DatabaseConninfo(db));
  pqxx::work lock(holder);
  lock.exec("LOCK TABLE t IN EXCLUSIVE MODE");
  StatusOr<Object> cluster = ReadCluster(DatabaseConninfo(db), {});
  EXPECT_TRUE(cluster.ok()) << cluster.status().message();
}

TEST_F(CatalogReaderTest, MissingDatabaseIsNotFoundAndNamed) {
  StatusOr<Object> cluster = ReadCluster(DatabaseConninfo("no_such_db_here"), {});
  ASSERT_FALSE(cluster.ok());
  EXPECT_EQ(cluster.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(cluster.status().message(), HasSubstr("no_such_db_here"));
  EXPECT_THAT(cluster.status().message(), Not(HasSubstr("\n")));
}

TEST_F(CatalogReaderTest, RefusedPortIsConnectionFailed) {
  // Nothing listens on port 1 of the loopback address.
  StatusOr<Object> cluster = ReadCluster("postgresql://127.0.0.1:1/postgres", {});
  ASSERT_FALSE(cluster.ok());
  EXPECT_EQ(cluster.status().code(), StatusCode::kConnectionFailed);
  EXPECT_EQ(cluster.status().message(),
            "postgresql://127.0.0.1:1/postgres: could not connect: Connection refused");
}

TEST_F(CatalogReaderTest, WrongPasswordFailsWithoutShowingIt) {
  std::string db = MakeDatabase("catpw");
  std::string user = RoleName("login");
  RunSql("postgres", "CREATE ROLE " + user + " LOGIN PASSWORD 'right-password-1'");
  std::string uri = "postgresql://" + user +
                    ":wrong-secret-77@127.0.0.1:" + std::to_string(TestServerPort()) + "/" + db;
  StatusOr<Object> cluster = ReadCluster(uri, {});
  ASSERT_FALSE(cluster.ok());
  EXPECT_EQ(cluster.status().code(), StatusCode::kConnectionFailed);
  EXPECT_THAT(cluster.status().message(), HasSubstr("password authentication failed"));
  EXPECT_THAT(cluster.status().message(), HasSubstr(user + "@127.0.0.1"));
  EXPECT_THAT(cluster.status().message(), Not(HasSubstr("wrong-secret-77")));

  std::string right = "postgresql://" + user +
                      ":right-password-1@127.0.0.1:" + std::to_string(TestServerPort()) + "/" + db;
  StatusOr<Object> read = ReadCluster(right, {});
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_FALSE(Child(*read, ObjectKind::kRole, user).HasAttr("password"))
      << "a non-superuser cannot tell whether a password is set";
}

TEST_F(CatalogReaderTest, MalformedConninfoIsInvalidArgument) {
  StatusOr<Object> bad_param = ReadCluster("postgresql://127.0.0.1:5432/db?bogus=1", {});
  ASSERT_FALSE(bad_param.ok());
  EXPECT_EQ(bad_param.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_param.status().message(),
            "postgresql://127.0.0.1:5432/db: invalid connection string: invalid URI query "
            "parameter: \"bogus\"");

  StatusOr<Object> with_password = ReadCluster("postgresql://app:hunter2-secret@[::1/db", {});
  ASSERT_FALSE(with_password.ok());
  EXPECT_EQ(with_password.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(with_password.status().message(), Not(HasSubstr("hunter2")));

  StatusOr<Object> key_value = ReadCluster("host=x password=a b", {});
  ASSERT_FALSE(key_value.ok());
  EXPECT_EQ(key_value.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(key_value.status().message(), Not(HasSubstr("a b")));
}

TEST(CatalogDisplayNameTest, NeverShowsThePassword) {
  EXPECT_EQ(DisplayName("postgresql://app:secret@db1:5433/shop?sslmode=disable"),
            "postgresql://app@db1:5433/shop");
  EXPECT_EQ(DisplayName("host=db1 port=5433 dbname=shop user=app password=secret"),
            "postgresql://app@db1:5433/shop");
  EXPECT_EQ(DisplayName("host=/tmp/pg port=6600 dbname=shop"),
            "postgresql://%2Ftmp%2Fpg:6600/shop");
  EXPECT_EQ(DisplayName("postgresql://app:secret@db1/shop?bogus=1"), "postgresql://db1/shop");
}

}  // namespace
}  // namespace pgtwin
