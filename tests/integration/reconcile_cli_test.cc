// `pgtwin reconcile` as a user runs it, against the fixture's PostgreSQL 15. Each test dumps a
// database it made into a Prod snapshot (keeping only its own roles), drops that database and
// its roles, and lets reconcile build them again on the same server from the snapshot (names are
// kept, so source and Test cannot live side by side on one server).
#include <arpa/inet.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "providers/postgres/target_lock.h"
#include "providers/snapshot/snapshot_dir.h"
#include "tests/integration/pg_test_env.h"
#include "tests/integration/reconcile_fixture.h"

namespace pgtwin {
namespace {

using testing::CommandResult;
using testing::FreePort;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunPgtwin;
using testing::RunSql;

// Objects of most kinds, owned by {owner}, with a grant to {reader}. The last column of
// app.customers (note) is the one the drift test drops.
constexpr char kShopSql[] = R"sql(
  CREATE SCHEMA app AUTHORIZATION {owner};
  CREATE TYPE app.state AS ENUM ('new', 'done');
  CREATE SEQUENCE app.order_ids START 100;
  CREATE TABLE app.customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    state app.state DEFAULT 'new',
    note text);
  CREATE TABLE app.orders (
    id bigint PRIMARY KEY DEFAULT nextval('app.order_ids'),
    customer_id bigint REFERENCES app.customers (id),
    amount numeric(12, 2) CHECK (amount >= 0));
  CREATE INDEX orders_customer_idx ON app.orders (customer_id);
  CREATE FUNCTION app.total(bigint) RETURNS numeric LANGUAGE sql STABLE
    AS $$SELECT coalesce(sum(amount), 0) FROM app.orders WHERE customer_id = $1$$;
  CREATE VIEW app.customer_totals AS SELECT c.id, c.name, app.total(c.id) AS total
    FROM app.customers c;
  CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql
    AS $$BEGIN NEW.note := coalesce(NEW.note, 'x'); RETURN NEW; END$$;
  CREATE TRIGGER customers_touch BEFORE INSERT ON app.customers
    FOR EACH ROW EXECUTE FUNCTION app.touch();
  COMMENT ON TABLE app.customers IS 'people who order';
  ALTER TYPE app.state OWNER TO {owner};
  ALTER SEQUENCE app.order_ids OWNER TO {owner};
  ALTER TABLE app.customers OWNER TO {owner};
  ALTER TABLE app.orders OWNER TO {owner};
  ALTER FUNCTION app.total(bigint) OWNER TO {owner};
  ALTER VIEW app.customer_totals OWNER TO {owner};
  ALTER FUNCTION app.touch() OWNER TO {owner};
  GRANT USAGE ON SCHEMA app TO {reader};
  GRANT SELECT ON app.customer_totals TO {reader};
)sql";

using ReconcileCliTest = testing::ReconcileFixture;
using testing::Keys;
using testing::Replace;
using testing::WriteFile;
using testing::DatabaseExists;

TEST_F(ReconcileCliTest, BuildsFromEmptyThenChangesNothing) {
  MakeProd(kShopSql);
  std::string spec = WriteSpec();

  CommandResult dry = RunPgtwin({"reconcile", spec, "--dry-run"});
  EXPECT_EQ(dry.exit_code, 2) << dry.out << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("    +   role:" + owner_ + "\n"));
  EXPECT_THAT(dry.out, HasSubstr("    +   database:" + database_ + "\n"));
  EXPECT_THAT(dry.out, HasSubstr("  database " + database_ + "\n"));
  EXPECT_THAT(dry.out, HasSubstr("\nPlan: "));

  CommandResult apply = RunPgtwin({"reconcile", spec});
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_THAT(apply.out, HasSubstr("\nConverged: "));
  EXPECT_THAT(apply.out, Not(HasSubstr("failed")));

  // Test now equals the snapshot.
  CommandResult diff =
      RunPgtwin({"diff", "--source", dir_ + "/prod/databases/" + database_ + ".json", "--target",
                 testing::DatabaseConninfo(database_)});
  EXPECT_EQ(diff.exit_code, 0) << diff.out << diff.err;

  nlohmann::json plan = ReconcileJson(spec, {"--dry-run"}, 0);
  EXPECT_EQ(plan["actions"].size(), 0u) << plan["actions"].dump(2);
  EXPECT_EQ(plan["applied"], false);

  // A converged environment sends nothing that writes: every session of this run is read-only.
  CommandResult again =
      testing::RunCommand({"/usr/bin/env", "PGOPTIONS=-c default_transaction_read_only=on",
                           testing::PgtwinBinary(), "reconcile", spec, "--output", "json"});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  nlohmann::json applied = nlohmann::json::parse(again.out, nullptr, false);
  EXPECT_EQ(applied["outcomes"].size(), 0u);
  EXPECT_EQ(applied["result"]["converged"], true);
}

