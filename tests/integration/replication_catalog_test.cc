// The replication and RPC part of the catalog reader against a real PostgreSQL 15 with the
// Debian packages of PgQ, pgq_node, Londiste and PL/Proxy: a root node set up over SQL only
// (as ../shared/brief/londiste-sql.md section 6 does it), a second queue with a consumer,
// partconf, and a PL/Proxy cluster over SQL/MED; what the dump captures, what it leaves out
// (Londiste's triggers as user triggers, PgQ's event tables, secrets), how many queries it
// sends, and what the diff reports when replication changes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/diff.h"
#include "model/object.h"
#include "providers/postgres/catalog_reader.h"
#include "providers/postgres/replication_text.h"
#include "reconciler/diff/ignore_rules.h"
#include "reconciler/diff/tree_diff.h"
#include "tests/integration/debian_schemas.h"
#include "tests/integration/pg_test_env.h"

namespace pgtwin {
namespace {

using testing::CreateDatabase;
using testing::DatabaseConninfo;
using testing::DropDatabase;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunSql;

// A root node of queue `sqlq` with three tables (a `part` table with its handler argument, a
// plain one, one without triggers), a sequence, a registered leaf `p000` whose location holds a
// password, partconf, a user trigger beside Londiste's, and a plain queue `events` with a
// consumer.
constexpr char kRootSql[] = R"sql(
CREATE EXTENSION pgq; CREATE EXTENSION pgq_node; CREATE EXTENSION londiste;
CREATE SCHEMA partconf;
CREATE TABLE partconf.conf (part_nr integer, max_part integer, db_code bigint,
                            is_primary boolean, max_slot integer, cluster_name text);
INSERT INTO partconf.conf VALUES (0, 1, 7, true, NULL, 'pcluster');
CREATE FUNCTION partconf.get_hash_raw(i integer) RETURNS integer LANGUAGE sql IMMUTABLE
  AS $$ SELECT hashtext($1::text) $$;
CREATE TABLE public.t_part (id integer PRIMARY KEY, v text);
CREATE TABLE public.t_plain (id integer PRIMARY KEY);
CREATE TABLE public.t_nt (id integer PRIMARY KEY);
CREATE TABLE public.t_other (id integer PRIMARY KEY);
CREATE SEQUENCE public.s1;
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER user_touch BEFORE INSERT ON public.t_part FOR EACH ROW EXECUTE FUNCTION public.touch();
SELECT * FROM pgq_node.register_location('sqlq', 'root', 'host=db1 dbname=root password=rootsecret', false);
SELECT * FROM pgq_node.create_node('sqlq', 'root', 'root', 'sqlq_root', NULL, NULL, NULL);
SELECT pgq.set_queue_config('sqlq', 'ticker_idle_period', '3 secs');
SELECT * FROM londiste.local_add_table('sqlq', 'public.t_part',
    ARRAY['ev_extra3=''hash=''||partconf.get_hash_raw(id)'], 'handler=part%28key%3did%29', NULL);
SELECT * FROM londiste.local_add_table('sqlq', 'public.t_plain', '{}', NULL, NULL);
SELECT * FROM londiste.local_add_table('sqlq', 'public.t_nt', ARRAY['no_triggers'], 'skip_truncate=1', NULL);
SELECT * FROM londiste.local_add_seq('sqlq', 'public.s1');
SELECT * FROM pgq_node.register_location('sqlq', 'p000', 'host=db2 dbname=p000 user=repl password=''s e c''', false);
SELECT * FROM pgq_node.register_subscriber('sqlq', 'p000', 'sqlq_p000', NULL);
SELECT pgq.create_queue('events');
SELECT pgq.set_queue_config('events', 'rotation_period', '1 hour');
SELECT pgq.register_consumer('events', 'mailer');
)sql";

constexpr char kProxySql[] = R"sql(
CREATE EXTENSION plproxy;
CREATE SERVER pcluster FOREIGN DATA WRAPPER plproxy OPTIONS (connection_lifetime '1800',
    p0 'host=db2 dbname=p000 password=topsecret', p1 'host=db2 dbname=p001');
CREATE USER MAPPING FOR PUBLIC SERVER pcluster OPTIONS (user 'postgres', password 'hunter2');
)sql";

