// Expansion of PL/Proxy clusters and partconf for the kept shards (rpc_placement.h): a proxy
// over Prod's 4 accountdb shards becomes a proxy over Test's 2, on the Test sites, and the
// shards' partconf mask follows.
#include "reconciler/expand/rpc_placement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "reconciler/expand/expander.h"

namespace pgtwin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string Shard(int n) { return "accountdb_p00" + std::to_string(n); }

// Prod: accountdb in `shards` shards (each with its partconf row), proxydb with cluster
// `accountdb` over every shard (password and sslmode in the strings) and cluster `other` over
// clidb.
Object Prod(int shards = 4, bool modular = false) {
  Object prod(ObjectKind::kCluster, "postgresql://prod:5432");
  for (int n = 0; n < shards; ++n) {
    Object& db = prod.AddChild(ObjectKind::kDatabase, Shard(n));
    Object& conf = db.AddChild(ObjectKind::kPartconf, "conf");
    conf.SetAttr("part_nr", std::to_string(n));
    conf.SetAttr("max_part", std::to_string(shards - 1));
    conf.SetAttr("cluster_name", "accountdb");
  }
  prod.AddChild(ObjectKind::kDatabase, "clidb");
  Object& proxydb = prod.AddChild(ObjectKind::kDatabase, "proxydb");
  Object& cluster = proxydb.AddChild(ObjectKind::kPlproxyCluster, "accountdb");
  cluster.SetAttr("owner", "proxydb_owner");
  cluster.SetAttr("connection_lifetime", "1800");
  if (modular) cluster.SetAttr("modular_mapping", "1");
  for (int n = 0; n < shards; ++n) {
    cluster.SetAttr("p" + std::to_string(n), "host=prod-db" + std::to_string(n) +
                                                 " port=5432 dbname=" + Shard(n) +
                                                 " sslmode=require");
  }
  cluster.SetAttr("partitions", std::to_string(shards));
  cluster.SetAttr("user_mappings", "public(user=proxy_rpc)");
  Object& other = proxydb.AddChild(ObjectKind::kPlproxyCluster, "other");
  other.SetAttr("p0", "host=prod-cli dbname=clidb");
  other.SetAttr("partitions", "1");
  Object& functions = proxydb.AddChild(ObjectKind::kPlproxyCluster, "fcluster");
  functions.SetAttr("config_source", "functions");
  functions.SetAttr("p0", "dbname=" + Shard(3));
  prod.Normalize();
  return prod;
}

// Test: dc1 carries the shards and proxydb, dc2 the shards only; 2 of 4 shards kept.
EnvironmentSpec Spec(int shards = 2, std::vector<std::string> proxy_sites = {"dc1"}) {
  EnvironmentSpec spec;
  spec.file = "qa1.yaml";
  spec.environment = "qa1";
  spec.sites = {SiteSpec{"dc1", "qa1-db1", 5432, "postgres", false, {}},
                SiteSpec{"dc2", "qa1dr-db1", 5433, "admin", false, {}}};
  spec.databases = {
      DatabaseSpec{"accountdb", shards, {"dc2", "dc1"}, {"qa1.yaml", 10, 5}, {"qa1.yaml", 10, 30}},
      DatabaseSpec{"clidb", std::nullopt, {"dc1"}, {"qa1.yaml", 11, 5}, {}},
      DatabaseSpec{"proxydb", std::nullopt, proxy_sites, {"qa1.yaml", 12, 5}, {}}};
  return spec;
}

const Object& Child(const Object& parent, ObjectKind kind, const std::string& name) {
  const Object* child = parent.FindChild(kind, name);
  EXPECT_NE(child, nullptr) << name;
  static const Object kNone;
  return child == nullptr ? kNone : *child;
}

const Object& Cluster(const DesiredState& state, size_t site, const std::string& name) {
  return Child(Child(state.sites[site].desired, ObjectKind::kDatabase, "proxydb"),
               ObjectKind::kPlproxyCluster, name);
}

TEST(PlaceRpc, ProxyKeepsThePartitionsOfTheKeptShardsOnTheTestSites) {
  DesiredState state = Expand(Spec(), Prod(), {});
  const Object& cluster = Cluster(state, 0, "accountdb");
  EXPECT_EQ(cluster.Attr("partitions"), "2");
  // The proxy database's own site carries both shards; Prod's user (none) and other keywords
  // (sslmode) kept, the site's admin role not added.
  EXPECT_EQ(cluster.Attr("p0"), "host=qa1-db1 port=5432 dbname=accountdb_p000 sslmode=require");
  EXPECT_EQ(cluster.Attr("p1"), "host=qa1-db1 port=5432 dbname=accountdb_p001 sslmode=require");
  EXPECT_FALSE(cluster.HasAttr("p2"));
  EXPECT_FALSE(cluster.HasAttr("p3"));
  EXPECT_EQ(cluster.Attr("connection_lifetime"), "1800");
  EXPECT_EQ(cluster.Attr("owner"), "proxydb_owner");
  EXPECT_EQ(cluster.Attr("user_mappings"), "public(user=proxy_rpc)");
}

TEST(PlaceRpc, ShardNotOnTheProxySiteIsReachedOnItsFirstSite) {
  EnvironmentSpec spec = Spec(2, {"dc1"});
  spec.databases[0].sites = {"dc2"};
  Object prod = Prod();
  Object& cluster = *prod.FindChild(ObjectKind::kDatabase, "proxydb")
                         ->FindChild(ObjectKind::kPlproxyCluster, "accountdb");
  cluster.SetAttr("p1", "user=proxy_rpc password=secret dbname=accountdb_p001 host=prod-db1");
  DesiredState state = Expand(spec, prod, {});
  const Object& test = Cluster(state, 0, "accountdb");
  EXPECT_EQ(test.Attr("p0"), "host=qa1dr-db1 port=5433 dbname=accountdb_p000 sslmode=require");
  EXPECT_EQ(test.Attr("p1"), "host=qa1dr-db1 port=5433 user=proxy_rpc dbname=accountdb_p001");
}

