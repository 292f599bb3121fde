// The planner and the replication and RPC kinds (docs/model.md): they are not planned yet —
// neither created (in an existing or a new database), changed, reported unmanaged nor dropped
// with prune — so a Prod snapshot carrying them still plans only DDL.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reconciler/plan/planner.h"
#include "tests/unit/planner_test_trees.h"

namespace pgtwin {
namespace {

using ::testing::IsEmpty;
using namespace pgtwin::testing;  // NOLINT: tree builders

Plan PlanSite(const Object& desired, const Object& observed, bool prune = false) {
  SitePlanInput input{"dc1", &desired, &observed, nullptr, nullptr};
  PlanOptions options;
  options.prune = prune;
  return BuildPlan({input}, options);
}

// Adds a queue, a root node with a table, a PL/Proxy cluster and partconf to `db`.
void AddReplication(Object& db, const std::string& handler_key) {
  db.AddChild(ObjectKind::kPgqQueue, "q").AddChild(ObjectKind::kPgqConsumer, "c");
  Object& node = db.AddChild(ObjectKind::kPgqNode, "q");
  node.SetAttr("node_type", "root");
  node.AddChild(ObjectKind::kPgqLocation, "root").SetAttr("location", "dbname=shop");
  Object& table = node.AddChild(ObjectKind::kLondisteTable, "public.t");
  table.SetAttr("handler", "part");
  table.SetAttr("handler_arg.key", handler_key);
  node.AddChild(ObjectKind::kLondisteSequence, "public.s");
  db.AddChild(ObjectKind::kPlproxyCluster, "c").SetAttr("p0", "dbname=p0");
  db.AddChild(ObjectKind::kPartconf, "conf").SetAttr("part_nr", "0");
}

TEST(PlannerReplicationTest, ReplicationKindsAreNotPlanned) {
  Object with = ShopCluster();
  AddReplication(*with.FindChild(ObjectKind::kDatabase, "shop"), "id");
  with.Normalize();
  Object changed = ShopCluster();
  AddReplication(*changed.FindChild(ObjectKind::kDatabase, "shop"), "other");
  changed.Normalize();
  Object without = ShopCluster();

  for (bool prune : {false, true}) {
    Plan missing = PlanSite(with, without, prune);
    EXPECT_THAT(missing.actions, IsEmpty());
    Plan extra = PlanSite(without, with, prune);
    EXPECT_THAT(extra.actions, IsEmpty());
    EXPECT_THAT(extra.unmanaged, IsEmpty());
    EXPECT_THAT(PlanSite(with, changed, prune).actions, IsEmpty());
  }
  // A database created from scratch gets its DDL, not its replication.
  Plan fresh = PlanSite(with, EmptyCluster());
  Plan fresh_without = PlanSite(without, EmptyCluster());
  EXPECT_EQ(fresh.actions.size(), fresh_without.actions.size());
  for (const Action& action : fresh.actions) EXPECT_FALSE(IsReplicationKind(action.kind));
}

}  // namespace
}  // namespace pgtwin
