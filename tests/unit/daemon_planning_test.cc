// The replication daemons of a Test environment: their ini files (daemon_placement.h) and the
// actions that start, restart or stop them (daemon_planner.h). Pure logic; the integration
// test ReplicationReconcileTest runs them for real.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reconciler/expand/daemon_placement.h"
#include "reconciler/plan/daemon_planner.h"

namespace pgtwin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// A site holding database `shop` with queue `shop` on a node of `type` (worker l3_shop_<site>),
// one table with `handler`, and a partconf row with the given attributes.
SiteState Site(const std::string& name, const std::string& type, const std::string& handler,
               const std::vector<std::string>& partconf_attrs) {
  SiteState site;
  site.site.name = name;
  site.site.host = "10.0.0.1";
  site.site.port = 5433;
  site.site.user = "postgres";
  site.desired = Object(ObjectKind::kCluster, name);
  Object& db = site.desired.AddChild(ObjectKind::kDatabase, "shop");
  if (type == "root") db.AddChild(ObjectKind::kPgqQueue, "shop");
  Object& node = db.AddChild(ObjectKind::kPgqNode, "shop");
  node.SetAttr("node_type", type);
  node.SetAttr("node_name", "shop_" + name);
  node.SetAttr("worker_name", "l3_shop_" + name);
  if (type != "root") node.SetAttr("provider_node", "shop_dc1");
  Object& table = node.AddChild(ObjectKind::kLondisteTable, "public.orders");
  table.SetAttr("handler", handler);
  Object& conf = db.AddChild(ObjectKind::kPartconf, "conf");
  for (const std::string& attr : partconf_attrs) conf.SetAttr(attr, "1");
  site.desired.Normalize();
  return site;
}

EnvironmentSpec Spec(const std::string& dir) {
  EnvironmentSpec spec;
  spec.environment = "qa1";
  spec.workers.dir = dir;
  return spec;
}

TEST(DaemonPlacementTest, NoWorkersSectionRunsNothing) {
  std::vector<SiteState> sites = {Site("dc1", "root", "", {})};
  EXPECT_THAT(PlaceDaemons(Spec(""), sites), IsEmpty());
}

TEST(DaemonPlacementTest, WorkerPerNodeAndPgqdPerSiteWithQueues) {
  std::vector<SiteState> sites = {Site("dc1", "root", "", {}),
                                  Site("dc2", "leaf", "part", {"part_nr", "max_part"})};
  std::vector<DaemonSpec> daemons = PlaceDaemons(Spec("/srv/qa1"), sites);
  ASSERT_EQ(daemons.size(), 3u);
  EXPECT_EQ(daemons[0].name, "l3_shop_dc1");
  EXPECT_EQ(daemons[1].name, "pgqd_dc1");
  EXPECT_EQ(daemons[2].name, "l3_shop_dc2");

  const DaemonSpec& leaf = daemons[2];
  EXPECT_EQ(leaf.site, "dc2");
  EXPECT_EQ(leaf.database, "shop");
  EXPECT_EQ(leaf.queue, "shop");
  EXPECT_EQ(leaf.provider_site, "dc1");
  EXPECT_EQ(leaf.config_file, "/srv/qa1/conf/l3_shop_dc2.ini");
  EXPECT_EQ(leaf.pid_file, "/srv/qa1/pid/l3_shop_dc2.pid");
  EXPECT_THAT(leaf.config, HasSubstr("[londiste]\njob_name = l3_shop_dc2\n"
                                     "db = host=10.0.0.1 port=5433 user=postgres dbname=shop\n"
                                     "queue_name = shop\n"
                                     "logfile = /srv/qa1/log/l3_shop_dc2.log\n"
                                     "pidfile = /srv/qa1/pid/l3_shop_dc2.pid\n"
                                     "handler_modules = londiste.handlers.shard\n"
                                     "shard_info_sql = select part_nr, max_part, max_part + 1 "
                                     "from partconf.conf\n"));
  EXPECT_EQ(daemons[0].provider_site, "");
  EXPECT_THAT(daemons[0].config, Not(HasSubstr("handler_modules")));
  EXPECT_THAT(daemons[1].config, HasSubstr("[pgqd]\nbase_connstr = host=10.0.0.1 port=5433 "
                                           "user=postgres\ninitial_database = shop\n"
                                           "database_list = shop\n"));
}

TEST(DaemonPlacementTest, ModernPartconfNeedsNoShardInfoSql) {
  std::vector<SiteState> sites = {
      Site("dc2", "leaf", "shard", {"shard_nr", "shard_mask", "shard_count", "max_part"})};
  std::vector<DaemonSpec> daemons = PlaceDaemons(Spec("/srv/qa1"), sites);
  ASSERT_EQ(daemons.size(), 1u);  // a leaf holds no queue: no pgqd
  EXPECT_THAT(daemons[0].config, HasSubstr("handler_modules = londiste.handlers.shard\n"));
  EXPECT_THAT(daemons[0].config, Not(HasSubstr("shard_info_sql")));
}

class DaemonPlannerTest : public ::testing::Test {
 protected:
  DaemonPlannerTest() {
    std::vector<SiteState> sites = {Site("dc1", "root", "", {}), Site("dc2", "leaf", "", {})};
    desired_ = PlaceDaemons(Spec("/srv/qa1"), sites);
  }

  // What ObserveDaemons would find with every desired daemon set up and running.
  std::vector<ObservedDaemon> AllRunning() const {
    std::vector<ObservedDaemon> observed;
    int pid = 100;
    for (const DaemonSpec& daemon : desired_) {
      observed.push_back({daemon.name, daemon.config_file, daemon.config, pid++});
    }
    return observed;
  }