TEST(PlaceRpc, ClustersNamingNoShardAndFunctionClustersStayAsInProd) {
  Object prod = Prod();
  DesiredState state = Expand(Spec(), prod, {});
  const Object& proxydb = *prod.FindChild(ObjectKind::kDatabase, "proxydb");
  EXPECT_EQ(Cluster(state, 0, "other"), Child(proxydb, ObjectKind::kPlproxyCluster, "other"));
  EXPECT_EQ(Cluster(state, 0, "fcluster"),
            Child(proxydb, ObjectKind::kPlproxyCluster, "fcluster"));
}

TEST(PlaceRpc, AllShardsKeptMovesPartitionsOnly) {
  DesiredState state = Expand(Spec(4), Prod(), {});
  const Object& cluster = Cluster(state, 0, "accountdb");
  EXPECT_EQ(cluster.Attr("partitions"), "4");
  EXPECT_EQ(cluster.Attr("p3"), "host=qa1-db1 port=5432 dbname=accountdb_p003 sslmode=require");
  const Object& db = Child(state.sites[1].desired, ObjectKind::kDatabase, Shard(3));
  EXPECT_EQ(Child(db, ObjectKind::kPartconf, "conf").Attr("max_part"), "3");
}

TEST(PlaceRpc, PartconfMaskFollowsTheKeptShardCount) {
  Object prod = Prod();
  Object& conf = *prod.FindChild(ObjectKind::kDatabase, Shard(1))
                      ->FindChild(ObjectKind::kPartconf, "conf");
  conf.SetAttr("shard_nr", "1");
  conf.SetAttr("shard_mask", "3");
  conf.SetAttr("shard_count", "4");
  conf.SetAttr("max_slot", "3");
  DesiredState state = Expand(Spec(), prod, {});
  for (size_t site : {0u, 1u}) {
    const Object& p0 = Child(Child(state.sites[site].desired, ObjectKind::kDatabase, Shard(0)),
                             ObjectKind::kPartconf, "conf");
    EXPECT_EQ(p0.Attr("part_nr"), "0");
    EXPECT_EQ(p0.Attr("max_part"), "1");
    const Object& p1 = Child(Child(state.sites[site].desired, ObjectKind::kDatabase, Shard(1)),
                             ObjectKind::kPartconf, "conf");
    EXPECT_EQ(p1.Attr("part_nr"), "1");
    EXPECT_EQ(p1.Attr("max_part"), "1");
    EXPECT_EQ(p1.Attr("shard_nr"), "1");
    EXPECT_EQ(p1.Attr("shard_mask"), "1");
    EXPECT_EQ(p1.Attr("shard_count"), "2");
    EXPECT_EQ(p1.Attr("max_slot"), "3");  // not the partition mask
    EXPECT_EQ(p1.Attr("cluster_name"), "accountdb");
  }
}

TEST(CheckRpcAgainstProd, PartitionCountThatIsNoPowerOfTwoIsAnErrorAtShards) {
  // A cluster over shards 0, 1, 2 and clidb keeps 3 partitions with 2 shards.
  Object prod = Prod();
  Object& cluster = *prod.FindChild(ObjectKind::kDatabase, "proxydb")
                         ->FindChild(ObjectKind::kPlproxyCluster, "accountdb");
  cluster.SetAttr("p3", "dbname=clidb");
  std::vector<SpecError> errors = CheckSpecAgainstProd(Spec(2), prod);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].ToString(),
            "qa1.yaml:10:30: shards: 2 leaves PL/Proxy cluster 'accountdb' in proxydb 3 of its "
            "4 partitions: PL/Proxy needs a power of two (or modular_mapping 1)");
  cluster.SetAttr("modular_mapping", "1");
  EXPECT_THAT(CheckSpecAgainstProd(Spec(2), prod), IsEmpty());
  EXPECT_THAT(CheckSpecAgainstProd(Spec(2), Prod()), IsEmpty());
  EXPECT_THAT(CheckSpecAgainstProd(Spec(1), Prod()), IsEmpty());
}

TEST(PlaceRpc, EightPartitionsOverFourShardsKeepTheirModuloLayout) {
  Object prod = Prod();
  Object& cluster = *prod.FindChild(ObjectKind::kDatabase, "proxydb")
                         ->FindChild(ObjectKind::kPlproxyCluster, "accountdb");
  for (int n = 0; n < 8; ++n) {
    cluster.SetAttr("p" + std::to_string(n), "dbname=" + Shard(n % 4));
  }
  cluster.SetAttr("partitions", "8");
  prod.Normalize();
  EXPECT_THAT(CheckSpecAgainstProd(Spec(2), prod), IsEmpty());
  DesiredState state = Expand(Spec(2), prod, {});
  const Object& test = Cluster(state, 0, "accountdb");
  EXPECT_EQ(test.Attr("partitions"), "4");
  std::vector<std::string> dbs;
  for (const char* p : {"p0", "p1", "p2", "p3"}) dbs.push_back(test.Attr(p));
  EXPECT_THAT(dbs, ElementsAre(HasSubstr("dbname=accountdb_p000"),
                               HasSubstr("dbname=accountdb_p001"),
                               HasSubstr("dbname=accountdb_p000"),
                               HasSubstr("dbname=accountdb_p001")));
}

}  // namespace
}  // namespace pgtwin