// A leaf node `p000` of queue `sqlq` whose provider is `root` (brief section 6, leaf side):
// one part table with the handler, one added with --expect-sync, one only in the registry.
constexpr char kLeafSql[] = R"sql(
CREATE EXTENSION pgq; CREATE EXTENSION pgq_node; CREATE EXTENSION londiste;
CREATE SCHEMA partconf;
CREATE FUNCTION partconf.get_hash_raw(i integer) RETURNS integer LANGUAGE sql IMMUTABLE
  AS $$ SELECT hashtext($1::text) $$;
CREATE TABLE public.t_part (id integer PRIMARY KEY, v text);
CREATE TABLE public.t_plain (id integer PRIMARY KEY);
SELECT * FROM pgq_node.register_location('sqlq', 'p000', 'host=db2 dbname=p000', false);
SELECT * FROM pgq_node.register_location('sqlq', 'root', 'host=db1 dbname=root', false);
SELECT * FROM pgq_node.create_node('sqlq', 'leaf', 'p000', 'sqlq_p000', 'root', 1, NULL);
SELECT * FROM londiste.global_add_table('sqlq', 'public.t_part');
SELECT * FROM londiste.global_add_table('sqlq', 'public.t_plain');
SELECT * FROM londiste.global_add_table('sqlq', 'public.t_nt');
SELECT * FROM londiste.local_add_table('sqlq', 'public.t_part',
    ARRAY['ev_extra3=''hash=''||partconf.get_hash_raw(id)'], 'handler=part%28key%3did%29', NULL);
SELECT * FROM londiste.local_add_table('sqlq', 'public.t_plain', ARRAY['expect_sync'], NULL, NULL);
)sql";

// PL/Proxy clusters configured by functions (the older style): `fcluster` through
// plproxy.get_cluster_partitions / get_cluster_config; `broken` makes them fail.
constexpr char kFunctionProxySql[] = R"sql(
CREATE EXTENSION plproxy;
CREATE SCHEMA plproxy;
CREATE FUNCTION plproxy.get_cluster_version(name text) RETURNS integer LANGUAGE sql
  AS $$ SELECT 1 $$;
CREATE FUNCTION plproxy.get_cluster_partitions(name text) RETURNS SETOF text LANGUAGE plpgsql
  AS $$BEGIN
    IF name = 'broken' THEN RAISE EXCEPTION 'no such cluster'; END IF;
    RETURN NEXT 'host=db2 dbname=f000 password=fsecret'; RETURN NEXT 'host=db2 dbname=f001';
  END$$;
CREATE FUNCTION plproxy.get_cluster_config(IN name text, OUT key text, OUT val text)
  RETURNS SETOF record LANGUAGE sql AS $$ SELECT 'connection_lifetime'::text, '60'::text $$;
CREATE FUNCTION public.count_all() RETURNS SETOF bigint LANGUAGE plproxy
  AS $$ CLUSTER 'fcluster'; RUN ON ALL; SELECT count(*) FROM pg_class; $$;
)sql";

const Object& Child(const Object& parent, ObjectKind kind, const std::string& name) {
  static const Object kMissing;
  const Object* child = parent.FindChild(kind, name);
  if (child == nullptr) {
    ADD_FAILURE() << "no " << KindName(kind) << " '" << name << "' under '" << parent.name() << "'";
    return kMissing;
  }
  return *child;
}

// The one database of a read of `db`.
Object ReadDatabase(const std::string& db, CatalogReadStats* stats = nullptr) {
  StatusOr<Object> cluster = ReadCluster(DatabaseConninfo(db), {}, stats);
  EXPECT_TRUE(cluster.ok()) << cluster.status().message();
  if (!cluster.ok()) return Object();
  return Child(*cluster, ObjectKind::kDatabase, db);
}

