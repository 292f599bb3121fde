// The planner and the replication and RPC kinds (docs/model.md): PgQ/Londiste nodes are
// planned through pgq_node's and londiste's functions, one action per node after the DDL
// (replication_planner.h); PL/Proxy clusters and partconf: planner_rpc_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reconciler/plan/planner.h"
#include "tests/unit/planner_test_trees.h"

namespace pgtwin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using namespace pgtwin::testing;  // NOLINT: tree builders

constexpr char kPartTrigger[] =
    "CREATE TRIGGER _londiste_q AFTER INSERT OR DELETE OR UPDATE ON public.t FOR EACH ROW "
    "EXECUTE FUNCTION pgq.logutriga('q', 'ev_extra3=''hash=''||partconf.get_hash_raw(id)')";

Plan PlanSite(const Object& desired, const Object& observed, bool prune = false) {
  SitePlanInput input{"dc1", &desired, &observed, nullptr, nullptr};
  PlanOptions options;
  options.prune = prune;
  return BuildPlan({input}, options);
}

std::string AllSql(const Action& action) {
  std::string sql;
  for (const std::string& statement : action.sql) sql += statement + "\n";
  return sql;
}

// Adds a queue, a root node with a part table and a sequence to `db`.
Object& AddRoot(Object& db, const std::string& handler_key) {
  db.AddChild(ObjectKind::kPgqQueue, "q").AddChild(ObjectKind::kPgqConsumer, "w_leaf");
  Object& node = db.AddChild(ObjectKind::kPgqNode, "q");
  node.SetAttr("node_type", "root");
  node.SetAttr("node_name", "root");
  node.SetAttr("worker_name", "w_root");
  node.AddChild(ObjectKind::kPgqLocation, "root").SetAttr("location", "dbname=shop");
  node.AddChild(ObjectKind::kPgqLocation, "leaf").SetAttr("location", "dbname=leaf");
  node.AddChild(ObjectKind::kPgqSubscriber, "leaf").SetAttr("worker_name", "w_leaf");
  Object& table = node.AddChild(ObjectKind::kLondisteTable, "public.t");
  table.SetAttr("handler", "part");
  table.SetAttr("handler_arg.key", handler_key);
  table.SetAttr("merge_state", "ok");
  table.SetAttr("trigger", kPartTrigger);
  node.AddChild(ObjectKind::kLondisteSequence, "public.s");
  return node;
}

Object Shop(const std::string& handler_key = "") {
  Object cluster = ShopCluster();
  Object& db = *cluster.FindChild(ObjectKind::kDatabase, "shop");
  if (!handler_key.empty()) AddRoot(db, handler_key);
  db.AddChild(ObjectKind::kPlproxyCluster, "c").SetAttr("p0", "dbname=p0");
  db.AddChild(ObjectKind::kPartconf, "conf").SetAttr("part_nr", "0");
  cluster.Normalize();
  return cluster;
}

TEST(PlannerReplicationTest, MissingRootIsCreatedThroughPgqNodeAndLondiste) {
  Plan plan = PlanSite(Shop("id"), Shop());
  ASSERT_EQ(plan.actions.size(), 1u);
  const Action& action = plan.actions[0];
  EXPECT_EQ(action.kind, ObjectKind::kPgqNode);
  EXPECT_EQ(action.op, ActionOp::kCreate);
  EXPECT_EQ(action.key, "pgq_node:q");
  std::string sql = AllSql(action);
  EXPECT_THAT(sql, HasSubstr("pgq_node.register_location('q', 'leaf', 'dbname=leaf', false)"));
  EXPECT_THAT(sql, HasSubstr("pgq_node.create_node('q', 'root', 'root', 'w_root', NULL, NULL, "
                             "NULL)"));
  EXPECT_THAT(sql, HasSubstr("londiste.local_add_table('q', 'public.t', "
                             "ARRAY['ev_extra3=''hash=''||partconf.get_hash_raw(id)']::text[], "
                             "'handler=part%28key%3did%29', NULL)"));
  EXPECT_THAT(sql, HasSubstr("londiste.local_add_seq('q', 'public.s')"));
  EXPECT_THAT(sql, HasSubstr("pgq_node.register_subscriber('q', 'leaf', 'w_leaf', NULL)"));
  EXPECT_LT(sql.find("create_node"), sql.find("local_add_table"));
  EXPECT_LT(sql.find("local_add_table"), sql.find("register_subscriber"));
  EXPECT_THAT(sql, ::testing::Not(HasSubstr("register_consumer")));  // the subscriber's
  EXPECT_THAT(sql, ::testing::Not(HasSubstr("CREATE TRIGGER")));
}

