// `pgtwin reconcile` safety on the fixture's PostgreSQL 15: a site that is the Prod instance is
// refused, applied DDL gives up on a lock an application holds, an apply is converged only
// when observing the sites again plans nothing, and protected names keep what Test has while
// what it lacks is created.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>

#include "providers/postgres/system_identifier.h"
#include "providers/snapshot/snapshot_dir.h"
#include "tests/integration/pg_test_env.h"
#include "tests/integration/reconcile_fixture.h"

namespace pgtwin {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunPgtwin;
using testing::RunSql;

using ReconcileSafetyTest = testing::ReconcileFixture;

// Action key -> its outcome's state and error, from a `reconcile --output json` document.
struct Outcomes {
  std::map<std::string, std::string> states;
  std::map<std::string, std::string> errors;
};

Outcomes OutcomesOf(const nlohmann::json& applied) {
  Outcomes outcomes;
  for (const auto& outcome : applied["outcomes"]) {
    const auto& action = applied["actions"][outcome["id"].get<int>()];
    outcomes.states[action["key"]] = outcome["state"];
    outcomes.errors[action["key"]] = outcome["error"].is_null() ? "" : outcome["error"];
  }
  return outcomes;
}

TEST_F(ReconcileSafetyTest, DumpRecordsTheSystemIdentifier) {
  std::string database = testing::CreateDatabase("safety_src", "CREATE TABLE t (a int);");
  CommandResult dump = RunPgtwin(
      {"dump", "--source", testing::DatabaseConninfo(database), "--output", dir_ + "/src"});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  StatusOr<Snapshot> snapshot = LoadSnapshot(dir_ + "/src");
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  StatusOr<std::string> id = ReadSystemIdentifier(testing::DatabaseConninfo("postgres"));
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(snapshot->system_identifier, *id);

  // A snapshot dumped again from a snapshot keeps it.
  dump = RunPgtwin({"dump", "--source", dir_ + "/src", "--output", dir_ + "/copy"});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  StatusOr<Snapshot> copy = LoadSnapshot(dir_ + "/copy");
  ASSERT_TRUE(copy.ok()) << copy.status().message();
  EXPECT_EQ(copy->system_identifier, *id);

  // A role that may not read it still dumps; the snapshot records none, said only with -v.
  std::string role = prefix_ + "_dumper";
  RunSql("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD 'dumper-secret'");
  RunSql(database, "REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC");
  std::string as_role = "host=127.0.0.1 port=" + std::to_string(testing::TestServerPort()) +
                        " user=" + role + " password=dumper-secret dbname=" + database;
  dump = RunPgtwin({"dump", "--source", as_role, "--output", dir_ + "/unprivileged"});
  EXPECT_EQ(dump.exit_code, 0) << dump.err;
  EXPECT_EQ(dump.err, "");
  StatusOr<Snapshot> unprivileged = LoadSnapshot(dir_ + "/unprivileged");
  ASSERT_TRUE(unprivileged.ok()) << unprivileged.status().message();
  EXPECT_EQ(unprivileged->system_identifier, "");
  dump = RunPgtwin({"-v", "dump", "--source", as_role, "--output", dir_ + "/unprivileged"});
  EXPECT_EQ(dump.exit_code, 0) << dump.err;
  EXPECT_THAT(dump.err, HasSubstr("the snapshot records no system identifier: "));
  EXPECT_THAT(dump.err, HasSubstr("permission denied for function pg_control_system"));
  testing::DropDatabase(database);
  RunSql("postgres", "DROP ROLE " + role);
}

TEST_F(ReconcileSafetyTest, RefusesASiteThatIsTheProdInstance) {
  MakeProd("CREATE TABLE t (a int);");
  // The Prod snapshot records this server's system identifier, as `pgtwin dump` of it does.
  StatusOr<std::string> id = ReadSystemIdentifier(testing::DatabaseConninfo("postgres"));
  ASSERT_TRUE(id.ok()) << id.status().message();
  StatusOr<Snapshot> prod = LoadSnapshot(dir_ + "/prod");
  ASSERT_TRUE(prod.ok()) << prod.status().message();
  ASSERT_TRUE(WriteSnapshot(prod->cluster, prod->all_databases, dir_ + "/prod", *id).ok());
  std::string spec = WriteSpec();

  CommandResult r = RunPgtwin({"reconcile", spec});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("pgtwin: site dc1: postgresql://postgres@127.0.0.1:"));
  EXPECT_THAT(r.err, HasSubstr(": refusing to apply: it is the same instance as the source Prod "
                               "snapshot (" +
                               dir_ + "/prod) (system identifier " + *id + ")"));
  EXPECT_THAT(r.out, HasSubstr("not planned: "));
  EXPECT_FALSE(testing::DatabaseExists(database_));
  pqxx::connection conn(testing::DatabaseConninfo("postgres"));
  pqxx::nontransaction work(conn);
  EXPECT_TRUE(work.exec("SELECT 1 FROM pg_roles WHERE rolname = " + work.quote(owner_)).empty());
}