// Every attribute of an object as "name=value", in canonical order.
std::vector<std::string> Attrs(const Object& object) {
  std::vector<std::string> attrs;
  for (const Attribute& attr : object.attrs()) attrs.push_back(attr.name + "=" + attr.value);
  return attrs;
}

std::vector<std::string> Names(const Object& parent, ObjectKind kind) {
  std::vector<std::string> names;
  for (const Object& child : parent.children()) {
    if (child.kind() == kind) names.push_back(child.name());
  }
  return names;
}

// "KIND CHANGE KEY" of each difference, and the changed attributes' names after a ':'.
std::vector<std::string> Differences(const Object& source, const Object& target) {
  std::vector<std::string> out;
  for (const DiffEntry& entry : DiffTrees(source, target, IgnoreRules()).entries) {
    std::string line = std::string(ChangeKindName(entry.change)) + " " + entry.Key();
    for (const AttributeChange& change : entry.attrs) line += " " + change.name;
    out.push_back(line);
  }
  return out;
}

bool Contains(const Object& object, const std::string& text) {
  for (const Attribute& attr : object.attrs()) {
    if (attr.name.find(text) != std::string::npos || attr.value.find(text) != std::string::npos) {
      return true;
    }
  }
  for (const Object& child : object.children()) {
    if (child.name().find(text) != std::string::npos || Contains(child, text)) return true;
  }
  return false;
}

class ReplicationCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::CreatePgqRoles();
  }
  void TearDown() override {
    for (const std::string& db : databases_) DropDatabase(db);
  }
  std::string MakeDatabase(const std::string& prefix, const std::string& sql) {
    databases_.push_back(CreateDatabase(prefix, sql));
    return databases_.back();
  }

 private:
  std::vector<std::string> databases_;
};

