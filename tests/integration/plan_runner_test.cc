// The PostgreSQL action runner and the target lock against a real PostgreSQL 15: transactions,
// sessions per database, password hashes substituted and never shown, one-line errors, lock and
// statement timeouts, the advisory lock and the refusal to write to a source.
#include "providers/postgres/plan_runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "providers/postgres/system_identifier.h"
#include "providers/postgres/target_lock.h"
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

// A hash as pg_authid stores it; the test only checks that it arrives unchanged.
constexpr char kHash[] =
    "SCRAM-SHA-256$4096:c2FsdHNhbHRzYWx0c2FsdA==$a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=:"
    "dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnZ2dnY=";

std::string Query(const std::string& database, const std::string& sql) {
  pqxx::connection conn(DatabaseConninfo(database));
  pqxx::nontransaction work(conn);
  pqxx::result rows = work.exec(sql);
  return rows.empty() || rows[0][0].is_null() ? "" : rows[0][0].as<std::string>();
}

Action MakeAction(const std::string& database, std::vector<std::string> sql) {
  Action action;
  action.site = "dc1";
  action.database = database;
  action.key = "table:public.t";
  action.sql = std::move(sql);
  return action;
}

// A lower-case name unique to this process and call, usable unquoted in SQL.
std::string UniqueName(const std::string& prefix) {
  static int counter = 0;
  return prefix + "_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
}

class PlanRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override { database_ = CreateDatabase("runner"); }
  void TearDown() override { DropDatabase(database_); }

  PlanRunner MakeRunner(PasswordHashes passwords = {}) {
    return PlanRunner({{"dc1", TestServerConninfo()}}, std::move(passwords));
  }

  std::string database_;
};

TEST_F(PlanRunnerTest, RunsAnActionsStatementsInOneTransaction) {
  PlanRunner runner = MakeRunner();
  EXPECT_TRUE(
      runner.Run(MakeAction(database_, {"CREATE TABLE t (a int)", "INSERT INTO t VALUES (1)"}))
          .ok());
  EXPECT_EQ(Query(database_, "SELECT count(*) FROM t"), "1");

  Status status = runner.Run(MakeAction(
      database_, {"CREATE TABLE u (a int)", "ALTER TABLE u\n  ADD COLUMN a int", "SELECT 1"}));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "site dc1, database " + database_ +
                                  ": column \"a\" of relation \"u\" already exists; statement: "
                                  "ALTER TABLE u");
  EXPECT_EQ(Query(database_, "SELECT to_regclass('u')::text"), "") << "rolled back";
  // The session is still usable.
  EXPECT_TRUE(runner.Run(MakeAction(database_, {"CREATE TABLE u (a int)"})).ok());
}

TEST_F(PlanRunnerTest, AStatementGivesUpOnALockAfterTheLockTimeout) {
  RunSql(database_, "CREATE TABLE t (a int)");
  pqxx::connection application(DatabaseConninfo(database_));
  pqxx::work reading(application);
  reading.exec("LOCK TABLE t IN ACCESS SHARE MODE");
  PlanRunner runner({{"dc1", TestServerConninfo()}}, {}, RunLimits{1, 600});
  Status status = runner.Run(MakeAction(database_, {"ALTER TABLE t ADD COLUMN b int"}));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "site dc1, database " + database_ +
                                  ": lock_timeout after 1 s waiting for a lock another session "
                                  "holds on what the statement changes; statement: ALTER TABLE "
                                  "t ADD COLUMN b int");
  reading.abort();
  EXPECT_TRUE(runner.Run(MakeAction(database_, {"ALTER TABLE t ADD COLUMN b int"})).ok());
}

TEST_F(PlanRunnerTest, AStatementRunningLongerThanTheStatementTimeoutFails) {
  PlanRunner runner({{"dc1", TestServerConninfo()}}, {}, RunLimits{5, 1});
  Status status = runner.Run(MakeAction(database_, {"SELECT pg_sleep(3)"}));
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr(": statement_timeout after 1 s; statement: SELECT"));
}

TEST_F(PlanRunnerTest, FunctionBodiesAreNotCheckedAndNoticesAreNotPrinted) {
  PlanRunner runner = MakeRunner();
  Status status = runner.Run(MakeAction(
      database_, {"CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM later'",
                  "DROP TABLE IF EXISTS nothing_here"}));
  EXPECT_TRUE(status.ok()) << status.message();
}

TEST_F(PlanRunnerTest, CreatesDatabasesOutsideATransactionAndConnectsToThemLazily) {
  std::string created = UniqueName("runner_new");
  PlanRunner runner = MakeRunner();
  Action create = MakeAction("", {"CREATE DATABASE " + created});
  create.kind = ObjectKind::kDatabase;
  create.key = "database:" + created;
  create.in_transaction = false;
  Status status = runner.Run(create);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(runner.Run(MakeAction(created, {"CREATE SCHEMA s"})).ok());
  EXPECT_EQ(Query(created, "SELECT count(*) FROM pg_namespace WHERE nspname = 's'"), "1");
  // Dropping it closes the runner's own session in it first.
  Action drop = create;
  drop.op = ActionOp::kDrop;
  drop.sql = {"DROP DATABASE " + created};
  status = runner.Run(drop);
  EXPECT_TRUE(status.ok()) << status.message();
  DropDatabase(created);
}

