// Index definitions the catalog reader builds from the catalogs (catalog_sql::Indexes) must be
// pg_get_indexdef's text byte for byte. For every index of real schemas (zabbix and MediaWiki
// as Debian ships them, the fidelity base schema), of a schema made of awkward indexes, and of
// the system catalogs each of these databases holds, the definition pgtwin builds is compared
// with pg_get_indexdef's; the awkward schema also pins which shapes are built and which are left
// to pg_get_indexdef.
#include <gtest/gtest.h>

#include <map>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "providers/postgres/catalog_features.h"
#include "providers/postgres/catalog_sql.h"
#include "tests/integration/debian_schemas.h"
#include "tests/integration/fidelity_schema.h"
#include "tests/integration/pg_test_env.h"

namespace pgtwin::testing {
namespace {

// Reads every index of `db` in a session set up as the reader sets it up (empty search_path),
// expects each definition pgtwin builds to equal pg_get_indexdef's, and the reader's own index
// query to return pg_get_indexdef's text for every index it reports. Returns, by
// "schema.index", whether the definition was built (false: left to pg_get_indexdef).
std::map<std::string, bool> CheckIndexDefinitions(const std::string& db) {
  pqxx::connection conn(DatabaseConninfo(db));
  pqxx::nontransaction tx(conn);
  const CatalogFeatures features = CatalogFeatures::ForServer(conn.server_version());
  tx.exec(catalog_sql::BeginSnapshot());
  std::map<std::string, bool> built;
  std::map<std::string, std::string> deparsed;  // by indexrelid
  for (const pqxx::row& row : tx.exec(catalog_sql::IndexDefinitionCheck(features))) {
    const std::string name = row["nspname"].c_str() + std::string(".") + row["relname"].c_str();
    const std::string expected = row["deparsed"].c_str();
    if (!row["built"].is_null()) {
      EXPECT_EQ(row["built"].c_str(), expected) << name;
    }
    built[name] = !row["built"].is_null();
    deparsed[row["indexrelid"].c_str()] = expected;
  }
  size_t reported = 0;
  for (const pqxx::row& row : tx.exec(catalog_sql::Indexes(features, catalog_sql::Slice{}))) {
    EXPECT_EQ(row["definition"].c_str(), deparsed[row["indexrelid"].c_str()]) << row["relname"];
    ++reported;
  }
  tx.exec(catalog_sql::Commit());
  EXPECT_GT(reported, 0u) << db << ": the reader's query reports no index";
  return built;
}

// How many indexes of user schemas (not pg_catalog, pg_toast, information_schema) were built.
size_t BuiltInUserSchemas(const std::map<std::string, bool>& built) {
  size_t count = 0;
  for (const auto& [name, was_built] : built) {
    bool system = name.rfind("pg_", 0) == 0 || name.rfind("information_schema.", 0) == 0;
    if (was_built && !system) ++count;
  }
  return count;
}

// Expects each of `names` to be built (or, with !expected, left to pg_get_indexdef).
void ExpectBuilt(std::map<std::string, bool>& built, const std::vector<std::string>& names,
                 bool expected) {
  for (const std::string& name : names) {
    ASSERT_TRUE(built.count(name)) << "no index " << name;
    EXPECT_EQ(built[name], expected)
        << name << (expected ? " should be built" : " should be left to pg_get_indexdef");
  }
}

TEST(IndexDefinitionTest, AwkwardIndexes) {
  std::map<std::string, bool> built = CheckIndexDefinitions(CreateDatabase("idxdef", R"sql(
    CREATE SCHEMA "Odd Schema";
    CREATE SCHEMA "select";
    CREATE TYPE "Odd Schema".mood AS ENUM ('a', 'b');
    CREATE DOMAIN "Odd Schema".posint AS integer CHECK (VALUE > 0);
    CREATE DOMAIN "Odd Schema".label AS text;
    CREATE TABLE "Odd Schema"."My Table" (
      "Id" integer, "user" text, "select" varchar(20), "from" char(3), c_name name, n numeric,
      ts timestamptz, j jsonb, arr integer[], tsv tsvector, r int4range, p point, ip inet,
      cid cidr, b bit(3), vb varbit, e "Odd Schema".mood, d "Odd Schema".posint,
      l "Odd Schema".label, "CamelCol" text COLLATE "C", x integer, "we""ird" text, "ñame" text,
      i8 bigint, u uuid, by bytea, bo boolean, f8 float8, ch "char", o oid, rc regclass);
    CREATE INDEX "Simple Idx" ON "Odd Schema"."My Table" ("Id");
    CREATE INDEX two_cols ON "Odd Schema"."My Table" ("user", "select");
    CREATE UNIQUE INDEX "index" ON "Odd Schema"."My Table" ("from");
    CREATE UNIQUE INDEX incl ON "Odd Schema"."My Table" (n) INCLUDE (ts, j);
    CREATE INDEX desc_ts ON "Odd Schema"."My Table" (ts DESC);
    CREATE INDEX nulls_first ON "Odd Schema"."My Table" (n NULLS FIRST);
    CREATE INDEX desc_nulls_last ON "Odd Schema"."My Table" (ts DESC NULLS LAST);
    CREATE INDEX pattern_text ON "Odd Schema"."My Table" ("user" text_pattern_ops);
    CREATE INDEX pattern_varchar ON "Odd Schema"."My Table" ("select" varchar_pattern_ops);
    CREATE INDEX explicit_default ON "Odd Schema"."My Table" ("user" text_ops, x int4_ops);
    CREATE INDEX collate_c ON "Odd Schema"."My Table" ("user" COLLATE "C");
    CREATE INDEX collate_same ON "Odd Schema"."My Table" ("CamelCol" COLLATE "C");
    CREATE INDEX collate_default ON "Odd Schema"."My Table" ("CamelCol" COLLATE "default");
    CREATE INDEX partial ON "Odd Schema"."My Table" (x) WHERE x > 0;
    CREATE INDEX partial_two ON "Odd Schema"."My Table" ("user", "select")
      WHERE "user" IS NOT NULL AND "select"::text <> 'a';
    CREATE INDEX expr_lower ON "Odd Schema"."My Table" (lower("user"));
    CREATE INDEX expr_plus ON "Odd Schema"."My Table" ((x + 1));
    CREATE INDEX expr_mixed ON "Odd Schema"."My Table" ("Id", lower("user"));
    CREATE INDEX hash_text ON "Odd Schema"."My Table" USING hash ("user");
    CREATE INDEX hash_varchar ON "Odd Schema"."My Table" USING hash ("select");
    CREATE INDEX gin_jsonb ON "Odd Schema"."My Table" USING gin (j);
    CREATE INDEX gin_jsonb_path ON "Odd Schema"."My Table" USING gin (j jsonb_path_ops);
    CREATE INDEX gin_array ON "Odd Schema"."My Table" USING gin (arr);
    CREATE INDEX gin_tsv ON "Odd Schema"."My Table" USING gin (tsv);
    CREATE INDEX gist_range ON "Odd Schema"."My Table" USING gist (r);
    CREATE INDEX gist_point ON "Odd Schema"."My Table" USING gist (p);
    CREATE INDEX gist_tsv ON "Odd Schema"."My Table" USING gist (tsv);
    CREATE INDEX gist_tsv_siglen ON "Odd Schema"."My Table" USING gist (tsv tsvector_ops (siglen = 100));
    CREATE INDEX gist_inet ON "Odd Schema"."My Table" USING gist (ip inet_ops);
    CREATE INDEX brin_ts ON "Odd Schema"."My Table" USING brin (ts);
    CREATE INDEX brin_inet ON "Odd Schema"."My Table" USING brin (ip);
    CREATE INDEX brin_cidr ON "Odd Schema"."My Table" USING brin (cid);
    CREATE INDEX brin_varchar ON "Odd Schema"."My Table" USING brin ("select");
    CREATE INDEX spgist_text ON "Odd Schema"."My Table" USING spgist ("user");
    CREATE INDEX spgist_inet ON "Odd Schema"."My Table" USING spgist (ip);
    CREATE INDEX spgist_varchar ON "Odd Schema"."My Table" USING spgist ("select");
    CREATE UNIQUE INDEX nnd ON "Odd Schema"."My Table" (x) NULLS NOT DISTINCT;
    CREATE UNIQUE INDEX nnd_incl_partial ON "Odd Schema"."My Table" (x, "Id") INCLUDE (n)
      NULLS NOT DISTINCT WHERE x > 0;
    CREATE INDEX fillfactor ON "Odd Schema"."My Table" (x) WITH (fillfactor = 70);
    CREATE INDEX on_domain ON "Odd Schema"."My Table" (d);
    CREATE INDEX on_text_domain ON "Odd Schema"."My Table" (l);
    CREATE INDEX on_enum ON "Odd Schema"."My Table" (e);
    CREATE INDEX on_array ON "Odd Schema"."My Table" (arr);
    CREATE INDEX on_name ON "Odd Schema"."My Table" (c_name);
    CREATE INDEX on_cidr ON "Odd Schema"."My Table" (cid);
    CREATE INDEX on_bits ON "Odd Schema"."My Table" (b, vb);
    CREATE INDEX "Quote""d" ON "Odd Schema"."My Table" ("we""ird", "ñame");
    CREATE INDEX many_types ON "Odd Schema"."My Table" (i8, u, by, bo, f8, ch, o, rc);
    CREATE INDEX on_range ON "Odd Schema"."My Table" (r);
    CREATE INDEX "UPPER" ON "Odd Schema"."My Table" (x, x);
    CREATE TABLE "select"."table" ("from" integer, "order" text, "Group" varchar);
    CREATE INDEX "Index" ON "select"."table" ("from", "order", "Group");
    CREATE INDEX "select" ON "select"."table" ("order") INCLUDE ("Group", "from");
    CREATE TABLE "select".parted (id integer, at date, k varchar(10)) PARTITION BY RANGE (at);
    CREATE TABLE "select".parted_2024 PARTITION OF "select".parted
      FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    CREATE INDEX parted_k ON "select".parted (k);
    CREATE UNIQUE INDEX parted_id_at ON "select".parted (id, at);
    CREATE INDEX parted_partial ON "select".parted (id) WHERE k IS NOT NULL;
    CREATE INDEX parted_own ON "select".parted_2024 (at DESC);
    CREATE TABLE "select".renamed (a integer, b text);
    CREATE INDEX renamed_idx ON "select".renamed (a, b);
    ALTER TABLE "select".renamed RENAME COLUMN a TO "A new";
    ALTER INDEX "Odd Schema".expr_lower ALTER COLUMN 1 SET STATISTICS 100;
    CREATE TABLE "select".dropped (a integer, gone integer, b text);
    ALTER TABLE "select".dropped DROP COLUMN gone;
    CREATE INDEX dropped_idx ON "select".dropped (b, a);
    CREATE MATERIALIZED VIEW "select".mv AS SELECT 1 AS one, 'x'::varchar AS two;
    CREATE INDEX mv_idx ON "select".mv (two, one);
    CREATE TABLE "select".constrained (a integer PRIMARY KEY, b text UNIQUE, c integer,
      EXCLUDE USING btree (c WITH =));
  )sql"));
  // Plain columns with their type's default opclass (varchar's is text_ops, cidr's inet_ops),
  // keyword, quoted and renamed names, INCLUDE, NULLS NOT DISTINCT, predicates, partitioned
  // tables (ON ONLY) and every index access method.
  const std::vector<std::string> built_names = {"Odd Schema.Simple Idx",
                                                "Odd Schema.two_cols",
                                                "Odd Schema.index",
                                                "Odd Schema.incl",
                                                "Odd Schema.explicit_default",
                                                "Odd Schema.collate_same",
                                                "Odd Schema.partial",
                                                "Odd Schema.partial_two",
                                                "Odd Schema.hash_text",
                                                "Odd Schema.hash_varchar",
                                                "Odd Schema.gin_jsonb",
                                                "Odd Schema.gin_tsv",
                                                "Odd Schema.gist_point",
                                                "Odd Schema.gist_tsv",
                                                "Odd Schema.brin_ts",
                                                "Odd Schema.brin_inet",
                                                "Odd Schema.brin_cidr",
                                                "Odd Schema.brin_varchar",
                                                "Odd Schema.spgist_text",
                                                "Odd Schema.spgist_inet",
                                                "Odd Schema.spgist_varchar",
                                                "Odd Schema.nnd",
                                                "Odd Schema.nnd_incl_partial",
                                                "Odd Schema.on_name",
                                                "Odd Schema.on_cidr",
                                                "Odd Schema.on_bits",
                                                "Odd Schema.Quote\"d",
                                                "Odd Schema.many_types",
                                                "Odd Schema.UPPER",
                                                "select.Index",
                                                "select.select",
                                                "select.parted_k",
                                                "select.parted_id_at",
                                                "select.parted_partial",
                                                "select.renamed_idx",
                                                "select.dropped_idx",
                                                "select.mv_idx"};
  // Expressions, ordering options, other opclasses (or opclass options), collations other than
  // the column's, storage parameters, domains, enums, ranges and arrays (whose default opclass
  // takes more than a cast to find).
  const std::vector<std::string> deparsed_names = {
      "Odd Schema.desc_ts",         "Odd Schema.nulls_first",     "Odd Schema.desc_nulls_last",
      "Odd Schema.pattern_text",    "Odd Schema.pattern_varchar", "Odd Schema.collate_c",
      "Odd Schema.collate_default", "Odd Schema.expr_lower",      "Odd Schema.expr_plus",
      "Odd Schema.expr_mixed",      "Odd Schema.gin_jsonb_path",  "Odd Schema.gin_array",
      "Odd Schema.gist_range",      "Odd Schema.gist_tsv_siglen", "Odd Schema.gist_inet",
      "Odd Schema.fillfactor",      "Odd Schema.on_domain",       "Odd Schema.on_text_domain",
      "Odd Schema.on_enum",         "Odd Schema.on_array",        "Odd Schema.on_range",
      "select.parted_own"};
  ExpectBuilt(built, built_names, true);
  ExpectBuilt(built, deparsed_names, false);
}

// A default opclass made for varchar after an index on a varchar column took text_ops: that
// index now prints text_ops, and the indexes made later print nothing.
TEST(IndexDefinitionTest, DefaultOpclassChangedAfterTheIndex) {
  std::map<std::string, bool> built = CheckIndexDefinitions(CreateDatabase("idxopc", R"sql(
    CREATE TABLE public.opc (v varchar, t text);
    CREATE INDEX opc_before ON public.opc USING hash (v);
    CREATE OPERATOR CLASS public.varchar_hash_ops DEFAULT FOR TYPE varchar USING hash AS
      OPERATOR 1 = (text, text), FUNCTION 1 hashtext(text);
    CREATE INDEX opc_after ON public.opc USING hash (v);
    CREATE INDEX opc_text ON public.opc USING hash (t);
  )sql"));
  ExpectBuilt(built, {"public.opc_after", "public.opc_text"}, true);
  ExpectBuilt(built, {"public.opc_before"}, false);
}

TEST(IndexDefinitionTest, FidelityBaseSchema) {
  RunSql("postgres", kFidelityRolesSql);
  EXPECT_GT(BuiltInUserSchemas(CheckIndexDefinitions(CreateDatabase("idxfid", kFidelityBaseSql))),
            0u);
}

TEST(IndexDefinitionTest, Zabbix) {
  EXPECT_GT(BuiltInUserSchemas(CheckIndexDefinitions(CreateDatabase("idxzbx", ZabbixSql()))), 100u);
}

TEST(IndexDefinitionTest, MediaWiki) {
  EXPECT_GT(BuiltInUserSchemas(CheckIndexDefinitions(CreateDatabase("idxmw", MediaWikiSql()))),
            20u);
}

}  // namespace
}  // namespace pgtwin::testing