TEST_F(ReplicationCatalogTest, DumpsQueuesNodesTablesSequencesAndPartconf) {
  std::string db = MakeDatabase("repl_root", kRootSql);
  Object database = ReadDatabase(db);

  const Object& sqlq = Child(database, ObjectKind::kPgqQueue, "sqlq");
  EXPECT_THAT(Attrs(sqlq), ElementsAre("ticker_idle_period=00:00:03"));
  // The leaf's worker; not PgQ's own .global_watermark and .p000.watermark.
  EXPECT_THAT(Names(sqlq, ObjectKind::kPgqConsumer), ElementsAre("sqlq_p000"));
  const Object& events = Child(database, ObjectKind::kPgqQueue, "events");
  EXPECT_THAT(Attrs(events), ElementsAre("rotation_period=01:00:00"));
  EXPECT_THAT(Names(events, ObjectKind::kPgqConsumer), ElementsAre("mailer"));

  const Object& node = Child(database, ObjectKind::kPgqNode, "sqlq");
  EXPECT_THAT(Attrs(node),
              ElementsAre("node_name=root", "node_type=root", "worker_name=sqlq_root"));
  EXPECT_EQ(Child(node, ObjectKind::kPgqLocation, "root").Attr("location"), "host=db1 dbname=root");
  EXPECT_THAT(Attrs(Child(node, ObjectKind::kPgqLocation, "p000")),
              ElementsAre("location=host=db2 dbname=p000 user=repl"));
  EXPECT_THAT(Attrs(Child(node, ObjectKind::kPgqSubscriber, "p000")),
              ElementsAre("worker_name=sqlq_p000"));
  EXPECT_FALSE(Contains(database, "secret")) << "passwords are never read into the model";
  EXPECT_FALSE(Contains(database, "s e c"));

  EXPECT_THAT(Names(node, ObjectKind::kLondisteTable),
              ElementsAre("public.t_nt", "public.t_part", "public.t_plain"));
  EXPECT_THAT(
      Attrs(Child(node, ObjectKind::kLondisteTable, "public.t_part")),
      ElementsAre("handler=part", "handler_arg.key=id", "merge_state=ok",
                  "trigger=CREATE TRIGGER _londiste_sqlq AFTER INSERT OR DELETE OR UPDATE ON "
                  "public.t_part FOR EACH ROW EXECUTE FUNCTION pgq.logutriga('sqlq', "
                  "'ev_extra3=''hash=''||partconf.get_hash_raw(id)')",
                  "truncate_trigger=CREATE TRIGGER _londiste_sqlq_truncate AFTER TRUNCATE ON "
                  "public.t_part FOR EACH STATEMENT EXECUTE FUNCTION pgq.sqltriga('sqlq')"));
  EXPECT_THAT(Attrs(Child(node, ObjectKind::kLondisteTable, "public.t_plain")),
              ElementsAre("merge_state=ok",
                          "trigger=CREATE TRIGGER _londiste_sqlq AFTER INSERT OR DELETE OR UPDATE "
                          "ON public.t_plain FOR EACH ROW EXECUTE FUNCTION "
                          "pgq.logutriga('sqlq')",
                          "truncate_trigger=CREATE TRIGGER _londiste_sqlq_truncate AFTER TRUNCATE "
                          "ON public.t_plain FOR EACH STATEMENT EXECUTE FUNCTION "
                          "pgq.sqltriga('sqlq')"));
  // --no-triggers: no triggers; skip_truncate kept from table_attrs.
  EXPECT_THAT(Attrs(Child(node, ObjectKind::kLondisteTable, "public.t_nt")),
              ElementsAre("merge_state=ok", "table_attr.skip_truncate=1"));
  EXPECT_THAT(Names(node, ObjectKind::kLondisteSequence), ElementsAre("public.s1"));

  EXPECT_THAT(Attrs(Child(database, ObjectKind::kPartconf, "conf")),
              ElementsAre("cluster_name=pcluster", "db_code=7", "is_primary=true", "max_part=1",
                          "part_nr=0"));

  // Londiste's triggers are the table's replication, not user triggers; the user's stays.
  const Object& part =
      Child(Child(database, ObjectKind::kSchema, "public"), ObjectKind::kTable, "t_part");
  EXPECT_THAT(Names(part, ObjectKind::kTrigger), ElementsAre("user_touch"));
  // PgQ's event tables and their sequences are the queues' storage, not user tables; the
  // extension-owned pgq schema holds nothing else, so it is left out.
  EXPECT_EQ(database.FindChild(ObjectKind::kSchema, "pgq"), nullptr);
  EXPECT_EQ(database.FindChild(ObjectKind::kSchema, "pgq_node"), nullptr);
  EXPECT_EQ(database.FindChild(ObjectKind::kSchema, "londiste"), nullptr);
}

TEST_F(ReplicationCatalogTest, DumpsPlproxyClustersWithoutPasswords) {
  std::string db = MakeDatabase("repl_proxy", kProxySql);
  Object database = ReadDatabase(db);
  EXPECT_THAT(Attrs(Child(database, ObjectKind::kPlproxyCluster, "pcluster")),
              ElementsAre("connection_lifetime=1800", "owner=postgres", "p0=host=db2 dbname=p000",
                          "p1=host=db2 dbname=p001", "partitions=2",
                          "user_mappings=public(password=(set), user=postgres)"));
  EXPECT_FALSE(Contains(database, "topsecret"));
  EXPECT_FALSE(Contains(database, "hunter2"));
}

TEST_F(ReplicationCatalogTest, ARoleThatMayNotReadTheModulesStillDumps) {
  std::string db = MakeDatabase("repl_priv", std::string(kRootSql) + kFunctionProxySql);
  std::string role = db + "_reader";
  RunSql("postgres", "CREATE ROLE " + role + " LOGIN");
  StatusOr<Object> cluster = ReadCluster(DatabaseConninfo(db) + " user=" + role, {});
  RunSql("postgres", "DROP OWNED BY " + role + "; DROP ROLE " + role);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  const Object& database = Child(*cluster, ObjectKind::kDatabase, db);
  // partconf's schema grants it nothing: partconf is not read (nor a cluster function run).
  EXPECT_EQ(database.FindChild(ObjectKind::kPartconf, "conf"), nullptr);
  EXPECT_EQ(database.FindChild(ObjectKind::kPlproxyCluster, "fcluster"), nullptr);
}

