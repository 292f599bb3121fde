// Reconciling PgQ/Londiste3 cascades (replication_placement.h, replication_planner.h) on the
// test server: a Prod-like root (node named ..._dc1, its leaf ..._dc2 known only as a location
// and a subscriber, as a dump of Prod's primary instance has it) is placed on two Test "sites"
// — two empty databases of the one server, root and leaf — planned and applied through
// pgq_node's and londiste's functions; afterwards pgq_node reports the right node types and
// provider, the observed replication equals the desired (a second plan is empty), and drift
// (a table removed from replication, a changed handler argument, a Londiste trigger dropped,
// an extra Test-only table) is repaired or reported. With workers, the londiste workers and
// pgqd pgtwin starts replay a row from root to leaf, and a worker killed is started again.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "model/desired_state.h"
#include "providers/process/daemon_control.h"
#include "providers/process/daemon_files.h"
#include "reconciler/expand/daemon_placement.h"
#include "reconciler/expand/replication_placement.h"
#include "reconciler/plan/daemon_planner.h"
#include "reconciler/plan/planner.h"
#include "tests/integration/pg_test_env.h"
#include "tests/integration/planner_test_support.h"

namespace pgtwin {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::CreateDatabase;
using testing::DatabaseConninfo;
using testing::DescribePlan;
using testing::DropDatabase;
using testing::QueryRows;
using testing::ReadClusterFrom;
using testing::Replace;
using testing::RunSql;
using testing::TempDir;
using testing::TestServerHost;
using testing::TestServerPort;

// The Prod shard: schema, partconf and the root of queue :Q (node :Q_dc1), its tables and
// sequence, and its leaf :Q_dc2 registered (location and subscription) as create-leaf leaves
// it on the provider. :Q is replaced by the database's name.
constexpr char kProdSql[] = R"sql(
CREATE EXTENSION pgq; CREATE EXTENSION pgq_node; CREATE EXTENSION londiste;
CREATE SCHEMA partconf;
CREATE FUNCTION partconf.get_hash_raw(i bigint) RETURNS integer LANGUAGE sql IMMUTABLE
  AS $$ SELECT hashint8($1) $$;
CREATE TABLE public.accounts (account_id bigint PRIMARY KEY, v text);
CREATE TABLE public.limits (id integer PRIMARY KEY, v text);
CREATE TABLE public.extra (id integer PRIMARY KEY);
CREATE SEQUENCE public.s1;
SELECT * FROM pgq_node.register_location(':Q', ':Q_dc1', 'dbname=prod1', false);
SELECT * FROM pgq_node.create_node(':Q', 'root', ':Q_dc1', 'l3_:Q_dc1', NULL, NULL, NULL);
SELECT * FROM londiste.local_add_table(':Q', 'public.accounts',
    ARRAY['ev_extra3=''hash=''||partconf.get_hash_raw(account_id)'],
    'handler=part%28key%3daccount_id%29', NULL);
SELECT * FROM londiste.local_add_table(':Q', 'public.limits', '{}', NULL, NULL);
SELECT * FROM londiste.local_add_seq(':Q', 'public.s1');
SELECT * FROM pgq_node.register_location(':Q', ':Q_dc2', 'dbname=prod2', false);
SELECT * FROM pgq_node.register_subscriber(':Q', ':Q_dc2', 'l3_:Q_dc2', NULL);
)sql";

class ReplicationReconcileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::CreatePgqRoles();
    prod_ = CreateDatabase("l3prod");
    RunSql(prod_, Replace(kProdSql, ":Q", prod_));
    root_ = CreateDatabase("l3root");
    leaf_ = CreateDatabase("l3leaf");
    BuildDesired();
  }
  void TearDown() override {
    for (const std::string& db : {prod_, root_, leaf_}) DropDatabase(db);
  }

  // Prod's database placed on sites dc1 (root) and dc2 (leaf), then renamed to the two Test
  // databases with their locations (PlaceReplication gives both sites the same name).
  void BuildDesired() {
    Object prod = ReadClusterFrom(prod_);
    const Object* db = prod.FindChild(ObjectKind::kDatabase, prod_);
    ASSERT_NE(db, nullptr);
    std::vector<SiteState> sites;
    for (const char* name : {"dc1", "dc2"}) {
      SiteState site;
      site.site.name = name;
      site.desired = Object(ObjectKind::kCluster, name);
      site.desired.AddChild(*db);
      sites.push_back(std::move(site));
    }
    PlaceReplication(sites);
    std::map<std::string, std::string> locations = {{prod_ + "_dc1", DatabaseConninfo(root_)},
                                                    {prod_ + "_dc2", DatabaseConninfo(leaf_)}};
    for (size_t i = 0; i < 2; ++i) {
      Object& database = *sites[i].desired.FindChild(ObjectKind::kDatabase, prod_);
      database.set_name(i == 0 ? root_ : leaf_);
      for (Object& node : database.mutable_children()) {
        if (node.kind() != ObjectKind::kPgqNode) continue;
        for (Object& child : node.mutable_children()) {
          if (child.kind() == ObjectKind::kPgqLocation) {
            child.SetAttr("location", locations[child.name()]);
          }
        }
      }
      sites[i].desired.Normalize();
      desired_[i] = std::move(sites[i].desired);
    }
  }

  Plan PlanBoth(bool prune = false) {
    observed_[0] = ReadClusterFrom(root_);
    observed_[1] = ReadClusterFrom(leaf_);
    PlanOptions options;
    options.prune = prune;
    options.skip_roles = {""};
    return BuildPlan({{"dc1", &desired_[0], &observed_[0], nullptr, nullptr},
                      {"dc2", &desired_[1], &observed_[1], nullptr, nullptr}},
                     options);
  }

  // Runs the plan's unblocked actions in order, each on its database in one transaction.
  std::vector<std::string> Apply(const Plan& plan) {
    std::map<std::string, std::unique_ptr<pqxx::connection>> connections;
    std::vector<std::string> errors;
    for (const Action& action : plan.actions) {
      if (!action.blocked_by.empty()) continue;
      std::unique_ptr<pqxx::connection>& c = connections[action.database];
      if (!c) {
        c = std::make_unique<pqxx::connection>(DatabaseConninfo(action.database));
        pqxx::nontransaction setup(*c);
        setup.exec("SET check_function_bodies = off");
        setup.exec("SET client_min_messages = warning");
      }
      try {
        pqxx::work tx(*c);
        for (const std::string& sql : action.sql) tx.exec(sql);
        tx.commit();
      } catch (const std::exception& e) {
        errors.push_back(std::to_string(action.id) + " " + action.key + ": " + e.what());
      }
    }
    return errors;
  }

  // Plans, applies, and checks that the next plan is empty.
  void Converge(bool prune = false) {
    Plan plan = PlanBoth(prune);
    EXPECT_THAT(Apply(plan), IsEmpty()) << DescribePlan(plan);
    Plan again = PlanBoth(prune);
    EXPECT_THAT(again.actions, IsEmpty()) << DescribePlan(again);
  }

  std::string prod_, root_, leaf_;
  Object desired_[2];
  Object observed_[2];
};

