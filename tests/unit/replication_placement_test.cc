// PlaceReplication: Prod's cascades (as dumped from the primary instance) put onto the Test
// sites: the root where its name says, the leaf derived from its subscription, locations at
// the Test sites.
#include "reconciler/expand/replication_placement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pgtwin {
namespace {

using ::testing::IsNull;
using ::testing::NotNull;

// accountdb_p000 as Prod's dc1 has it: root, the leaf's location and subscription.
Object ProdShard() {
  Object db(ObjectKind::kDatabase, "accountdb_p000");
  Object& queue = db.AddChild(ObjectKind::kPgqQueue, "accountdb_p000");
  queue.AddChild(ObjectKind::kPgqConsumer, "l3_accountdb_p000_dc2");
  queue.AddChild(ObjectKind::kPgqConsumer, "l3_accountdb_p000_dc3");
  Object& node = db.AddChild(ObjectKind::kPgqNode, "accountdb_p000");
  node.SetAttr("node_name", "accountdb_p000_dc1");
  node.SetAttr("node_type", "root");
  node.SetAttr("worker_name", "l3_accountdb_p000_dc1");
  for (const char* site : {"dc1", "dc2", "dc3"}) {
    node.AddChild(ObjectKind::kPgqLocation, std::string("accountdb_p000_") + site)
        .SetAttr("location", "host=prod port=6500 dbname=accountdb_p000");
  }
  for (const char* site : {"dc2", "dc3"}) {
    node.AddChild(ObjectKind::kPgqSubscriber, std::string("accountdb_p000_") + site)
        .SetAttr("worker_name", std::string("l3_accountdb_p000_") + site);
  }
  Object& table = node.AddChild(ObjectKind::kLondisteTable, "account.accounts");
  table.SetAttr("handler", "part");
  table.SetAttr("trigger", "CREATE TRIGGER x ... EXECUTE FUNCTION pgq.logutriga('accountdb_p000')");
  node.AddChild(ObjectKind::kLondisteSequence, "account.s");
  db.Normalize();
  return db;
}

SiteState Site(const std::string& name, int port) {
  SiteState site;
  site.site = SiteSpec{name, "127.0.0.1", port, "postgres", false, {}};
  site.desired = Object(ObjectKind::kCluster, site.site.DisplayName());
  site.desired.AddChild(ProdShard());
  return site;
}

const Object* NodeOn(const SiteState& site) {
  return site.desired.FindChild(ObjectKind::kDatabase, "accountdb_p000")
      ->FindChild(ObjectKind::kPgqNode, "accountdb_p000");
}

TEST(PlaceReplication, RootOnItsSiteLeafDerivedFromItsSubscriptionOnTheOther) {
  std::vector<SiteState> sites = {Site("dc2", 7002), Site("dc1", 7001)};  // spec order
  PlaceReplication(sites);
  const Object* root = NodeOn(sites[1]);
  const Object* leaf = NodeOn(sites[0]);
  ASSERT_THAT(root, NotNull());
  ASSERT_THAT(leaf, NotNull());
  EXPECT_EQ(root->Attr("node_type"), "root");
  EXPECT_EQ(root->Attr("node_name"), "accountdb_p000_dc1");
  // dc3 has no Test site: its location, subscription and consumer go.
  EXPECT_THAT(root->FindChild(ObjectKind::kPgqLocation, "accountdb_p000_dc3"), IsNull());
  EXPECT_THAT(root->FindChild(ObjectKind::kPgqSubscriber, "accountdb_p000_dc3"), IsNull());
  EXPECT_EQ(root->FindChild(ObjectKind::kPgqLocation, "accountdb_p000_dc2")->Attr("location"),
            "host=127.0.0.1 port=7002 user=postgres dbname=accountdb_p000");
  const Object* queue = sites[1].desired.FindChild(ObjectKind::kDatabase, "accountdb_p000")
                            ->FindChild(ObjectKind::kPgqQueue, "accountdb_p000");
  ASSERT_THAT(queue, NotNull());
  EXPECT_EQ(queue->children().size(), 1u);
  EXPECT_THAT(sites[0].desired.FindChild(ObjectKind::kDatabase, "accountdb_p000")
                  ->FindChild(ObjectKind::kPgqQueue, "accountdb_p000"),
              IsNull());

  EXPECT_EQ(leaf->Attr("node_type"), "leaf");
  EXPECT_EQ(leaf->Attr("node_name"), "accountdb_p000_dc2");
  EXPECT_EQ(leaf->Attr("provider_node"), "accountdb_p000_dc1");
  EXPECT_EQ(leaf->Attr("worker_name"), "l3_accountdb_p000_dc2");
  EXPECT_EQ(leaf->FindChild(ObjectKind::kPgqLocation, "accountdb_p000_dc1")->Attr("location"),
            "host=127.0.0.1 port=7001 user=postgres dbname=accountdb_p000");
  EXPECT_THAT(leaf->FindChild(ObjectKind::kPgqSubscriber, "accountdb_p000_dc2"), IsNull());
  EXPECT_EQ(leaf->FindChild(ObjectKind::kLondisteTable, "account.accounts")->Attr("trigger"),
            "CREATE TRIGGER x ... EXECUTE FUNCTION pgq.logutriga('accountdb_p000', 'deny')");
  EXPECT_THAT(leaf->FindChild(ObjectKind::kLondisteSequence, "account.s"), NotNull());
}

TEST(PlaceReplication, ADatabaseOnOneSiteKeepsOnlyItsRoot) {
  std::vector<SiteState> sites = {Site("dc1", 7001)};
  PlaceReplication(sites);
  const Object* root = NodeOn(sites[0]);
  ASSERT_THAT(root, NotNull());
  EXPECT_EQ(root->Attr("node_type"), "root");
  EXPECT_EQ(root->children().size(), 3u);  // its own location, the table, the sequence
}

}  // namespace
}  // namespace pgtwin