TEST_F(ReplicationCatalogTest, DumpsPlproxyClustersConfiguredByFunctions) {
  std::string db = MakeDatabase("repl_fproxy", kFunctionProxySql);
  CatalogReadStats stats;
  Object database = ReadDatabase(db, &stats);
  EXPECT_THAT(Attrs(Child(database, ObjectKind::kPlproxyCluster, "fcluster")),
              ElementsAre("config_source=functions", "connection_lifetime=60",
                          "p0=host=db2 dbname=f000", "p1=host=db2 dbname=f001", "partitions=2"));
  // (The password is still in the body of the user's function, which is compared as code.)
  EXPECT_FALSE(Contains(Child(database, ObjectKind::kPlproxyCluster, "fcluster"), "fsecret"));

  // A cluster whose functions fail is left out; the rest of the database is still read.
  RunSql(db,
         "CREATE FUNCTION public.count_broken() RETURNS SETOF bigint LANGUAGE plproxy "
         "AS $$ CLUSTER 'broken'; RUN ON ALL; SELECT count(*) FROM pg_class; $$");
  CatalogReadStats broken_stats;
  Object broken = ReadDatabase(db, &broken_stats);
  EXPECT_EQ(broken.FindChild(ObjectKind::kPlproxyCluster, "fcluster"), nullptr);
  EXPECT_NE(Child(broken, ObjectKind::kSchema, "public")
                .FindChild(ObjectKind::kFunction, "count_broken()"),
            nullptr);
  EXPECT_EQ(stats.queries, broken_stats.queries);
}

TEST_F(ReplicationCatalogTest, QueryCountIsFixedAndPlainDatabasesAreUntouched) {
  std::string plain = MakeDatabase("repl_plain", "CREATE TABLE t (id int PRIMARY KEY)");
  std::string small = MakeDatabase("repl_small", kRootSql);
  // Many more queues, nodes, tables, sequences and consumers: the same queries.
  std::string large = MakeDatabase(
      "repl_large",
      std::string(kRootSql) +
          "DO $$DECLARE i int; BEGIN FOR i IN 1..40 LOOP "
          "EXECUTE format('CREATE TABLE public.x%s (id int PRIMARY KEY); "
          "CREATE SEQUENCE public.xs%s', i, i); "
          "PERFORM londiste.local_add_table('sqlq', 'public.x' || i, '{}', NULL, NULL); "
          "PERFORM londiste.local_add_seq('sqlq', 'public.xs' || i); "
          "PERFORM pgq.create_queue('q' || i); "
          "PERFORM pgq.register_consumer('q' || i, 'c' || i); END LOOP; END$$");
  CatalogReadStats plain_stats, small_stats, large_stats;
  Object plain_db = ReadDatabase(plain, &plain_stats);
  Object small_db = ReadDatabase(small, &small_stats);
  Object large_db = ReadDatabase(large, &large_stats);
  EXPECT_EQ(Names(Child(large_db, ObjectKind::kPgqNode, "sqlq"), ObjectKind::kLondisteTable).size(),
            43u);
  EXPECT_EQ(small_stats.queries, large_stats.queries);
  // A database without the modules costs the probe only: five queries fewer (queues, nodes,
  // members, Londiste tables and sequences; partconf adds one more to the root's).
  EXPECT_EQ(plain_stats.queries + 6, small_stats.queries);
  for (const Object& child : plain_db.children()) {
    EXPECT_FALSE(IsReplicationKind(child.kind())) << KindName(child.kind());
  }
}