TEST_F(ReplicationReconcileTest, BuildsRootAndLeafFromEmptyAndRepairsDrift) {
  Plan plan = PlanBoth();
  // The replication actions come last: the root's, then the leaf's, which waits for it.
  std::vector<const Action*> nodes;
  for (const Action& action : plan.actions) {
    if (action.kind == ObjectKind::kPgqNode) nodes.push_back(&action);
  }
  ASSERT_EQ(nodes.size(), 2u) << DescribePlan(plan);
  EXPECT_EQ(nodes[0]->database, root_);
  EXPECT_EQ(nodes[1]->database, leaf_);
  EXPECT_THAT(nodes[1]->depends_on, ::testing::Contains(nodes[0]->id));
  EXPECT_THAT(Apply(plan), IsEmpty()) << DescribePlan(plan);
  Plan again = PlanBoth();
  EXPECT_THAT(again.actions, IsEmpty()) << DescribePlan(again);
  EXPECT_THAT(again.unmanaged, ::testing::Each(::testing::Field(
                                   &UnmanagedObject::kind, ObjectKind::kDatabase)));

  EXPECT_EQ(QueryRows(root_, "SELECT node_type, node_name, provider_node FROM "
                         "pgq_node.get_node_info('" + prod_ + "')"),
            "root|" + prod_ + "_dc1|" + prod_ + "_dc1");
  EXPECT_EQ(QueryRows(leaf_, "SELECT node_type, node_name, provider_node, worker_name FROM "
                         "pgq_node.get_node_info('" + prod_ + "')"),
            "leaf|" + prod_ + "_dc2|" + prod_ + "_dc1|l3_" + prod_ + "_dc2");
  EXPECT_EQ(QueryRows(root_, "SELECT node_name, worker_name FROM pgq_node.get_subscriber_info('" +
                             prod_ + "')"),
            prod_ + "_dc2|l3_" + prod_ + "_dc2");
  EXPECT_EQ(QueryRows(leaf_, "SELECT string_agg(table_name || ':' || merge_state || ':' || "
                         "coalesce(table_attrs, ''), ',' ORDER BY table_name) FROM "
                         "londiste.get_table_list('" + prod_ + "') WHERE local"),
            "public.accounts:ok:handler=part%28key%3daccount_id%29,public.limits:ok:");
  EXPECT_THAT(QueryRows(leaf_, "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = "
                           "'_londiste_" + prod_ + "' AND tgrelid = 'public.accounts'::regclass"),
              HasSubstr("get_hash_raw(account_id)', 'deny')"));

  // Drift: a table taken out of replication on the root, a handler argument changed on the
  // leaf, the leaf's Londiste trigger of another table dropped, a Test-only table added.
  const std::string q = "'" + prod_ + "'";
  RunSql(root_, "SELECT * FROM londiste.local_remove_table(" + q + ", 'public.limits')");
  RunSql(leaf_, "SELECT * FROM londiste.local_change_handler(" + q + ", 'public.accounts', "
                "ARRAY['ev_extra3=''hash=''||partconf.get_hash_raw(v)'], "
                "'handler=part%28key%3dv%29')");
  RunSql(leaf_, "DROP TRIGGER _londiste_" + prod_ + " ON public.limits");
  RunSql(root_, "SELECT * FROM londiste.local_add_table(" + q + ", 'public.extra', '{}', NULL, "
                "NULL)");
  Plan drift = PlanBoth();
  std::string described = DescribePlan(drift);
  EXPECT_EQ(drift.actions.size(), 2u) << described;
  EXPECT_THAT(described, HasSubstr("local_add_table(" + q + ", 'public.limits'"));
  EXPECT_THAT(described, HasSubstr("local_change_handler(" + q + ", 'public.accounts'"));
  EXPECT_THAT(described, HasSubstr("create_trigger(" + q + ", 'public.limits'"));
  EXPECT_THAT(described, ::testing::Not(HasSubstr("public.extra")));
  ASSERT_EQ(drift.unmanaged.size() - again.unmanaged.size(), 1u);
  Converge();
  EXPECT_EQ(QueryRows(leaf_, "SELECT table_attrs FROM londiste.get_table_list(" + q +
                             ") WHERE table_name = 'public.accounts'"),
            "handler=part%28key%3daccount_id%29");
  EXPECT_EQ(QueryRows(root_, "SELECT count(*) FROM londiste.get_table_list(" + q +
                             ") WHERE local AND table_name = 'public.extra'"),
            "1");
  // With prune the Test-only table leaves replication.
  Converge(true);
  EXPECT_EQ(QueryRows(root_, "SELECT count(*) FROM londiste.get_table_list(" + q +
                             ") WHERE local AND table_name = 'public.extra'"),
            "0");
}

// Stops every daemon of a workers directory when it goes out of scope (so the test's databases
// can be dropped and nothing outlives the test).
class DaemonsStopper {
 public:
  explicit DaemonsStopper(std::string dir) : dir_(std::move(dir)) {}
  ~DaemonsStopper() {
    for (const ObservedDaemon& daemon : ObserveDaemons(dir_)) {
      Action stop;
      stop.op = ActionOp::kDrop;
      stop.kind = ObjectKind::kDaemon;
      stop.daemon = DaemonSpec{};
      stop.daemon->name = daemon.name;
      stop.daemon->config_file = daemon.config_file;
      stop.daemon->pid_file = dir_ + "/pid/" + daemon.name + ".pid";
      RunDaemonAction(stop);
    }
  }

 private:
  std::string dir_;
};