TEST_F(ReconcileCliTest, RepairsDriftAndOnlyThat) {
  MakeProd(kShopSql);
  std::string spec = WriteSpec();
  ASSERT_EQ(RunPgtwin({"reconcile", spec}).exit_code, 0);

  RunSql(database_, "ALTER TABLE app.customers DROP COLUMN note");
  nlohmann::json plan = ReconcileJson(spec, {"--dry-run"}, 2);
  EXPECT_THAT(Keys(plan["actions"]), ::testing::ElementsAre("column:app.customers.note"));
  EXPECT_EQ(plan["actions"][0]["op"], "create");
  EXPECT_EQ(plan["actions"][0]["database"], database_);

  nlohmann::json applied = ReconcileJson(spec, {}, 0);
  EXPECT_EQ(applied["result"]["done"], 1);
  EXPECT_EQ(ReconcileJson(spec, {"--dry-run"}, 0)["actions"].size(), 0u);
}

TEST_F(ReconcileCliTest, AFailingActionSkipsOnlyItsDependents) {
  MakeProd(R"sql(
    CREATE TABLE t (a int);
    CREATE VIEW v1 AS SELECT a FROM t;
    CREATE VIEW v2 AS SELECT a FROM v1;
    CREATE TABLE u (b int);
  )sql");
  // Test already has the database, with an event trigger that refuses CREATE VIEW.
  RunSql("postgres", "CREATE DATABASE " + database_);
  RunSql(database_, R"sql(
    CREATE FUNCTION no_views() RETURNS event_trigger LANGUAGE plpgsql
      AS $$BEGIN RAISE EXCEPTION 'views are not allowed here'; END$$;
    CREATE EVENT TRIGGER no_views ON ddl_command_start WHEN TAG IN ('CREATE VIEW')
      EXECUTE FUNCTION no_views();
  )sql");
  std::string spec = WriteSpec();

  nlohmann::json applied = ReconcileJson(spec, {}, 1);
  std::map<std::string, std::string> states;
  std::map<std::string, std::string> errors;
  for (const auto& outcome : applied["outcomes"]) {
    const auto& action = applied["actions"][outcome["id"].get<int>()];
    states[action["key"]] = outcome["state"];
    errors[action["key"]] = outcome["error"].is_null() ? "" : outcome["error"];
  }
  EXPECT_EQ(states["table:public.t"], "done");
  EXPECT_EQ(states["table:public.u"], "done");
  EXPECT_EQ(states["view:public.v1"], "failed");
  EXPECT_EQ(states["view:public.v2"], "skipped");
  EXPECT_THAT(errors["view:public.v1"],
              HasSubstr("site dc1, database " + database_ +
                        ": views are not allowed here; statement: CREATE VIEW"));
  EXPECT_THAT(errors["view:public.v2"], HasSubstr("view:public.v1), which failed"));
  EXPECT_EQ(applied["result"]["converged"], false);

  // Once the obstacle is gone, the next run converges.
  RunSql(database_, "DROP EVENT TRIGGER no_views");
  nlohmann::json again = ReconcileJson(spec, {}, 0);
  EXPECT_THAT(Keys(again["actions"]),
              ::testing::UnorderedElementsAre("view:public.v1", "view:public.v2"));
}