TEST(PlannerReplicationTest, EqualReplicationPlansNothing) {
  for (bool prune : {false, true}) {
    Plan plan = PlanSite(Shop("id"), Shop("id"), prune);
    EXPECT_THAT(plan.actions, IsEmpty());
    EXPECT_THAT(plan.unmanaged, IsEmpty());
  }
}

TEST(PlannerReplicationTest, ChangedHandlerArgumentIsCorrected) {
  Plan plan = PlanSite(Shop("id"), Shop("other"));
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_EQ(plan.actions[0].op, ActionOp::kAlter);
  EXPECT_THAT(plan.actions[0].sql,
              ElementsAre(HasSubstr("londiste.local_change_handler('q', 'public.t', "
                                    "ARRAY['ev_extra3=''hash=''||partconf.get_hash_raw(id)']"
                                    "::text[], 'handler=part%28key%3did%29')")));
}

TEST(PlannerReplicationTest, RemovedTableIsAddedBackAndExtraTableIsUnmanaged) {
  Object desired = Shop("id");
  Object observed = Shop("id");
  Object& node =
      *observed.FindChild(ObjectKind::kDatabase, "shop")->FindChild(ObjectKind::kPgqNode, "q");
  std::erase_if(node.mutable_children(),
                [](const Object& c) { return c.kind() == ObjectKind::kLondisteTable; });
  node.AddChild(ObjectKind::kLondisteTable, "public.extra");
  observed.Normalize();
  Plan kept = PlanSite(desired, observed);
  ASSERT_EQ(kept.actions.size(), 1u);
  EXPECT_THAT(kept.actions[0].sql, ElementsAre(HasSubstr("local_add_table('q', 'public.t'")));
  ASSERT_EQ(kept.unmanaged.size(), 1u);
  EXPECT_EQ(kept.unmanaged[0].key, "q.public.extra");
  Plan pruned = PlanSite(desired, observed, true);
  ASSERT_EQ(pruned.actions.size(), 1u);
  EXPECT_EQ(pruned.actions[0].risk, Risk::kDestructive);
  EXPECT_THAT(AllSql(pruned.actions[0]),
              HasSubstr("londiste.local_remove_table('q', 'public.extra')"));
}

TEST(PlannerReplicationTest, LeafFollowsItsRootAcrossSites) {
  Object root_site = Shop("id");
  Object leaf_site = Shop();
  Object& leaf =
      leaf_site.FindChild(ObjectKind::kDatabase, "shop")->AddChild(ObjectKind::kPgqNode, "q");
  leaf.SetAttr("node_type", "leaf");
  leaf.SetAttr("node_name", "leaf");
  leaf.SetAttr("provider_node", "root");
  leaf.SetAttr("worker_name", "w_leaf");
  leaf.AddChild(ObjectKind::kPgqLocation, "root").SetAttr("location", "dbname=shop");
  leaf.AddChild(ObjectKind::kPgqLocation, "leaf").SetAttr("location", "dbname=leaf");
  Object& table = leaf.AddChild(ObjectKind::kLondisteTable, "public.t");
  table.SetAttr("handler", "part");
  table.SetAttr("handler_arg.key", "id");
  table.SetAttr("trigger", std::string(kPartTrigger).insert(sizeof(kPartTrigger) - 2, ", 'deny'"));
  leaf_site.Normalize();
  Object empty = Shop();
  // The leaf's site comes first in the list: its node still waits for the root's.
  std::vector<SitePlanInput> sites = {{"dc2", &leaf_site, &empty, nullptr, nullptr},
                                      {"dc1", &root_site, &empty, nullptr, nullptr}};
  Plan plan = BuildPlan(sites, PlanOptions());
  ASSERT_EQ(plan.actions.size(), 2u);
  EXPECT_EQ(plan.actions[0].site, "dc1");
  EXPECT_EQ(plan.actions[1].site, "dc2");
  EXPECT_THAT(plan.actions[1].depends_on, ElementsAre(plan.actions[0].id));
  std::string sql = AllSql(plan.actions[1]);
  EXPECT_THAT(sql, HasSubstr("pgq_node.create_node('q', 'leaf', 'leaf', 'w_leaf', 'root', 1, "
                             "NULL)"));
  EXPECT_THAT(sql, HasSubstr("londiste.global_add_table('q', 'public.t')"));
  EXPECT_THAT(sql, HasSubstr("ARRAY['ev_extra3=''hash=''||partconf.get_hash_raw(id)', "
                             "'expect_sync']::text[]"));
  EXPECT_LT(sql.find("register_location('q', 'root'"), sql.find("create_node"));
}

}  // namespace
}  // namespace pgtwin