TEST_F(ReplicationCatalogTest, DiffReportsReplicationChanges) {
  std::string prod = MakeDatabase("repl_prod", std::string(kRootSql) + kProxySql);
  std::string test = MakeDatabase("repl_test", std::string(kRootSql) + kProxySql);
  Object before = ReadDatabase(test);
  EXPECT_THAT(Differences(ReadDatabase(prod), before), ElementsAre())
      << "the same setup twice compares equal";

  RunSql(test,
         // A changed handler argument (trigger argument and table_attrs, as change-handler does).
         "SELECT * FROM londiste.local_change_handler('sqlq', 'public.t_part', "
         "ARRAY['ev_extra3=''hash=''||partconf.get_hash_raw(v)'], 'handler=part%28key%3dv%29');"
         // A table removed from replication, one added.
         "SELECT * FROM londiste.local_remove_table('sqlq', 'public.t_plain');"
         "SELECT * FROM londiste.local_add_table('sqlq', 'public.t_other', '{}', NULL, NULL);"
         // A partition moved.
         "ALTER SERVER pcluster OPTIONS (SET p1 'host=db3 dbname=p001');");
  std::vector<std::string> differences = Differences(ReadDatabase(prod), ReadDatabase(test));
  EXPECT_THAT(differences,
              ElementsAre("target_only londiste_table:sqlq.public.t_other",
                          "changed londiste_table:sqlq.public.t_part handler_arg.key trigger",
                          "source_only londiste_table:sqlq.public.t_plain",
                          "changed plproxy_cluster:pcluster p1"));
  // Londiste's triggers moved with the tables: no user trigger differs.
  for (const std::string& line : differences) EXPECT_THAT(line, Not(HasSubstr(" trigger:")));
}

TEST_F(ReplicationCatalogTest, PlainSqlPgqKeepsItsSchemaButNotTheEventTables) {
  std::string sql = testing::PgqSql();
  ASSERT_FALSE(sql.empty());
  std::string db = MakeDatabase("repl_plainpgq", sql + "; SELECT pgq.create_queue('jobs');");
  Object database = ReadDatabase(db);
  EXPECT_THAT(Attrs(Child(database, ObjectKind::kPgqQueue, "jobs")), ElementsAre());
  const Object& pgq = Child(database, ObjectKind::kSchema, "pgq");
  EXPECT_NE(pgq.FindChild(ObjectKind::kTable, "queue"), nullptr) << "PgQ's own tables stay";
  EXPECT_NE(pgq.FindChild(ObjectKind::kTable, "event_template"), nullptr);
  for (const Object& child : pgq.children()) {
    if (child.kind() != ObjectKind::kTable && child.kind() != ObjectKind::kSequence) continue;
    EXPECT_FALSE(child.name().starts_with("event_") && child.name() != "event_template")
        << KindName(child.kind()) << " " << child.name();
  }
}

TEST_F(ReplicationCatalogTest, DumpsALeafNode) {
  std::string db = MakeDatabase("repl_leaf", kLeafSql);
  Object database = ReadDatabase(db);
  EXPECT_EQ(database.FindChild(ObjectKind::kPgqQueue, "sqlq"), nullptr) << "a leaf has no queue";
  const Object& node = Child(database, ObjectKind::kPgqNode, "sqlq");
  EXPECT_THAT(Attrs(node), ElementsAre("node_name=p000", "node_type=leaf", "provider_node=root",
                                       "worker_name=sqlq_p000"));
  EXPECT_THAT(Names(node, ObjectKind::kPgqLocation), ElementsAre("p000", "root"));
  // Only the tables replicated here: t_nt is in the registry only.
  EXPECT_THAT(Names(node, ObjectKind::kLondisteTable),
              ElementsAre("public.t_part", "public.t_plain"));
  const Object& part = Child(node, ObjectKind::kLondisteTable, "public.t_part");
  EXPECT_EQ(part.Attr("merge_state"), "pending") << "no copy has run";
  EXPECT_EQ(part.Attr("trigger"),
            "CREATE TRIGGER _londiste_sqlq AFTER INSERT OR DELETE OR UPDATE ON public.t_part FOR "
            "EACH ROW EXECUTE FUNCTION pgq.logutriga('sqlq', "
            "'ev_extra3=''hash=''||partconf.get_hash_raw(id)', 'deny')");
  EXPECT_EQ(Child(node, ObjectKind::kLondisteTable, "public.t_plain").Attr("merge_state"), "ok");
  EXPECT_THAT(
      Names(Child(Child(database, ObjectKind::kSchema, "public"), ObjectKind::kTable, "t_part"),
            ObjectKind::kTrigger),
      ElementsAre());
}

