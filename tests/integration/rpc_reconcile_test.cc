// Reconciling PL/Proxy clusters and partconf for the kept shards (rpc_placement.h,
// rpc_planner.h) on the test server: a Prod of 4 shards <base>_p000..p003 (partconf rows with
// max_part 3, an accounts table and get_balance) and a proxy database whose SQL/MED cluster
// spans the 4 shards is read, then dropped; Test keeps 2 shards (spec shards: 2, one site on
// the test server), built from empty by the plan. A call through Test's proxy (RUN ON
// hashint8(id)) returns the row of the Test shard the id hashes to with 2 partitions, the
// shards' partconf says max_part 1, and a second plan is empty.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "model/spec.h"
#include "reconciler/expand/expander.h"
#include "reconciler/plan/planner.h"
#include "tests/integration/pg_test_env.h"
#include "tests/integration/planner_test_support.h"

namespace pgtwin {
namespace {

using ::testing::IsEmpty;
using testing::ApplyToDatabase;
using testing::CreateDatabase;
using testing::DatabaseConninfo;
using testing::DescribePlan;
using testing::DropDatabase;
using testing::PlanCopy;
using testing::QueryRows;
using testing::ReadClusterFrom;
using testing::Replace;
using testing::RunSql;

// A shard: partconf (Skytools layout) and the function the proxy calls. :N is its number.
constexpr char kShardSql[] = R"sql(
CREATE SCHEMA partconf;
CREATE TABLE partconf.conf (part_nr integer NOT NULL, max_part integer NOT NULL,
                            cluster_name text);
INSERT INTO partconf.conf VALUES (:N, 3, 'accounts');
CREATE TABLE public.accounts (account_id bigint PRIMARY KEY, amount numeric NOT NULL);
CREATE FUNCTION public.get_balance(p_account_id bigint) RETURNS numeric LANGUAGE sql
  AS $$ SELECT amount FROM public.accounts WHERE account_id = p_account_id $$;
)sql";

// The proxy: one function routed by hashint8 over cluster `accounts`.
constexpr char kProxySql[] = R"sql(
CREATE EXTENSION plproxy;
CREATE FUNCTION public.get_balance(p_account_id bigint) RETURNS numeric LANGUAGE plproxy AS $$
  CLUSTER 'accounts';
  RUN ON hashint8(p_account_id);
$$;
)sql";

// The test server as a spec site: host (socket directory), port, user.
SiteSpec ServerSite() {
  std::string conninfo = testing::TestServerConninfo();
  SiteSpec site;
  site.name = "dc1";
  size_t host = conninfo.find("host=") + 5;
  site.host = conninfo.substr(host, conninfo.find(' ', host) - host);
  site.port = testing::TestServerPort();
  site.user = "postgres";
  return site;
}

class RpcReconcileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = CreateDatabase("rpc");
    DropDatabase(base_);
    proxy_ = base_ + "_proxy";
    for (int n = 0; n < 4; ++n) shards_.push_back(base_ + "_p00" + std::to_string(n));
  }
  void TearDown() override {
    for (const std::string& db : shards_) DropDatabase(db);
    DropDatabase(proxy_);
  }

  void CreateEmpty(const std::string& db) {
    RunSql("postgres", "CREATE DATABASE \"" + db + "\" TEMPLATE template0");
  }

  // Prod's databases, read and then dropped: Test takes their names.
  Object ReadProdAndDropIt() {
    std::string partitions;
    for (int n = 0; n < 4; ++n) {
      CreateEmpty(shards_[n]);
      RunSql(shards_[n], Replace(kShardSql, ":N", std::to_string(n)));
      partitions += ", p" + std::to_string(n) + " 'host=prod-db" + std::to_string(n) +
                    " port=5432 dbname=" + shards_[n] + "'";
    }
    CreateEmpty(proxy_);
    RunSql(proxy_, std::string(kProxySql) +
                       "CREATE SERVER accounts FOREIGN DATA WRAPPER plproxy OPTIONS "
                       "(connection_lifetime '1800'" + partitions + ");"
                       "CREATE USER MAPPING FOR PUBLIC SERVER accounts OPTIONS "
                       "(user 'postgres', password 'not-copied');");
    Object prod(ObjectKind::kCluster, "prod");
    std::vector<std::string> all = shards_;
    all.push_back(proxy_);
    for (const std::string& db : all) {
      Object read = ReadClusterFrom(db);
      const Object* database = read.FindChild(ObjectKind::kDatabase, db);
      EXPECT_NE(database, nullptr) << db;
      if (database != nullptr) prod.AddChild(*database);
      DropDatabase(db);
    }
    prod.Normalize();
    return prod;
  }

  // Plans `db` from its desired tree, applies it, and checks that the next plan is empty.
  void Converge(const Object& site_desired, const std::string& db) {
    Object desired(ObjectKind::kCluster, "test");
    desired.AddChild(*site_desired.FindChild(ObjectKind::kDatabase, db));
    Plan plan = PlanCopy(desired, ReadClusterFrom(db), false);
    EXPECT_THAT(ApplyToDatabase(db, plan), IsEmpty()) << DescribePlan(plan);
    Plan again = PlanCopy(desired, ReadClusterFrom(db), false);
    EXPECT_THAT(again.actions, IsEmpty()) << DescribePlan(again);
    last_plan_ = std::move(plan);
  }

  std::string base_, proxy_;
  std::vector<std::string> shards_;
  Plan last_plan_;
};

TEST_F(RpcReconcileTest, ProxyOverTwoTestShardsRoutesLikeTheirPartconf) {
  Object prod = ReadProdAndDropIt();
  EnvironmentSpec spec;
  spec.file = "rpc.yaml";
  spec.environment = "rpc";
  spec.sites = {ServerSite()};
  spec.databases = {DatabaseSpec{base_, 2, {}, {}, {}},
                    DatabaseSpec{proxy_, std::nullopt, {}, {}, {}}};
  ASSERT_THAT(CheckSpecAgainstProd(spec, prod), IsEmpty());
  DesiredState state = Expand(spec, prod, {});
  const Object& desired = state.sites[0].desired;

  for (const std::string& db : {shards_[0], shards_[1], proxy_}) {
    CreateEmpty(db);
    Converge(desired, db);
  }
  // The proxy's plan: the server over the 2 Test shards of this server, the user mapping
  // without Prod's password (said in the reason).
  std::string described = DescribePlan(last_plan_);
  EXPECT_THAT(described, ::testing::HasSubstr("CREATE SERVER accounts FOREIGN DATA WRAPPER "
                                              "plproxy OPTIONS (connection_lifetime '1800', p0 "));
  EXPECT_THAT(described, ::testing::HasSubstr("has a password, which pgtwin cannot copy"));
  EXPECT_THAT(described, ::testing::Not(::testing::HasSubstr("not-copied")));
  EXPECT_EQ(QueryRows(proxy_, "SELECT array_length(srvoptions, 1) FROM pg_foreign_server "
                          "WHERE srvname = 'accounts'"),
            "3");
  for (int n = 0; n < 2; ++n) {
    EXPECT_EQ(QueryRows(shards_[n], "SELECT part_nr || ':' || max_part FROM partconf.conf"),
              std::to_string(n) + ":1");
  }

  // Accounts whose id hashes to partitions 0..3 of Prod's 4: each is inserted on the Test shard
  // (hash & 1) and the proxy finds it there, which Prod's routing (hash & 3) would not for 2, 3.
  for (int prod_part = 0; prod_part < 4; ++prod_part) {
    std::string id = QueryRows(proxy_, "SELECT min(i) FROM generate_series(1, 1000) i WHERE "
                                   "hashint8(i) & 3 = " + std::to_string(prod_part));
    int shard = prod_part & 1;
    std::string amount = std::to_string(100 + prod_part);
    RunSql(shards_[shard], "INSERT INTO public.accounts VALUES (" + id + ", " + amount + ")");
    EXPECT_EQ(QueryRows(proxy_, "SELECT public.get_balance(" + id + ")"), amount)
        << "account " << id << " on " << shards_[shard];
  }
}

}  // namespace
}  // namespace pgtwin
