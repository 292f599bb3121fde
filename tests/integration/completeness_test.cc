// Completeness of `pgtwin dump` against a peer: for real schemas (the sandbox Prod databases,
// zabbix and MediaWiki as Debian ships them, and the fidelity base schema), the objects pgtwin
// finds must be the objects `pg_dump --schema-only` emits, kind by kind and name by name, and
// they must agree on which objects carry a comment, an ACL, an owner, a default or NOT NULL.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/debian_schemas.h"
#include "tests/integration/fidelity_schema.h"
#include "tests/integration/pg_dump_toc.h"
#include "tests/integration/pg_test_env.h"

namespace pgtwin::testing {
namespace {

using Json = nlohmann::json;

constexpr char kPgDump[] = "/usr/lib/postgresql/15/bin/pg_dump";
constexpr char kPsql[] = "/usr/lib/postgresql/15/bin/psql";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Collects what a `pgtwin dump --format json` tree holds below its one database, in the same
// vocabulary as ParsePgDumpSchema.
void CollectObjects(const Json& node, const std::string& schema, const std::string& parent,
                    PgDumpObjects* out) {
  const std::string kind = node.at("kind").get<std::string>();
  const std::string name = node.at("name").get<std::string>();
  std::string qualified;
  std::string child_schema = schema;
  if (kind == "extension") {
    qualified = name;
  } else if (kind == "schema") {
    qualified = name;
    child_schema = name;
  } else if (kind == "column" || kind == "constraint" || kind == "index" || kind == "trigger") {
    qualified = parent + "." + name;
  } else {
    qualified = schema + "." + name;
  }
  const std::string key = kind + ":" + qualified;
  out->names[kind].insert(qualified);
  const Json attrs = node.value("attrs", Json::object());
  for (const auto& [attr, value] : attrs.items()) {
    if (attr == "comment") out->commented.insert(key);
    if (attr == "acl") out->with_acl.insert(key);
    for (const char* part : {"column_comment.", "attribute_comment.", "constraint_comment."}) {
      if (attr.rfind(part, 0) == 0) out->commented.insert(key + " " + attr);
    }
    if (attr.rfind("column_acl.", 0) == 0) out->with_acl.insert(key + " " + attr);
    if (attr == "owner") out->owners[key] = value.get<std::string>();
    if (kind == "column" && attr == "default") out->with_default.insert(key);
    if (kind == "column" && attr == "not_null") out->not_null.insert(key);
    if (kind == "type" && attr.rfind("constraint.", 0) == 0) {
      out->domain_constraints[key].insert(attr.substr(11));
    }
  }
  for (const Json& child : node.value("children", Json::array())) {
    CollectObjects(child, child_schema, qualified, out);
  }
}

// Runs `pgtwin dump` on one database and collects its objects.
PgDumpObjects PgtwinObjects(const std::string& database) {
  CommandResult r = RunPgtwin({"dump", "--source", DatabaseUri(database), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  PgDumpObjects out;
  Json doc = Json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    ADD_FAILURE() << "pgtwin dump printed no JSON: " << r.out.substr(0, 500) << r.err;
    return out;
  }
  int databases = 0;
  for (const Json& child : doc.value("children", Json::array())) {
    if (child.at("kind") != "database") continue;
    ++databases;
    for (const Json& grandchild : child.value("children", Json::array())) {
      CollectObjects(grandchild, "", "", &out);
    }
  }
  EXPECT_EQ(databases, 1) << "a URI naming one database must dump exactly that database";
  return out;
}

PgDumpObjects PgDumpObjectsOf(const std::string& database) {
  CommandResult r = RunCommand({kPgDump, "--schema-only", "-d", DatabaseConninfo(database)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return ParsePgDumpSchema(r.out);
}

std::string List(const std::set<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += "\n    " + n;
  return out.empty() ? " (none)" : out;
}

// Fails, listing the names missing on each side, when the two sets differ.
void ExpectSameNames(const std::string& what, const std::set<std::string>& pg_dump,
                     const std::set<std::string>& pgtwin) {
  std::set<std::string> only_pg_dump;
  std::set<std::string> only_pgtwin;
  for (const std::string& n : pg_dump) {
    if (!pgtwin.count(n)) only_pg_dump.insert(n);
  }
  for (const std::string& n : pgtwin) {
    if (!pg_dump.count(n)) only_pgtwin.insert(n);
  }
  EXPECT_TRUE(only_pg_dump.empty() && only_pgtwin.empty())
      << what << ": pg_dump has " << pg_dump.size() << ", pgtwin has " << pgtwin.size()
      << "\n  missing in pgtwin (pg_dump has them):" << List(only_pg_dump)
      << "\n  missing in pg_dump (pgtwin has them):" << List(only_pgtwin);
}

template <typename Value>
std::set<std::string> Keys(const std::map<std::string, Value>& map) {
  std::set<std::string> keys;
  for (const auto& [key, unused] : map) keys.insert(key);
  return keys;
}

// pg_dump names a routine by its identity arguments, names included ("f(a integer)"); pgtwin's
// key has the argument types only ("f(integer)"). Rewrites pg_dump's routine keys to pgtwin's,
// with the two forms the database itself gives for each routine.
void UseRoutineKeys(const std::string& database, PgDumpObjects* peer) {
  pqxx::connection c(DatabaseConninfo(database));
  pqxx::nontransaction tx(c);
  pqxx::result rows = tx.exec(
      "SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' "
      "ELSE 'function' END, n.nspname || '.' || p.proname || '(' || "
      "pg_get_function_identity_arguments(p.oid) || ')', "
      "n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')' "
      "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
      "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')");
  std::map<std::string, std::string> key_of;
  for (const pqxx::row& row : rows) {
    std::string kind = row[0].c_str();
    auto names = peer->names.find(kind);
    if (names != peer->names.end() && names->second.erase(row[1].c_str()) > 0) {
      names->second.insert(row[2].c_str());
    }
    key_of[kind + ":" + row[1].c_str()] = kind + ":" + row[2].c_str();
  }
  for (std::set<std::string>* keys : {&peer->commented, &peer->with_acl}) {
    std::set<std::string> renamed;
    for (const std::string& key : *keys) {
      auto it = key_of.find(key);
      renamed.insert(it == key_of.end() ? key : it->second);
    }
    *keys = renamed;
  }
  std::map<std::string, std::string> owners;
  for (const auto& [key, owner] : peer->owners) {
    auto it = key_of.find(key);
    owners[it == key_of.end() ? key : it->second] = owner;
  }
  peer->owners = owners;
}

void ExpectComplete(const std::string& database) {
  PgDumpObjects peer = PgDumpObjectsOf(database);
  UseRoutineKeys(database, &peer);
  PgDumpObjects mine = PgtwinObjects(database);
  ASSERT_FALSE(peer.names["table"].empty()) << "pg_dump output was not understood";

  EXPECT_TRUE(peer.unmodeled.empty())
      << "pg_dump emits objects of kinds pgtwin does not model:"
      << List(std::set<std::string>(peer.unmodeled.begin(), peer.unmodeled.end()));

  std::set<std::string> kinds = Keys(peer.names);
  for (const std::string& k : Keys(mine.names)) kinds.insert(k);
  for (const std::string& kind : kinds) {
    ExpectSameNames("objects of kind '" + kind + "'", peer.names[kind], mine.names[kind]);
  }

  // The comment, ACL and owner of what initdb puts in every database (the public schema, the
  // plpgsql extension) are defaults that pg_dump leaves out.
  for (PgDumpObjects* side : {&peer, &mine}) {
    for (const char* key : {"schema:public", "extension:plpgsql"}) {
      side->commented.erase(key);
      side->with_acl.erase(key);
      side->owners.erase(key);
    }
  }
  ExpectSameNames("objects with a comment", peer.commented, mine.commented);
  ExpectSameNames("objects with an ACL", peer.with_acl, mine.with_acl);
  ExpectSameNames("columns with a default", peer.with_default, mine.with_default);
  ExpectSameNames("NOT NULL columns", peer.not_null, mine.not_null);

  ExpectSameNames("objects with an owner", Keys(peer.owners), Keys(mine.owners));
  std::set<std::string> owner_mismatches;
  for (const auto& [key, owner] : peer.owners) {
    auto it = mine.owners.find(key);
    if (it != mine.owners.end() && it->second != owner) {
      owner_mismatches.insert(key + ": pg_dump " + owner + ", pgtwin " + it->second);
    }
  }
  EXPECT_TRUE(owner_mismatches.empty()) << "owners differ:" << List(owner_mismatches);

  ExpectSameNames("domains with constraints", Keys(peer.domain_constraints),
                  Keys(mine.domain_constraints));
  for (const auto& [domain, constraints] : peer.domain_constraints) {
    ExpectSameNames("constraints of " + domain, constraints, mine.domain_constraints[domain]);
  }
}

// --- the schemas --------------------------------------------------------------------------

void RunPsqlFile(const std::string& database, const std::string& file,
                 const std::vector<std::string>& variables) {
  std::vector<std::string> argv{kPsql, "-X", "-q", "-v", "ON_ERROR_STOP=1"};
  for (const std::string& v : variables) argv.insert(argv.end(), {"-v", v});
  argv.insert(argv.end(), {"-d", DatabaseConninfo(database), "-f", file});
  CommandResult r = RunCommand(argv);
  ASSERT_EQ(r.exit_code, 0) << "loading " << file << " failed: " << r.err;
}

// Creates the sandbox's cluster-wide roles once per server. Several test processes may get
// here at once, so an advisory lock serialises them and the first one loads roles.sql.
void EnsureSandboxRoles() {
  const std::string roles = SourceDir() + "/deploy/sandbox/prod/roles.sql";
  pqxx::connection c(DatabaseConninfo("postgres"));
  pqxx::nontransaction tx(c);
  tx.exec("SELECT pg_advisory_lock(7466937)");
  pqxx::result owner_role = tx.exec("SELECT 1 FROM pg_roles WHERE rolname = 'dba'");
  if (owner_role.empty()) RunPsqlFile("postgres", roles, {"env=prod"});
  tx.exec("SELECT pg_advisory_unlock(7466937)");
}

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

// A database as the sandbox loads it: accountdb as shard p000, the others as they are.
std::string LoadSandboxDatabase(const std::string& family) {
  EnsureSandboxRoles();
  std::string db = CreateDatabase(family);
  std::string owner = SandboxDatabaseOwner(family);
  EXPECT_FALSE(owner.empty()) << "databases.sql creates no database " << family;
  if (!owner.empty()) RunSql(db, "ALTER DATABASE \"" + db + "\" OWNER TO " + owner);
  RunPsqlFile(db, SourceDir() + "/deploy/sandbox/prod/" + family + ".sql", {"env=prod", "shard=0"});
  return db;
}

std::string LoadFidelityBase() {
  RunSql("postgres", kFidelityRolesSql);
  return CreateDatabase("fidbase", kFidelityBaseSql);
}

// The sandbox's database families: every deploy/sandbox/prod/*.sql but roles and databases.
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

class SandboxCompletenessTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SandboxCompletenessTest, MatchesPgDump) { ExpectComplete(LoadSandboxDatabase(GetParam())); }

INSTANTIATE_TEST_SUITE_P(Prod, SandboxCompletenessTest, ::testing::ValuesIn(SandboxFamilies()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(CompletenessTest, Zabbix) { ExpectComplete(CreateDatabase("zabbix", ZabbixSql())); }
TEST(CompletenessTest, MediaWiki) { ExpectComplete(CreateDatabase("mediawiki", MediaWikiSql())); }
TEST(CompletenessTest, FidelityBaseSchema) { ExpectComplete(LoadFidelityBase()); }

// Shapes that trip catalog readers: quoted and mixed-case names, argument modes, multi-level
// partitions, inheritance, serial and identity columns, comments and grants on every level.
TEST(CompletenessTest, AwkwardShapes) {
  RunSql("postgres", kFidelityRolesSql);
  ExpectComplete(CreateDatabase("awkward", R"sql(
    CREATE SCHEMA "Mixed Case";
    CREATE TABLE "Mixed Case"."Order Lines" ("Line No" serial PRIMARY KEY, "user" text,
      "select" integer CHECK ("select" > 0));
    COMMENT ON COLUMN "Mixed Case"."Order Lines"."user" IS 'quoted';
    CREATE INDEX "Lines By User" ON "Mixed Case"."Order Lines" ("user");
    CREATE TABLE public.empty_table ();
    CREATE TABLE public.measure (id bigint GENERATED ALWAYS AS IDENTITY, region text NOT NULL,
      at date NOT NULL, v numeric CHECK (v >= 0)) PARTITION BY LIST (region);
    CREATE TABLE public.measure_eu PARTITION OF public.measure FOR VALUES IN ('eu')
      PARTITION BY RANGE (at);
    CREATE TABLE public.measure_eu_2024 PARTITION OF public.measure_eu
      FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    CREATE INDEX measure_at_idx ON public.measure (at);
    ALTER TABLE public.measure_eu_2024 ADD CONSTRAINT measure_eu_2024_v_small CHECK (v < 1e9);
    CREATE TABLE public.animal (id integer NOT NULL, name text DEFAULT 'x',
      CONSTRAINT animal_name_check CHECK (name <> ''));
    CREATE TABLE public.dog (good boolean DEFAULT true) INHERITS (public.animal);
    CREATE TABLE public.puppy () INHERITS (public.dog);
    CREATE FUNCTION public.split(IN s text, OUT head text, INOUT tail text)
      LANGUAGE sql AS $$SELECT s, tail$$;
    CREATE FUNCTION public.total(VARIADIC v integer[]) RETURNS integer LANGUAGE sql
      AS $$SELECT sum(x)::integer FROM unnest(v) x$$;
    CREATE FUNCTION public.rows_of(n integer DEFAULT 3) RETURNS TABLE (i integer, sq integer)
      LANGUAGE sql AS $$SELECT g, g * g FROM generate_series(1, n) g$$;
    CREATE PROCEDURE public.move(INOUT amount numeric, IN factor numeric DEFAULT 1)
      LANGUAGE plpgsql AS $$BEGIN amount := amount * factor; END$$;
    CREATE DOMAIN public.pos AS integer CHECK (VALUE > 0);
    CREATE DOMAIN public.small_pos AS public.pos CHECK (VALUE < 100);
    CREATE TYPE public."Status" AS ENUM ('new', 'it''s done');
    CREATE VIEW public.dogs AS SELECT id, name FROM public.dog;
    COMMENT ON VIEW public.dogs IS 'all dogs';
    REVOKE ALL ON FUNCTION public.total(integer[]) FROM PUBLIC;
    GRANT SELECT ON public.dogs TO PUBLIC;
    GRANT USAGE ON TYPE public."Status" TO fid_reader;
  )sql"));
}

// Comments and grants that live on the parts of views and types: the columns of a view or a
// materialized view, the attributes of a composite type, a domain's constraint.
TEST(CompletenessTest, CommentsAndGrantsOnPartsOfViewsAndTypes) {
  ExpectComplete(CreateDatabase("parts", R"sql(
    CREATE TABLE public.t (id integer, v text);
    CREATE VIEW public.v AS SELECT id, v FROM public.t;
    COMMENT ON COLUMN public.v.v IS 'a view column';
    GRANT SELECT (id) ON public.v TO PUBLIC;
    CREATE MATERIALIZED VIEW public.mv AS SELECT id FROM public.t;
    COMMENT ON COLUMN public.mv.id IS 'a materialized view column';
    CREATE TYPE public.pair AS (a integer, b text);
    COMMENT ON COLUMN public.pair.a IS 'a type attribute';
    CREATE DOMAIN public.pos AS integer CONSTRAINT pos_check CHECK (VALUE > 0);
    COMMENT ON CONSTRAINT pos_check ON DOMAIN public.pos IS 'a domain constraint';
  )sql"));
}

}  // namespace
}  // namespace pgtwin::testing