TEST_F(ReconcileSafetyTest, DdlWaitingForAnApplicationsLockFailsFast) {
  MakeProd(R"sql(
    CREATE TABLE t (a int, b int);
    CREATE VIEW v AS SELECT b FROM t;
    CREATE TABLE u (c int);
  )sql");
  // Test has t without b, and an application reads t in a long transaction.
  RunSql("postgres", "CREATE DATABASE " + database_);
  RunSql(database_, "CREATE TABLE t (a int)");
  pqxx::connection application(testing::DatabaseConninfo(database_));
  pqxx::work reading(application);
  reading.exec("LOCK TABLE t IN ACCESS SHARE MODE");
  std::string spec = WriteSpec();

  auto start = std::chrono::steady_clock::now();
  nlohmann::json applied = ReconcileJson(spec, {"--ddl-lock-timeout", "1"}, 1);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 30);
  Outcomes outcomes = OutcomesOf(applied);
  EXPECT_EQ(outcomes.states["column:public.t.b"], "failed");
  EXPECT_THAT(outcomes.errors["column:public.t.b"],
              HasSubstr("site dc1, database " + database_ +
                        ": lock_timeout after 1 s waiting for a lock another session holds on "
                        "what the statement changes; statement: ALTER TABLE public.t"));
  EXPECT_EQ(outcomes.states["view:public.v"], "skipped");
  EXPECT_EQ(outcomes.states["table:public.u"], "done");
  EXPECT_EQ(applied["result"]["converged"], false);

  // Once the application is done, the next run converges.
  reading.abort();
  nlohmann::json again = ReconcileJson(spec, {}, 0);
  EXPECT_EQ(again["result"]["converged"], true);
}

// An event trigger on Test comments every table it sees created: each CREATE TABLE succeeds,
// yet Test does not match Prod afterwards.
constexpr char kCommentingTriggerSql[] = R"sql(
  CREATE FUNCTION note_tables() RETURNS event_trigger LANGUAGE plpgsql AS $$
  DECLARE r record;
  BEGIN
    FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE'
    LOOP
      EXECUTE format('COMMENT ON TABLE %s IS %L', r.object_identity, 'noted by a trigger');
    END LOOP;
  END $$;
  CREATE EVENT TRIGGER note_tables ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
    EXECUTE FUNCTION note_tables();
)sql";