// Polls `sql` in `database` for up to 30 s until it returns `want`; returns the last value.
std::string WaitForValue(const std::string& database, const std::string& sql,
                         const std::string& want) {
  std::string got;
  for (int i = 0; i < 300; ++i) {
    got = QueryRows(database, sql);
    if (got == want) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return got;
}

TEST_F(ReplicationReconcileTest, WorkersReplayRowsAndOneKilledIsStartedAgain) {
  Converge();
  EnvironmentSpec spec;
  spec.environment = "it";
  spec.workers.dir = TempDir() + "/workers";
  DaemonsStopper stopper(spec.workers.dir);
  std::vector<SiteState> sites;
  for (int i = 0; i < 2; ++i) {
    SiteState site;
    site.site.name = i == 0 ? "dc1" : "dc2";
    site.site.host = TestServerHost();
    site.site.port = TestServerPort();
    site.site.user = "postgres";
    site.desired = desired_[i];
    sites.push_back(std::move(site));
  }
  std::vector<DaemonSpec> daemons = PlaceDaemons(spec, sites);
  const std::string leaf_worker = "l3_" + prod_ + "_dc2";
  ASSERT_EQ(daemons.size(), 3u);
  EXPECT_EQ(daemons[0].name, "l3_" + prod_ + "_dc1");
  EXPECT_EQ(daemons[1].name, "pgqd_dc1");
  EXPECT_EQ(daemons[2].name, leaf_worker);
  EXPECT_THAT(daemons[2].config, HasSubstr("handler_modules = londiste.handlers.shard\n"));
  EXPECT_THAT(daemons[2].config, HasSubstr("queue_name = " + prod_ + "\n"));
  EXPECT_THAT(daemons[1].config, HasSubstr("database_list = " + root_ + "\n"));

  // Plans the daemons against the directory, runs the actions, returns the plan.
  auto reconcile_daemons = [&] {
    Plan plan;
    PlanDaemons(daemons, {"dc1", "dc2"}, ObserveDaemons(spec.workers.dir), PlanOptions(), plan);
    for (const Action& action : plan.actions) {
      Status status = RunDaemonAction(action);
      EXPECT_TRUE(status.ok()) << action.key << ": " << status.message();
    }
    return plan;
  };
  auto leaf_pid = [&] {
    for (const ObservedDaemon& daemon : ObserveDaemons(spec.workers.dir)) {
      if (daemon.name == leaf_worker) return daemon.pid;
    }
    return 0;
  };
  Plan started = reconcile_daemons();
  EXPECT_EQ(started.actions.size(), 3u) << DescribePlan(started);
  for (const ObservedDaemon& daemon : ObserveDaemons(spec.workers.dir)) {
    EXPECT_GT(daemon.pid, 0) << daemon.name << " does not run";
  }
  EXPECT_THAT(reconcile_daemons().actions, IsEmpty());

  const std::string arrived = "SELECT coalesce(string_agg(v, ',' ORDER BY id), '') FROM public.limits";
  RunSql(root_, "INSERT INTO public.limits VALUES (1, 'first')");
  EXPECT_EQ(WaitForValue(leaf_, arrived, "first"), "first");

  // A worker that died is started again by the next pass, and rows flow again.
  int killed = leaf_pid();
  ASSERT_GT(killed, 0);
  ASSERT_EQ(kill(killed, SIGKILL), 0);
  for (int i = 0; i < 100 && leaf_pid() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Plan restarted = reconcile_daemons();
  ASSERT_EQ(restarted.actions.size(), 1u) << DescribePlan(restarted);
  EXPECT_EQ(restarted.actions[0].key, "daemon:" + leaf_worker);
  EXPECT_THAT(restarted.actions[0].reason, HasSubstr("not running"));
  EXPECT_GT(leaf_pid(), 0);
  EXPECT_NE(leaf_pid(), killed);
  RunSql(root_, "INSERT INTO public.limits VALUES (2, 'second')");
  EXPECT_EQ(WaitForValue(leaf_, arrived, "first,second"), "first,second");

  // A changed ini file is rewritten and its worker restarted.
  int before = leaf_pid();
  daemons[2].config += "loop_delay = 0.5\n";
  Plan altered = reconcile_daemons();
  ASSERT_EQ(altered.actions.size(), 1u) << DescribePlan(altered);
  EXPECT_EQ(altered.actions[0].op, ActionOp::kAlter);
  EXPECT_GT(leaf_pid(), 0);
  EXPECT_NE(leaf_pid(), before);
}

}  // namespace
}  // namespace pgtwin