  Plan PlanWith(const std::vector<ObservedDaemon>& observed, const PlanOptions& options = {},
                Plan plan = {}) const {
    PlanDaemons(desired_, {"dc1", "dc2"}, observed, options, plan);
    return plan;
  }

  std::vector<DaemonSpec> desired_;
};

TEST_F(DaemonPlannerTest, NothingToDoWhenEveryDaemonRunsWithItsIni) {
  EXPECT_THAT(PlanWith(AllRunning()).actions, IsEmpty());
}

TEST_F(DaemonPlannerTest, StartsMissingDeadAndRestartsChangedDaemons) {
  std::vector<ObservedDaemon> observed = AllRunning();
  observed[0].pid = 0;                 // l3_shop_dc1 died
  observed[1].config = "[pgqd]\n";     // pgqd_dc1's ini edited by hand
  observed.pop_back();                 // l3_shop_dc2 never set up
  Plan plan = PlanWith(observed);
  ASSERT_EQ(plan.actions.size(), 3u);
  EXPECT_EQ(plan.actions[0].key, "daemon:l3_shop_dc1");
  EXPECT_EQ(plan.actions[0].op, ActionOp::kCreate);
  EXPECT_THAT(plan.actions[0].reason, HasSubstr("not running"));
  EXPECT_EQ(plan.actions[1].key, "daemon:pgqd_dc1");
  EXPECT_EQ(plan.actions[1].op, ActionOp::kAlter);
  EXPECT_THAT(plan.actions[1].reason, HasSubstr("restarted"));
  EXPECT_EQ(plan.actions[2].key, "daemon:l3_shop_dc2");
  EXPECT_EQ(plan.actions[2].op, ActionOp::kCreate);
  for (const Action& action : plan.actions) {
    EXPECT_EQ(action.kind, ObjectKind::kDaemon);
    EXPECT_THAT(action.sql, IsEmpty());
    ASSERT_TRUE(action.daemon.has_value());
    EXPECT_EQ("daemon:" + action.daemon->name, action.key);
  }
}

TEST_F(DaemonPlannerTest, OnlyPlannedSitesAndIgnoreRules) {
  Plan plan;
  PlanDaemons(desired_, {"dc2"}, {}, {}, plan);
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_EQ(plan.actions[0].key, "daemon:l3_shop_dc2");
  PlanOptions options;
  ASSERT_TRUE(options.ignore.AddFlag("daemon:^l3_").ok());
  Plan ignored = PlanWith({}, options);
  ASSERT_EQ(ignored.actions.size(), 1u);
  EXPECT_EQ(ignored.actions[0].key, "daemon:pgqd_dc1");
}

TEST_F(DaemonPlannerTest, WorkerWaitsForItsDatabaseOnItsAndItsProviderSite) {
  Plan sql;
  auto add = [&](const std::string& site, const std::string& database, ObjectKind kind) {
    Action action;
    action.id = static_cast<int>(sql.actions.size());
    action.site = site;
    action.database = database;
    action.kind = kind;
    sql.actions.push_back(action);
  };
  add("dc1", "shop", ObjectKind::kPgqNode);    // 0: the root
  add("dc2", "shop", ObjectKind::kPgqNode);    // 1: the leaf
  add("dc2", "other", ObjectKind::kTable);     // 2: unrelated
  add("dc1", "", ObjectKind::kDatabase);       // 3: a database on dc1 (pgqd waits)
  Plan plan = PlanWith({}, {}, sql);
  ASSERT_EQ(plan.actions.size(), 7u);
  EXPECT_EQ(plan.actions[4].key, "daemon:l3_shop_dc1");
  EXPECT_THAT(plan.actions[4].depends_on, ElementsAre(0));
  EXPECT_EQ(plan.actions[5].key, "daemon:pgqd_dc1");
  EXPECT_THAT(plan.actions[5].depends_on, ElementsAre(0, 3));
  EXPECT_EQ(plan.actions[6].key, "daemon:l3_shop_dc2");
  EXPECT_THAT(plan.actions[6].depends_on, ElementsAre(0, 1));
}

TEST_F(DaemonPlannerTest, UnknownDaemonIsReportedAndStoppedOnlyWithPrune) {
  std::vector<ObservedDaemon> observed = AllRunning();
  observed.push_back({"l3_old_dc2", "/srv/qa1/conf/l3_old_dc2.ini", "[londiste]\n", 200});
  Plan kept = PlanWith(observed);
  EXPECT_THAT(kept.actions, IsEmpty());
  ASSERT_EQ(kept.unmanaged.size(), 1u);
  EXPECT_EQ(kept.unmanaged[0].key, "daemon:l3_old_dc2");
  EXPECT_EQ(kept.unmanaged[0].site, "dc2");

  PlanOptions prune;
  prune.prune = true;
  Plan pruned = PlanWith(observed, prune);
  ASSERT_EQ(pruned.actions.size(), 1u);
  EXPECT_EQ(pruned.actions[0].op, ActionOp::kDrop);
  EXPECT_EQ(pruned.actions[0].daemon->pid_file, "/srv/qa1/pid/l3_old_dc2.pid");
  EXPECT_TRUE(pruned.actions[0].blocked_by.empty());

  prune.protect = {"^l3_old"};
  EXPECT_THAT(PlanWith(observed, prune).actions[0].blocked_by, HasSubstr("protected"));
}

}  // namespace
}  // namespace pgtwin