TEST_F(ReconcileSafetyTest, ConvergedOnlyWhenObservingAgainPlansNothing) {
  MakeProd("CREATE TABLE t (a int); CREATE TABLE u (b int);");
  RunSql("postgres", "CREATE DATABASE " + database_);
  RunSql(database_, kCommentingTriggerSql);
  std::string spec = WriteSpec();

  nlohmann::json applied = ReconcileJson(spec, {}, 1);
  EXPECT_EQ(applied["result"]["failed"], 0);
  EXPECT_EQ(applied["result"]["skipped"], 0);
  EXPECT_GT(applied["result"]["done"].get<int>(), 0);
  EXPECT_EQ(applied["result"]["remaining"], 2);
  EXPECT_EQ(applied["result"]["verified"], false);
  EXPECT_EQ(applied["result"]["converged"], false);
  ASSERT_TRUE(applied["verification"].is_object()) << applied.dump(2);
  EXPECT_EQ(applied["verification"]["sites"][0]["name"], "dc1");
  EXPECT_EQ(applied["verification"]["sites"][0]["planned"], true);
  EXPECT_THAT(testing::Keys(applied["verification"]["remaining"]),
              ::testing::ElementsAre("table:public.t", "table:public.u"));
  EXPECT_EQ(applied["verification"]["remaining"][0]["op"], "alter");
  EXPECT_THAT(applied["verification"]["remaining"][0]["reason"].get<std::string>(),
              HasSubstr("noted by a trigger"));

  // The next run takes the comments away (the trigger fires on CREATE TABLE only): done and
  // verified, in the text report too.
  CommandResult again = RunPgtwin({"reconcile", spec});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_THAT(again.out, HasSubstr("\nVerify: dc1 observed again: nothing left to do.\n"));
  EXPECT_THAT(again.out, HasSubstr("\nConverged: 2 done, verified.\n"));

  // Nothing to do: nothing is observed again.
  nlohmann::json noop = ReconcileJson(spec, {}, 0);
  EXPECT_TRUE(noop["verification"].is_null());
  EXPECT_EQ(noop["result"]["verified"], true);
}

TEST_F(ReconcileSafetyTest, TextReportSaysWhatIsStillDifferent) {
  MakeProd("CREATE TABLE t (a int);");
  RunSql("postgres", "CREATE DATABASE " + database_);
  RunSql(database_, kCommentingTriggerSql);
  std::string spec = WriteSpec();

  CommandResult r = RunPgtwin({"reconcile", spec, "--no-color"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("\nVerify: dc1 observed again: still different\n  site dc1\n"
                               "  database " +
                               database_ + "\n    ~   table:public.t\n"));
  EXPECT_THAT(r.out, HasSubstr("; 1 still different after apply.\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("Converged")));
}

TEST_F(ReconcileSafetyTest, ProtectionKeepsWhatTestHasAndCreatesWhatItLacks) {
  MakeProd(R"sql(
    CREATE SCHEMA audit;
    CREATE TABLE audit.log (a int);
    CREATE TABLE audit.trail (b int);
  )sql");
  // Test has audit.trail, commented by hand; audit.log is missing.
  RunSql("postgres", "CREATE DATABASE " + database_);
  RunSql(database_,
         "CREATE SCHEMA audit; CREATE TABLE audit.trail (b int); "
         "COMMENT ON TABLE audit.trail IS 'kept by Test'");
  std::string spec = WriteSpec("", "policy: { protect: [\"^audit\\\\.\"] }\n");

  CommandResult dry = RunPgtwin({"reconcile", spec, "--dry-run", "--no-color"});
  EXPECT_EQ(dry.exit_code, 3) << dry.out << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("    +   table:audit.log\n"));
  EXPECT_THAT(dry.out,
              HasSubstr("    ~   table:audit.trail  [blocked: protected by policy: ^audit\\.]\n"));

  nlohmann::json applied = ReconcileJson(spec, {}, 1);
  Outcomes outcomes = OutcomesOf(applied);
  EXPECT_EQ(outcomes.states["table:audit.log"], "done");
  EXPECT_EQ(outcomes.states["table:audit.trail"], "skipped");
  pqxx::connection conn(testing::DatabaseConninfo(database_));
  pqxx::nontransaction work(conn);
  EXPECT_EQ(work.exec("SELECT obj_description('audit.trail'::regclass)")[0][0].as<std::string>(),
            "kept by Test");
  EXPECT_FALSE(work.exec("SELECT to_regclass('audit.log')")[0][0].is_null());
}

}  // namespace
}  // namespace pgtwin
