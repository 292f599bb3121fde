// The planner and PL/Proxy clusters and partconf (rpc_planner.h): one action per SQL/MED server
// and one per database's partconf rows, after the site's DDL.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reconciler/plan/planner.h"
#include "tests/unit/planner_test_trees.h"

namespace pgtwin {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using namespace pgtwin::testing;  // NOLINT: tree builders

Plan PlanSite(const Object& desired, const Object& observed, bool prune = false) {
  SitePlanInput input{"dc1", &desired, &observed, nullptr, nullptr};
  PlanOptions options;
  options.prune = prune;
  return BuildPlan({input}, options);
}

std::vector<const Action*> OfKind(const Plan& plan, ObjectKind kind) {
  std::vector<const Action*> found;
  for (const Action& action : plan.actions) {
    if (action.kind == kind) found.push_back(&action);
  }
  return found;
}

Object& Db(Object& cluster) { return *cluster.FindChild(ObjectKind::kDatabase, "shop"); }

// A plproxy cluster `c` over `partitions` partitions (`host=h dbname=p<N>`).
Object& AddProxy(Object& cluster, int partitions, const std::string& host = "h") {
  Object& proxy = Db(cluster).AddChild(ObjectKind::kPlproxyCluster, "c");
  proxy.SetAttr("owner", "app");
  proxy.SetAttr("connection_lifetime", "1800");
  for (int n = 0; n < partitions; ++n) {
    proxy.SetAttr("p" + std::to_string(n), "host=" + host + " dbname=p" + std::to_string(n));
  }
  proxy.SetAttr("partitions", std::to_string(partitions));
  proxy.SetAttr("user_mappings", "public(user=proxy_rpc)");
  return proxy;
}

Object& AddConf(Object& cluster, const std::string& part_nr, const std::string& max_part) {
  Object& conf = Db(cluster).AddChild(ObjectKind::kPartconf, "conf");
  conf.SetAttr("part_nr", part_nr);
  conf.SetAttr("max_part", max_part);
  conf.SetAttr("cluster_name", "c");
  return conf;
}

TEST(PlannerRpcTest, MissingClusterIsCreatedWithPartitionsInOrderOwnerAclAndMappings) {
  Object desired = ShopCluster();
  Object& proxy = AddProxy(desired, 12);
  proxy.SetAttr("acl", "app=U/app, reader=U/app");
  proxy.SetAttr("comment", "the shards");
  proxy.SetAttr("user_mappings", "public(user=proxy_rpc); reader(password=(set), user=reader)");
  desired.Normalize();
  Plan plan = PlanSite(desired, EmptyCluster());
  auto actions = OfKind(plan, ObjectKind::kPlproxyCluster);
  ASSERT_EQ(actions.size(), 1u);
  const Action& action = *actions[0];
  EXPECT_EQ(action.op, ActionOp::kCreate);
  EXPECT_EQ(action.key, "plproxy_cluster:c");
  EXPECT_EQ(action.database, "shop");
  ASSERT_EQ(action.sql.size(), 6u);
  EXPECT_THAT(action.sql[0], HasSubstr("CREATE SERVER c FOREIGN DATA WRAPPER plproxy OPTIONS "
                                       "(connection_lifetime '1800', p0 'host=h dbname=p0', "
                                       "p1 'host=h dbname=p1', p2 "));
  EXPECT_THAT(action.sql[0], HasSubstr("p9 'host=h dbname=p9', p10 'host=h dbname=p10', p11 "));
  EXPECT_EQ(action.sql[1], "COMMENT ON SERVER c IS 'the shards'");
  EXPECT_EQ(action.sql[2], "ALTER SERVER c OWNER TO app");
  EXPECT_EQ(action.sql[3], "GRANT ALL ON FOREIGN SERVER c TO reader");
  EXPECT_EQ(action.sql[4],
            "CREATE USER MAPPING FOR PUBLIC SERVER c OPTIONS (\"user\" 'proxy_rpc')");
  EXPECT_EQ(action.sql[5], "CREATE USER MAPPING FOR reader SERVER c OPTIONS (\"user\" 'reader')");
  EXPECT_THAT(action.reason, HasSubstr("user mapping for reader has a password, which pgtwin "
                                       "cannot copy"));
  // After the DDL that creates the database and the roles.
  for (const Action& other : plan.actions) {
    if (&other == &action || other.blocked_by != "") continue;
    EXPECT_THAT(action.depends_on, Contains(other.id)) << other.key;
  }
}

TEST(PlannerRpcTest, FewerPartitionsAreSetInPlace) {
  Object desired = ShopCluster();
  AddProxy(desired, 2, "test");
  desired.Normalize();
  Object observed = ShopCluster();
  AddProxy(observed, 4, "prod");
  observed.Normalize();
  Plan plan = PlanSite(desired, observed);
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_EQ(plan.actions[0].op, ActionOp::kAlter);
  EXPECT_EQ(plan.actions[0].reason, "partitions 4 -> 2");
  EXPECT_THAT(plan.actions[0].sql,
              ElementsAre("ALTER SERVER c OPTIONS (DROP p2, DROP p3, SET p0 'host=test "
                          "dbname=p0', SET p1 'host=test dbname=p1')"));
}

TEST(PlannerRpcTest, EqualClustersAndAPasswordOnlyDifferencePlanNothing) {
  Object desired = ShopCluster();
  AddProxy(desired, 2).SetAttr("user_mappings", "public(password=(set), user=proxy_rpc)");
  AddConf(desired, "0", "1");
  desired.Normalize();
  Object observed = ShopCluster();
  AddProxy(observed, 2);
  AddConf(observed, "0", "1");
  observed.Normalize();
  for (bool prune : {false, true}) {
    Plan plan = PlanSite(desired, observed, prune);
    EXPECT_THAT(plan.actions, IsEmpty());
    EXPECT_THAT(plan.unmanaged, IsEmpty());
  }
}

TEST(PlannerRpcTest, ChangedOwnerAclAndMappingAreCorrected) {
  Object desired = ShopCluster();
  AddProxy(desired, 2).SetAttr("acl", "app=U/app, reader=U/app");
  desired.Normalize();
  Object observed = ShopCluster();
  Object& seen = AddProxy(observed, 2);
  seen.SetAttr("owner", "reader");
  seen.SetAttr("user_mappings", "public(user=other); reader(user=x)");
  observed.Normalize();
  Plan plan = PlanSite(desired, observed);
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_THAT(plan.actions[0].sql,
              ElementsAre("ALTER SERVER c OWNER TO app",
                          "GRANT ALL ON FOREIGN SERVER c TO reader",
                          "ALTER USER MAPPING FOR PUBLIC SERVER c OPTIONS (SET \"user\" "
                          "'proxy_rpc')"));
  ASSERT_EQ(plan.unmanaged.size(), 1u);
  EXPECT_EQ(plan.unmanaged[0].key, "plproxy_cluster:c (user mapping for reader)");
  Plan pruned = PlanSite(desired, observed, true);
  ASSERT_EQ(pruned.actions.size(), 1u);
  EXPECT_EQ(pruned.actions[0].risk, Risk::kDestructive);
  EXPECT_EQ(pruned.actions[0].sql.back(), "DROP USER MAPPING FOR reader SERVER c");
}

TEST(PlannerRpcTest, TestOnlyClusterIsUnmanagedAndDroppedOnlyWithPrune) {
  Object desired = ShopCluster();
  Object observed = ShopCluster();
  AddProxy(observed, 2);
  observed.Normalize();
  Plan kept = PlanSite(desired, observed);
  EXPECT_THAT(kept.actions, IsEmpty());
  ASSERT_EQ(kept.unmanaged.size(), 1u);
  EXPECT_EQ(kept.unmanaged[0].kind, ObjectKind::kPlproxyCluster);
  EXPECT_EQ(kept.unmanaged[0].key, "plproxy_cluster:c");
  Plan pruned = PlanSite(desired, observed, true);
  ASSERT_EQ(pruned.actions.size(), 1u);
  EXPECT_EQ(pruned.actions[0].op, ActionOp::kDrop);
  EXPECT_THAT(pruned.actions[0].sql, ElementsAre("DROP SERVER c CASCADE"));
}

TEST(PlannerRpcTest, FunctionConfiguredClustersAreNotPlanned) {
  Object with = ShopCluster();
  AddProxy(with, 2).SetAttr("config_source", "functions");
  with.Normalize();
  Object without = ShopCluster();
  for (bool prune : {false, true}) {
    EXPECT_THAT(PlanSite(with, without, prune).actions, IsEmpty());
    Plan extra = PlanSite(without, with, prune);
    EXPECT_THAT(extra.actions, IsEmpty());
    EXPECT_THAT(extra.unmanaged, IsEmpty());
  }
}

TEST(PlannerRpcTest, DifferentPartconfRowsAreRewrittenAfterTheTableExists) {
  Object desired = ShopCluster();
  Object& schema = AddSchema(Db(desired), "partconf", "app");
  AddTable(schema, "conf", "app");
  AddConf(desired, "1", "1");
  desired.Normalize();
  Object observed = ShopCluster();
  AddConf(observed, "1", "3");
  observed.Normalize();
  Plan plan = PlanSite(desired, observed);
  auto actions = OfKind(plan, ObjectKind::kPartconf);
  ASSERT_EQ(actions.size(), 1u);
  const Action& action = *actions[0];
  EXPECT_EQ(action.op, ActionOp::kAlter);
  EXPECT_THAT(action.reason, HasSubstr("a data write"));
  EXPECT_THAT(action.sql, ElementsAre("DELETE FROM partconf.conf",
                                      "INSERT INTO partconf.conf (cluster_name, max_part, part_nr) "
                                      "VALUES ('c', '1', '1')"));
  int table = -1;
  for (const Action& other : plan.actions) {
    if (other.key == "table:partconf.conf") table = other.id;
  }
  ASSERT_GE(table, 0);
  EXPECT_THAT(action.depends_on, Contains(table));
}

TEST(PlannerRpcTest, TestOnlyPartconfRowsAreUnmanagedAndDeletedOnlyWithPrune) {
  Object desired = ShopCluster();
  AddTable(AddSchema(Db(desired), "partconf", "app"), "conf", "app");
  desired.Normalize();
  Object observed = desired;
  AddConf(observed, "0", "0");
  observed.Normalize();
  Plan kept = PlanSite(desired, observed);
  EXPECT_THAT(kept.actions, IsEmpty());
  ASSERT_EQ(kept.unmanaged.size(), 1u);
  EXPECT_EQ(kept.unmanaged[0].key, "partconf:conf");
  Plan pruned = PlanSite(desired, observed, true);
  ASSERT_EQ(pruned.actions.size(), 1u);
  EXPECT_THAT(pruned.actions[0].sql, ElementsAre("DELETE FROM partconf.conf"));
  EXPECT_THAT(pruned.actions[0].sql, Not(Contains(HasSubstr("INSERT"))));
}

}  // namespace
}  // namespace pgtwin