TEST_F(ReconcileCliTest, WaitsForAnotherReconcileThenGivesUpNamingIt) {
  MakeProd("CREATE TABLE t (a int);");
  std::string spec = WriteSpec();
  // A reconcile of another environment on the same instance holds it (roles are
  // instance-wide): this one waits, then gives up naming that environment.
  TargetLockOptions other;
  other.environment = environment_ + "-other";
  StatusOr<std::unique_ptr<TargetLock>> holder =
      TargetLock::Acquire(testing::DatabaseConninfo("postgres"), other);
  ASSERT_TRUE(holder.ok()) << holder.status().message();

  CommandResult r = RunPgtwin({"reconcile", spec, "--lock-timeout", "1"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  std::string busy = "another pgtwin reconcile (environment '" + other.environment + "', pid ";
  EXPECT_THAT(r.err, HasSubstr(busy));
  EXPECT_THAT(r.err, HasSubstr("waiting up to 1 s"));
  EXPECT_THAT(r.err, HasSubstr("pgtwin: site dc1: postgresql://postgres@127.0.0.1:"));
  EXPECT_THAT(r.err, HasSubstr("; gave up after 1 s"));
  EXPECT_THAT(r.out, HasSubstr("not planned: "));
  r = RunPgtwin({"reconcile", spec, "--lock-timeout", "0"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr(busy));
  EXPECT_THAT(r.err, HasSubstr("holds pgtwin's lock on this instance; not waiting"));

  // A dry run only reads and takes no lock.
  EXPECT_EQ(RunPgtwin({"reconcile", spec, "--dry-run"}).exit_code, 2);
  holder = Status(StatusCode::kInternal, "released");
  EXPECT_EQ(RunPgtwin({"reconcile", spec}).exit_code, 0);
}

TEST_F(ReconcileCliTest, ASiteDownDoesNotStopTheOthers) {
  MakeProd("CREATE TABLE t (a int);");
  std::string spec = WriteSpec("  dc2: { host: 127.0.0.1, port: 1, user: postgres }\n");
  nlohmann::json applied = ReconcileJson(spec, {}, 1);
  EXPECT_EQ(applied["sites"][0]["planned"], true);
  EXPECT_EQ(applied["sites"][1]["planned"], false);
  EXPECT_THAT(applied["sites"][1]["error"].get<std::string>(), HasSubstr("could not connect"));
  EXPECT_GT(applied["result"]["done"].get<int>(), 0);
  EXPECT_EQ(applied["result"]["failed"], 0);
  EXPECT_EQ(applied["result"]["converged"], false);
  EXPECT_EQ(ReconcileJson(spec, {"--dry-run", "--site", "dc1"}, 0)["actions"].size(), 0u);
}

TEST_F(ReconcileCliTest, RefusesASiteThatIsTheIntSource) {
  MakeProd("CREATE TABLE t (a int);");
  std::string spec =
      WriteSpec("", "int: { source: \"" + testing::DatabaseUri("postgres") + "\" }\n");
  CommandResult r = RunPgtwin({"reconcile", spec});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("refusing to apply: it is the same instance as the source INT"));
  EXPECT_FALSE(DatabaseExists(database_));
}

TEST_F(ReconcileCliTest, NeverAppliesToAProtectedSite) {
  MakeProd("CREATE TABLE t (a int);");
  std::string spec = dir_ + "/env.yaml";
  WriteSpec();
  std::ifstream in(spec);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  WriteFile(spec, Replace(text, "user: postgres }", "user: postgres, protected: true }"));

  CommandResult dry = RunPgtwin({"reconcile", spec, "--dry-run"});
  EXPECT_EQ(dry.exit_code, 3) << dry.out << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("[blocked: site dc1 is protected in the spec]"));
  nlohmann::json applied = ReconcileJson(spec, {}, 1);
  EXPECT_EQ(applied["result"]["done"], 0);
  EXPECT_FALSE(DatabaseExists(database_));
}

// Starts `pgtwin ARGS...` with its output discarded and returns its pid.
pid_t StartPgtwin(const std::vector<std::string>& args) {
  std::vector<std::string> argv{testing::PgtwinBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(devnull, 2);
    std::vector<char*> raw;
    for (std::string& arg : argv) raw.push_back(arg.data());
    raw.push_back(nullptr);
    execv(raw[0], raw.data());
    _exit(127);
  }
  return pid;
}

// Polls `condition` until it holds, then kills `pid` (SIGKILL); returns early when the process
// ends by itself first.
void KillWhen(pid_t pid, const std::function<bool()>& condition) {
  int status = 0;
  for (int i = 0; i < 30000; ++i) {
    if (waitpid(pid, &status, WNOHANG) == pid) return;
    if (condition()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
}

// Relations (tables, sequences, indexes, views) in schema app of `database`; 0 when it does not
// exist yet.
int AppRelations(const std::string& database) {
  try {
    pqxx::connection conn(testing::DatabaseConninfo(database));
    pqxx::nontransaction work(conn);
    return work
        .exec(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'app'")[0][0]
        .as<int>();
  } catch (const std::exception&) {
    return 0;
  }
}

TEST_F(ReconcileCliTest, ConvergesAfterBeingKilledDuringApply) {
  MakeProd(kShopSql);
  std::string spec = WriteSpec();
  // Killed once the database exists, then when a few more relations do: each run starts from
  // what the previous one left (a run may also finish before it is killed).
  KillWhen(StartPgtwin({"reconcile", spec}), [this] { return DatabaseExists(database_); });
  for (int relations : {1, 3, 5}) {
    KillWhen(StartPgtwin({"reconcile", spec}),
             [this, relations] { return AppRelations(database_) >= relations; });
  }
  CommandResult apply = RunPgtwin({"reconcile", spec});
  EXPECT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(ReconcileJson(spec, {"--dry-run"}, 0)["actions"].size(), 0u);
  CommandResult diff =
      RunPgtwin({"diff", "--source", dir_ + "/prod/databases/" + database_ + ".json", "--target",
                 testing::DatabaseConninfo(database_)});
  EXPECT_EQ(diff.exit_code, 0) << diff.out << diff.err;
}

std::string RolePassword(const std::string& conninfo, const std::string& role) {
  pqxx::connection conn(conninfo);
  pqxx::nontransaction work(conn);
  pqxx::result rows =
      work.exec("SELECT rolpassword FROM pg_authid WHERE rolname = " + work.quote(role));
  return rows.empty() || rows[0][0].is_null() ? "" : rows[0][0].as<std::string>();
}

TEST_F(ReconcileCliTest, CopiesPasswordHashesFromIntAndNeverShowsThem) {
  // INT is a second instance of its own (a site must never be INT's instance).
  std::string int_dir = testing::TempDir() + "/int";
  std::filesystem::create_directories(int_dir);
  std::filesystem::permissions(
      std::filesystem::path(int_dir).parent_path(),
      std::filesystem::perms::others_read | std::filesystem::perms::others_exec,
      std::filesystem::perm_options::add);
  std::string instance = testing::SourceDir() + "/deploy/pg-instance.sh";
  int port = FreePort();
  CommandResult started = testing::RunCommand({instance, "start", int_dir, std::to_string(port)});
  struct Stopper {
    std::vector<std::string> argv;
    ~Stopper() { testing::RunCommand(argv); }
  } stopper{{instance, "stop", int_dir}};
  ASSERT_EQ(started.exit_code, 0) << started.err;
  std::string int_conninfo =
      "host=127.0.0.1 port=" + std::to_string(port) + " user=postgres dbname=postgres";
  {
    pqxx::connection conn(int_conninfo);
    pqxx::nontransaction work(conn);
    work.exec("CREATE ROLE " + reader_ + " LOGIN PASSWORD 'int-secret'");
  }
  std::string hash = RolePassword(int_conninfo, reader_);
  ASSERT_THAT(hash, ::testing::StartsWith("SCRAM-SHA-256$"));

  MakeProd("CREATE TABLE t (a int);");
  std::string spec =
      WriteSpec("",
                "int: { source: \"postgresql://postgres@127.0.0.1:" + std::to_string(port) +
                    "/postgres\" }\n",
                "int");
  CommandResult dry = RunPgtwin({"reconcile", spec, "--dry-run"});
  EXPECT_EQ(dry.exit_code, 2) << dry.out << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("PASSWORD '<redacted>'"));
  EXPECT_THAT(dry.out + dry.err, Not(HasSubstr("SCRAM")));

  CommandResult apply = RunPgtwin({"reconcile", spec, "--output", "json"});
  EXPECT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_THAT(apply.out + apply.err, Not(HasSubstr("SCRAM")));
  EXPECT_EQ(RolePassword(testing::DatabaseConninfo("postgres"), reader_), hash);
  EXPECT_EQ(ReconcileJson(spec, {"--dry-run"}, 0)["actions"].size(), 0u);

  // A password changed on Test by hand is set back, and only that.
  RunSql("postgres", "ALTER ROLE " + reader_ + " PASSWORD 'changed-on-test'");
  nlohmann::json plan = ReconcileJson(spec, {"--dry-run"}, 2);
  EXPECT_THAT(Keys(plan["actions"]), ::testing::ElementsAre("role:" + reader_));
  EXPECT_THAT(plan.dump(), Not(HasSubstr("SCRAM")));
  ReconcileJson(spec, {}, 0);
  EXPECT_EQ(RolePassword(testing::DatabaseConninfo("postgres"), reader_), hash);
}

}  // namespace
}  // namespace pgtwin