TEST_F(PlanRunnerTest, PutsThePasswordHashInAndKeepsItOutOfErrors) {
  std::string role = UniqueName("runner_role");
  PlanRunner runner = MakeRunner({{role, kHash}});
  Action create = MakeAction(
      "", {"CREATE ROLE " + role + " LOGIN PASSWORD " + std::string(kSecretPlaceholder)});
  create.kind = ObjectKind::kRole;
  create.secret_role = role;
  Status status = runner.Run(create);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(Query("postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = '" + role + "'"),
            kHash);

  // The server quotes the value in its error; the runner puts the placeholder back.
  Action bad = create;
  bad.sql = {"SELECT " + std::string(kSecretPlaceholder) + "::int"};
  status = runner.Run(bad);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), Not(HasSubstr("SCRAM")));
  EXPECT_THAT(status.message(), HasSubstr("invalid input syntax for type integer"));
  EXPECT_THAT(status.message(), HasSubstr("<redacted>"));

  Action missing = create;
  missing.secret_role = "nobody_has_this_role";
  status = runner.Run(missing);
  EXPECT_EQ(status.message(),
            "site dc1: the statement needs a password hash and there is none for role "
            "'nobody_has_this_role'; statement: CREATE ROLE " +
                role + " LOGIN PASSWORD '<redacted>'");
  RunSql("postgres", "DROP ROLE " + role);
}

TEST_F(PlanRunnerTest, AFailedConnectionNamesTheSiteAndDatabase) {
  PlanRunner runner = MakeRunner();
  Status status = runner.Run(MakeAction("no_such_database_here", {"SELECT 1"}));
  EXPECT_THAT(status.message(), HasSubstr("site dc1, database no_such_database_here ("));
  EXPECT_THAT(status.message(), HasSubstr("does not exist"));
  EXPECT_TRUE(runner.Run(MakeAction(database_, {"SELECT 1"})).ok());
}

TEST_F(PlanRunnerTest, ALostConnectionIsReopenedByTheNextAction) {
  PlanRunner runner = MakeRunner();
  ASSERT_TRUE(runner.Run(MakeAction(database_, {"SELECT 1"})).ok());
  RunSql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                         database_ + "' AND pid <> pg_backend_pid()");
  Status status = runner.Run(MakeAction(database_, {"SELECT 1"}));
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("site dc1, database " + database_ + ": "));
  status = runner.Run(MakeAction(database_, {"SELECT 1"}));
  EXPECT_TRUE(status.ok()) << status.message();
}

// pgtwin's lock is one per instance, and other tests take it on the fixture server for the
// few seconds of a reconcile: a holder here waits for it as a reconcile would (60 s); only the
// second acquisition, while the first holds it, is refused without waiting.
TEST(TargetLockTest, ASecondHolderWaitsThenGivesUpNamingTheHolder) {
  TargetLockOptions options;
  options.environment = UniqueName("env");
  std::string conninfo = DatabaseConninfo("postgres");
  StatusOr<std::unique_ptr<TargetLock>> first = TargetLock::Acquire(conninfo, options);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ((*first)->system_identifier(), *ReadSystemIdentifier(conninfo));

  options.timeout_seconds = 0;
  StatusOr<std::unique_ptr<TargetLock>> second = TargetLock::Acquire(conninfo, options);
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(second.status().message(),
              HasSubstr(": another pgtwin reconcile (environment '" + options.environment +
                        "', pid "));
  EXPECT_THAT(second.status().message(), HasSubstr(") holds pgtwin's lock on this instance"));
  EXPECT_THAT(second.status().message(), HasSubstr("; not waiting"));

  std::string waited;
  options.timeout_seconds = 1;
  options.on_wait = [&waited](const std::string& line) { waited = line; };
  second = TargetLock::Acquire(conninfo, options);
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(second.status().message(), HasSubstr("; gave up after 1 s"));
  EXPECT_THAT(waited, HasSubstr("waiting up to 1 s"));

  first = Status(StatusCode::kInternal, "released");
  options.timeout_seconds = 60;
  second = TargetLock::Acquire(conninfo, options);
  EXPECT_TRUE(second.ok()) << second.status().message();
}

TEST(TargetLockTest, AnotherEnvironmentOnTheSameInstanceIsRefusedNamingTheHolder) {
  TargetLockOptions a;
  a.environment = UniqueName("qa1");
  TargetLockOptions b = a;
  b.environment = UniqueName("qa2");
  b.timeout_seconds = 0;
  std::string conninfo = DatabaseConninfo("postgres");
  auto first = TargetLock::Acquire(conninfo, a);
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto second = TargetLock::Acquire(conninfo, b);
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(second.status().message(),
              HasSubstr("another pgtwin reconcile (environment '" + a.environment + "'"));
}

TEST(TargetLockTest, RefusesAnInstanceThatIsASource) {
  std::string conninfo = DatabaseConninfo("postgres");
  TargetLockOptions options;
  options.environment = UniqueName("env");
  options.sources = {{"INT (postgresql://int:5432)", *ReadSystemIdentifier(conninfo)}};
  auto lock = TargetLock::Acquire(conninfo, options);
  ASSERT_FALSE(lock.ok());
  EXPECT_EQ(lock.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(lock.status().message(),
              HasSubstr(": refusing to apply: it is the same instance as the source INT "
                        "(postgresql://int:5432) (system identifier "));
}

TEST(TargetLockTest, ReportsAnUnreachableSite) {
  TargetLockOptions options;
  options.environment = "x";
  auto lock = TargetLock::Acquire("host=127.0.0.1 port=1 connect_timeout=2", options);
  ASSERT_FALSE(lock.ok());
  EXPECT_THAT(lock.status().message(), HasSubstr("postgresql://127.0.0.1:1"));
  EXPECT_THAT(lock.status().message(), HasSubstr("could not connect"));
}

}  // namespace
}  // namespace pgtwin