TEST_F(ReplicationCatalogTest, CliDumpAndMappedDiff) {
  // Prod's node and shard names carry p255 where Test's carry p000.
  std::string prod_sql = kRootSql;
  for (size_t at = prod_sql.find("p000"); at != std::string::npos; at = prod_sql.find("p000")) {
    prod_sql.replace(at, 4, "p255");
  }
  std::string prod = MakeDatabase("repl_cliprod", prod_sql);
  std::string test = MakeDatabase("repl_clitest", kRootSql);
  testing::CommandResult dump =
      testing::RunPgtwin({"dump", "--source", DatabaseConninfo(prod), "--format", "json"});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  EXPECT_THAT(dump.out, HasSubstr("\"kind\": \"londiste_table\""));
  EXPECT_THAT(dump.out, HasSubstr("\"handler_arg.key\": \"id\""));
  EXPECT_THAT(dump.out, Not(HasSubstr("secret")));
  std::string dir = testing::TempDir();
  dump = testing::RunPgtwin({"dump", "--source", DatabaseConninfo(prod), "--output", dir});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;

  // Mapped, the snapshot's p255 compares with Test's p000: the same.
  std::string snapshot = dir + "/databases/" + prod + ".json";
  testing::CommandResult diff = testing::RunPgtwin(
      {"diff", "--source", snapshot, "--target", DatabaseConninfo(test), "--map", "p255=p000"});
  EXPECT_EQ(diff.exit_code, 0) << diff.err << diff.out;
  diff = testing::RunPgtwin({"diff", "--source", snapshot, "--target", DatabaseConninfo(test)});
  EXPECT_EQ(diff.exit_code, 2) << diff.err;
  for (const char* line :
       {"+ pgq_consumer sqlq_p255\n", "- pgq_consumer sqlq_p000\n", "+ pgq_location p255\n",
        "- pgq_location p000\n", "+ pgq_subscriber p255\n", "- pgq_subscriber p000\n",
        "pgq_location: 1 only in source, 1 only in target, 0 changed\n"}) {
    EXPECT_THAT(diff.out, HasSubstr(line));
  }
}

TEST(ReplicationTextTest, DecodesHandlersAndRedactsConnstrs) {
  using replication_text::ParseHandler;
  using replication_text::RedactConnstr;
  using replication_text::UrlDecodePairs;
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(
      UrlDecodePairs("handler=part%28key%3did%29&skip_truncate=1&copy_node=%3f&flag"),
      (Pairs{
          {"handler", "part(key=id)"}, {"skip_truncate", "1"}, {"copy_node", "?"}, {"flag", ""}}));
  EXPECT_EQ(UrlDecodePairs("a=b+c%2Bd&&x=%zz"), (Pairs{{"a", "b c+d"}, {"x", "%zz"}}));
  replication_text::Handler handler = ParseHandler("shard(key=id,hash_key=h%2c1)");
  EXPECT_EQ(handler.name, "shard");
  EXPECT_EQ(handler.args, (Pairs{{"key", "id"}, {"hash_key", "h,1"}}));
  EXPECT_EQ(ParseHandler("bulk").name, "bulk");
  EXPECT_TRUE(ParseHandler("bulk").args.empty());

  EXPECT_EQ(RedactConnstr("host=a password=x dbname=b"), "host=a dbname=b");
  EXPECT_EQ(RedactConnstr("host=a password = 'it\\'s x' sslpassword=k user=u"), "host=a user=u");
  EXPECT_EQ(RedactConnstr("postgresql://u:pw@h:5432/db?sslmode=require&password=x"),
            "postgresql://u@h:5432/db?sslmode=require");
  EXPECT_EQ(RedactConnstr("postgres://h/db"), "postgres://h/db");
}

}  // namespace
}  // namespace pgtwin
