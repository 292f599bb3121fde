// The DDL generator against real PostgreSQL 15, by round trip: a database built from a real
// schema is read, the SQL of reconciler/plan/ddl.h (CreateSql for every object) is run in an
// empty database, and reading that back must give a tree without a single difference.
//
// Schemas: the fidelity schema (every kind and most attributes), odd names and shapes, the
// sandbox's Prod databases, zabbix and MediaWiki as Debian ships them.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "reconciler/plan/ddl_quote.h"
#include "tests/integration/ddl_test_support.h"
#include "tests/integration/debian_schemas.h"
#include "tests/integration/fidelity_schema.h"
#include "tests/integration/pg_test_env.h"

namespace pgtwin::testing {
namespace {

constexpr char kPsql[] = "/usr/lib/postgresql/15/bin/psql";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Copies `source` into a new empty database with CreateSql and diffs the two.
void ExpectRoundTrip(const std::string& source) {
  Object desired = ReadDatabase(source);
  ASSERT_FALSE(desired.children().empty());
  std::string target = CreateDatabase("ddl_copy");
  Object empty = ReadDatabase(target);
  std::vector<std::string> errors = RunItems(target, CreateAll(desired, empty));
  EXPECT_TRUE(errors.empty()) << "statements that failed:" << Lines(errors);
  Object copy = ReadDatabase(target);
  DiffResult diff = DiffTrees(desired, copy, IgnoreRules());
  EXPECT_TRUE(diff.identical()) << "the copy differs from " << source << ":" << Describe(diff);
  if (!::testing::Test::HasFailure()) {
    DropDatabase(target);
    DropDatabase(source);
  }
}

void RunPsqlFile(const std::string& database, const std::string& file,
                 const std::vector<std::string>& variables) {
  std::vector<std::string> argv{kPsql, "-X", "-q", "-v", "ON_ERROR_STOP=1"};
  for (const std::string& v : variables) argv.insert(argv.end(), {"-v", v});
  argv.insert(argv.end(), {"-d", DatabaseConninfo(database), "-f", file});
  CommandResult r = RunCommand(argv);
  ASSERT_EQ(r.exit_code, 0) << "loading " << file << " failed: " << r.err;
}

// The sandbox's cluster-wide roles, created once per server (the lock and check are the
// completeness test's: whichever test gets there first loads roles.sql).
void EnsureSandboxRoles() {
  pqxx::connection c(DatabaseConninfo("postgres"));
  pqxx::nontransaction tx(c);
  tx.exec("SELECT pg_advisory_lock(7466937)");
  if (tx.exec("SELECT 1 FROM pg_roles WHERE rolname = 'dba'").empty()) {
    RunPsqlFile("postgres", SourceDir() + "/deploy/sandbox/prod/roles.sql", {"env=prod"});
  }
  tx.exec("SELECT pg_advisory_unlock(7466937)");
}

std::vector<std::string> SandboxFamilies() {
  std::vector<std::string> families;
  for (const auto& entry :
       std::filesystem::directory_iterator(SourceDir() + "/deploy/sandbox/prod")) {
    std::string stem = entry.path().stem().string();
    if (entry.path().extension() == ".sql" && stem != "roles" && stem != "databases") {
      families.push_back(stem);
    }
  }
  std::sort(families.begin(), families.end());
  return families;
}

class DdlSandboxRoundTripTest : public ::testing::TestWithParam<std::string> {};

// The owner databases.sql gives the database (or shard family) `family`.
std::string SandboxDatabaseOwner(const std::string& family) {
  std::string text = ReadFile(SourceDir() + "/deploy/sandbox/prod/databases.sql");
  std::regex create(R"(CREATE DATABASE (\w+) OWNER (\w+))");
  for (std::sregex_iterator it(text.begin(), text.end(), create), end; it != end; ++it) {
    std::string name = (*it)[1];
    if (name == family || name == family + "_p000") return (*it)[2];
  }
  return "";
}

TEST_P(DdlSandboxRoundTripTest, CopyIsIdentical) {
  EnsureSandboxRoles();
  std::string db = CreateDatabase("ddl_" + GetParam());
  std::string owner = SandboxDatabaseOwner(GetParam());
  ASSERT_FALSE(owner.empty()) << "databases.sql creates no database " << GetParam();
  RunSql(db, "ALTER DATABASE \"" + db + "\" OWNER TO " + owner);
  RunPsqlFile(db, SourceDir() + "/deploy/sandbox/prod/" + GetParam() + ".sql",
              {"env=prod", "shard=0"});
  ExpectRoundTrip(db);
}

INSTANTIATE_TEST_SUITE_P(Prod, DdlSandboxRoundTripTest, ::testing::ValuesIn(SandboxFamilies()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(DdlRoundTripTest, FidelitySchema) {
  RunSql("postgres", kFidelityRolesSql);
  ExpectRoundTrip(CreateDatabase("ddl_fid", kFidelityBaseSql));
}

TEST(DdlRoundTripTest, Zabbix) { ExpectRoundTrip(CreateDatabase("ddl_zabbix", ZabbixSql())); }

TEST(DdlRoundTripTest, MediaWiki) {
  ExpectRoundTrip(CreateDatabase("ddl_mediawiki", MediaWikiSql()));
}

// Names that need quoting, mixed case, keywords, odd literals and bodies, partitions over
// several levels, inheritance with generated columns, grants with grant options and by
// other grantors, every trigger state, deferred keys, and the routine shapes.
TEST(DdlRoundTripTest, AwkwardShapes) {
  RunSql("postgres", kFidelityRolesSql);
  ExpectRoundTrip(CreateDatabase("ddl_awkward", R"sql(
    CREATE SCHEMA "Mixed Case";
    CREATE SCHEMA "select";
    CREATE TABLE "Mixed Case"."Order Lines" ("Line No" serial PRIMARY KEY, "user" text,
      "select" integer CHECK ("select" > 0), "quo""te" text DEFAULT 'it''s \ here');
    COMMENT ON COLUMN "Mixed Case"."Order Lines"."user" IS 'quoted ''user'' \ backslash';
    CREATE INDEX "Lines By User" ON "Mixed Case"."Order Lines" ("user") WITH (fillfactor = 70);
    CREATE TABLE "select"."from" ("order" integer);
    CREATE TABLE public.empty_table ();
    CREATE TABLE public.measure (id bigint GENERATED ALWAYS AS IDENTITY
      (START WITH 5 INCREMENT BY 5 CACHE 10), region text NOT NULL, at date NOT NULL,
      v numeric CHECK (v >= 0), note text DEFAULT 'n') PARTITION BY LIST (region);
    CREATE TABLE public.measure_eu PARTITION OF public.measure (note DEFAULT 'eu')
      FOR VALUES IN ('eu') PARTITION BY RANGE (at);
    CREATE TABLE public.measure_eu_2024 PARTITION OF public.measure_eu
      FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    CREATE TABLE public.measure_other PARTITION OF public.measure DEFAULT;
    CREATE INDEX measure_at_idx ON public.measure (at);
    ALTER TABLE public.measure_eu_2024 ADD CONSTRAINT measure_eu_2024_v_small CHECK (v < 1e9);
    CREATE TABLE public.animal (id integer NOT NULL, name text DEFAULT 'x',
      legs integer GENERATED ALWAYS AS (id * 4) STORED,
      CONSTRAINT animal_name_check CHECK (name <> ''));
    CREATE TABLE public.dog (good boolean DEFAULT true) INHERITS (public.animal);
    ALTER TABLE public.dog ALTER COLUMN name SET DEFAULT 'rex';
    CREATE TABLE public.puppy () INHERITS (public.dog);
    CREATE TABLE public.ident (a integer NOT NULL, b integer GENERATED BY DEFAULT AS IDENTITY
      (MINVALUE -100 MAXVALUE -1 INCREMENT BY -2 CYCLE));
    CREATE UNIQUE INDEX ident_a_key ON public.ident (a);
    ALTER TABLE public.ident REPLICA IDENTITY USING INDEX ident_a_key;
    ALTER TABLE public.ident ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
    ALTER TABLE public.ident CLUSTER ON ident_a_key;
    CREATE TABLE public.deferred_keys (id integer PRIMARY KEY,
      uq integer UNIQUE DEFERRABLE INITIALLY DEFERRED,
      parent integer REFERENCES public.deferred_keys DEFERRABLE,
      ok integer);
    ALTER TABLE public.deferred_keys ADD CONSTRAINT ok_positive CHECK (ok > 0) NOT VALID;
    ALTER TABLE public.deferred_keys ADD CONSTRAINT dk_parent_fk2 FOREIGN KEY (parent)
      REFERENCES public.deferred_keys (id) MATCH FULL ON UPDATE SET NULL NOT VALID;
    CREATE FUNCTION public.split(IN s text, OUT head text, INOUT tail text)
      LANGUAGE sql AS $$SELECT s, tail$$;
    CREATE FUNCTION public.total(VARIADIC v integer[]) RETURNS integer LANGUAGE sql
      AS $$SELECT sum(x)::integer FROM unnest(v) x$$;
    CREATE FUNCTION public.rows_of(n integer DEFAULT 3) RETURNS TABLE (i integer, sq integer)
      LANGUAGE sql ROWS 7 COST 3 PARALLEL SAFE AS $$SELECT g, g * g FROM generate_series(1, n) g$$;
    CREATE FUNCTION public.dollars() RETURNS text LANGUAGE sql IMMUTABLE LEAKPROOF STRICT
      SECURITY DEFINER SET search_path = "$user", public SET work_mem = '8MB'
      AS $body$SELECT '$$ and $_$ and $'::text$body$;
    CREATE FUNCTION public.std_body(a integer) RETURNS integer LANGUAGE sql
      RETURN a + (SELECT count(*)::integer FROM public.empty_table);
    CREATE FUNCTION public.std_atomic(a integer) RETURNS integer LANGUAGE sql STABLE
      BEGIN ATOMIC SELECT a * 2; END;
    CREATE FUNCTION public.c_func(cstring) RETURNS integer LANGUAGE internal STRICT
      AS 'int4in';
    CREATE PROCEDURE public.move(INOUT amount numeric, IN factor numeric DEFAULT 1)
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog
      AS $$BEGIN amount := amount * factor; END$$;
    CREATE AGGREGATE public.cnt(*) (SFUNC = int8inc, STYPE = int8, INITCOND = '0');
    CREATE AGGREGATE public.maxi(integer) (SFUNC = int4larger, STYPE = integer,
      COMBINEFUNC = int4larger, SORTOP = >);
    CREATE DOMAIN public.pos AS integer CHECK (VALUE > 0);
    CREATE DOMAIN public.small_pos AS public.pos CONSTRAINT small CHECK (VALUE < 100)
      CONSTRAINT nonzero CHECK (VALUE <> 0);
    ALTER DOMAIN public.small_pos ADD CONSTRAINT later CHECK (VALUE < 50) NOT VALID;
    COMMENT ON CONSTRAINT small ON DOMAIN public.small_pos IS 'under 100';
    CREATE DOMAIN public.code AS text COLLATE "C" DEFAULT 'x' NOT NULL;
    CREATE TYPE public."Status" AS ENUM ('new', 'it''s done', 'a\b');
    CREATE TYPE public.ranged AS RANGE (SUBTYPE = text, COLLATION = "C");
    CREATE TYPE public.pair AS (a integer, "B" text COLLATE "C", c public.pos);
    COMMENT ON COLUMN public.pair."B" IS 'second';
    CREATE VIEW public.dogs WITH (security_barrier = true) AS SELECT id, name FROM public.dog
      WITH LOCAL CHECK OPTION;
    COMMENT ON VIEW public.dogs IS 'all dogs';
    COMMENT ON COLUMN public.dogs.name IS 'dog name';
    CREATE FUNCTION public.dogs_ins() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
    CREATE TRIGGER dogs_ins INSTEAD OF INSERT ON public.dogs FOR EACH ROW
      EXECUTE FUNCTION public.dogs_ins();
    CREATE TRIGGER t_disabled BEFORE INSERT ON public.animal FOR EACH ROW
      EXECUTE FUNCTION public.dogs_ins();
    ALTER TABLE public.animal DISABLE TRIGGER t_disabled;
    CREATE TRIGGER t_replica BEFORE UPDATE ON public.animal FOR EACH ROW
      WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION public.dogs_ins();
    ALTER TABLE public.animal ENABLE REPLICA TRIGGER t_replica;
    CREATE TRIGGER t_always AFTER DELETE ON public.animal FOR EACH STATEMENT
      EXECUTE FUNCTION public.dogs_ins();
    ALTER TABLE public.animal ENABLE ALWAYS TRIGGER t_always;
    CREATE CONSTRAINT TRIGGER t_constraint AFTER INSERT ON public.animal
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.dogs_ins();
    CREATE MATERIALIZED VIEW public.dog_names WITH (fillfactor = 50) AS
      SELECT name FROM public.dog;
    CREATE UNIQUE INDEX dog_names_name ON public.dog_names (name);
    GRANT SELECT (name) ON public.dog_names TO fid_reader;
    REVOKE ALL ON FUNCTION public.total(integer[]) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION public.total(integer[]) TO fid_reader WITH GRANT OPTION;
    GRANT SELECT ON public.dogs TO PUBLIC;
    GRANT USAGE ON TYPE public."Status" TO fid_reader;
    REVOKE USAGE ON TYPE public.pair FROM PUBLIC;
    GRANT SELECT, INSERT ON public.animal TO fid_reader WITH GRANT OPTION;
    GRANT UPDATE (name) ON public.animal TO fid_other;
    SET ROLE fid_reader;
    GRANT SELECT ON public.animal TO fid_other;
    RESET ROLE;
    REVOKE ALL ON public.empty_table FROM postgres;
    GRANT SELECT ON public.empty_table TO postgres;
    CREATE SEQUENCE public.down INCREMENT BY -1 MINVALUE -50 MAXVALUE 10 START WITH 3;
    CREATE SEQUENCE public.tiny AS smallint MINVALUE -5;
    CREATE TABLE public.owner_of_seq (n integer DEFAULT nextval('public.tiny'));
    ALTER SEQUENCE public.tiny OWNED BY public.owner_of_seq.n;
    CREATE UNLOGGED TABLE public.scratch (k text COLLATE "POSIX") WITH (autovacuum_enabled = false,
      toast.autovacuum_enabled = false, autovacuum_vacuum_insert_threshold = -1,
      autovacuum_vacuum_scale_factor = 0.05);
    ALTER TABLE public.scratch REPLICA IDENTITY FULL;
    CREATE EXTENSION hstore WITH SCHEMA "select";
    COMMENT ON EXTENSION hstore IS NULL;
    CREATE SCHEMA owned AUTHORIZATION fid_owner;
    GRANT USAGE ON SCHEMA owned TO PUBLIC;
  )sql"));
}

// quote_ident of the real server and QuoteIdent agree on every keyword and on odd names.
TEST(DdlRoundTripTest, QuoteIdentMatchesTheServer) {
  pqxx::connection c(DatabaseConninfo("postgres"));
  pqxx::nontransaction tx(c);
  pqxx::result rows = tx.exec(
      "SELECT w, quote_ident(w) FROM (SELECT word FROM pg_get_keywords() UNION ALL "
      "SELECT unnest(ARRAY['abc', 'Abc', 'a b', 'a\"b', '_x', 'x$', '$x', '1a', 'a1', "
      "'ab_c9', 'é'])) k(w)");
  ASSERT_GT(rows.size(), 400u);
  for (const pqxx::row& row : rows) {
    EXPECT_EQ(ddl::QuoteIdent(row[0].c_str()), row[1].c_str()) << row[0].c_str();
  }
}

}  // namespace
}  // namespace pgtwin::testing
