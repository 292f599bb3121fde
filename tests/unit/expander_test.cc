#include "reconciler/expand/expander.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pgtwin {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Object Database(const std::string& name) {
  Object db(ObjectKind::kDatabase, name);
  db.SetAttr("owner", "app");
  Object& schema = db.AddChild(ObjectKind::kSchema, "billing");
  schema.AddChild(ObjectKind::kTable, "invoices").SetAttr("owner", "app");
  return db;
}

// Prod: roles postgres, pg_monitor-like system role, app (password), reader (no password);
// accountdb in 4 shards, clidb, confdb.
Object Prod() {
  Object prod(ObjectKind::kCluster, "postgresql://prod:5432");
  prod.SetAttr("major_version", "15");
  prod.SetAttr("setting.work_mem", "64MB");
  prod.AddChild(ObjectKind::kRole, "postgres").SetFlag("superuser", true);
  prod.AddChild(ObjectKind::kRole, "pg_custom").SetFlag("login", true);
  Object& app = prod.AddChild(ObjectKind::kRole, "app");
  app.SetFlag("login", true);
  app.SetAttr("password", "set");
  app.SetAttr("member_of", "reader");
  prod.AddChild(ObjectKind::kRole, "reader").SetAttr("comment", "reads");
  for (const char* name :
       {"accountdb_p000", "accountdb_p001", "accountdb_p002", "accountdb_p003"}) {
    prod.AddChild(Database(name));
  }
  prod.AddChild(Database("clidb"));
  prod.AddChild(Database("confdb"));
  prod.Normalize();
  return prod;
}

EnvironmentSpec Spec() {
  EnvironmentSpec spec;
  spec.file = "qa1.yaml";
  spec.environment = "qa1";
  spec.sites = {SiteSpec{"dc1", "qa1-db1", 5432, "postgres", false, {}},
                SiteSpec{"dc2", "qa1dr-db1", 5433, "", false, {}}};
  DatabaseSpec accountdb{"accountdb", 2, {}, {"qa1.yaml", 10, 5}, {"qa1.yaml", 10, 30}};
  DatabaseSpec clidb{"clidb", std::nullopt, {"dc1"}, {"qa1.yaml", 11, 5}, {}};
  spec.databases = {accountdb, clidb};
  return spec;
}

std::vector<std::string> Names(const Object& cluster, ObjectKind kind) {
  std::vector<std::string> names;
  for (const Object& child : cluster.children()) {
    if (child.kind() == kind) names.push_back(child.name());
  }
  return names;
}

std::vector<std::string> Messages(const std::vector<SpecError>& errors) {
  std::vector<std::string> lines;
  for (const SpecError& error : errors) lines.push_back(error.ToString());
  return lines;
}

TEST(CheckSpecAgainstProd, AcceptsDatabasesProdHas) {
  EXPECT_THAT(CheckSpecAgainstProd(Spec(), Prod()), IsEmpty());
}

TEST(CheckSpecAgainstProd, ReportsEachProblemAtItsLine) {
  EnvironmentSpec spec = Spec();
  spec.databases[0].shards = 8;
  spec.databases.push_back({"nodb", std::nullopt, {}, {"qa1.yaml", 12, 13}, {}});
  spec.databases.push_back({"confdb", 2, {}, {"qa1.yaml", 13, 13}, {"qa1.yaml", 13, 30}});
  spec.databases.push_back({"accountdb", std::nullopt, {}, {"qa1.yaml", 14, 13}, {}});
  EXPECT_THAT(
      Messages(CheckSpecAgainstProd(spec, Prod())),
      ElementsAre("qa1.yaml:10:30: shards: 8 is above Prod's 4 shards of accountdb",
                  "qa1.yaml:12:13: database 'nodb' is not in Prod (neither nodb nor shards "
                  "nodb_pNNN)",
                  "qa1.yaml:13:30: shards: 2, but confdb is not sharded in Prod",
                  "qa1.yaml:14:13: database 'accountdb' is sharded in Prod (4 shards, "
                  "accountdb_p000..accountdb_p003): say how many to keep with shards: N"));
}

TEST(CheckSpecAgainstProd, ReportsAMissingShard) {
  Object prod = Prod();
  auto& children = prod.mutable_children();
  std::erase_if(children, [](const Object& o) { return o.name() == "accountdb_p001"; });
  EXPECT_THAT(Messages(CheckSpecAgainstProd(Spec(), prod)),
              ElementsAre("qa1.yaml:10:30: shards: 2 needs shard 1 of accountdb, which Prod "
                          "lacks (it has accountdb_p000..accountdb_p003)"));
}

TEST(Expand, CutsShardsAndPlacesDatabasesPerSite) {
  DesiredState state = Expand(Spec(), Prod(), {});
  EXPECT_EQ(state.environment, "qa1");
  ASSERT_EQ(state.sites.size(), 2u);
  const Object& dc1 = state.sites[0].desired;
  const Object& dc2 = state.sites[1].desired;
  EXPECT_EQ(state.sites[0].site.name, "dc1");
  EXPECT_EQ(dc1.name(), "postgresql://qa1-db1:5432");
  EXPECT_EQ(dc2.name(), "postgresql://qa1dr-db1:5433");
  EXPECT_THAT(dc1.attrs(), IsEmpty());
  EXPECT_THAT(Names(dc1, ObjectKind::kDatabase),
              ElementsAre("accountdb_p000", "accountdb_p001", "clidb"));
  EXPECT_THAT(Names(dc2, ObjectKind::kDatabase), ElementsAre("accountdb_p000", "accountdb_p001"));
  // Full subtrees, as in Prod.
  EXPECT_EQ(*dc1.FindChild(ObjectKind::kDatabase, "clidb"),
            *Prod().FindChild(ObjectKind::kDatabase, "clidb"));
}

TEST(Expand, SkipsRolesByPatternAndKeepsTheirAttributes) {
  Object prod = Prod();
  DesiredState state = Expand(Spec(), prod, {});
  const Object& dc1 = state.sites[0].desired;
  EXPECT_THAT(Names(dc1, ObjectKind::kRole), ElementsAre("app", "reader"));
  const Object* app = dc1.FindChild(ObjectKind::kRole, "app");
  EXPECT_EQ(app->Attr("member_of"), "reader");
  EXPECT_TRUE(app->HasAttr("login"));
}

TEST(Expand, PasswordFollowsIntWhenPasswordsComeFromInt) {
  PasswordHashes int_hashes = {{"reader", "SCRAM-SHA-256$4096:x"}, {"postgres", "md5abc"}};
  DesiredState state = Expand(Spec(), Prod(), int_hashes);
  const Object& dc2 = state.sites[1].desired;
  // app has a password in Prod but none in INT: unset; reader has one in INT only: set.
  EXPECT_FALSE(dc2.FindChild(ObjectKind::kRole, "app")->HasAttr("password"));
  EXPECT_EQ(dc2.FindChild(ObjectKind::kRole, "reader")->Attr("password"), "set");
  // Only hashes of desired roles are carried (postgres is skipped).
  EXPECT_EQ(state.passwords, (PasswordHashes{{"reader", "SCRAM-SHA-256$4096:x"}}));
}

TEST(Expand, PasswordsNoneKeepsProdsPasswordAttribute) {
  EnvironmentSpec spec = Spec();
  spec.roles.passwords = "none";
  DesiredState state = Expand(spec, Prod(), {{"reader", "md5abc"}});
  const Object& dc1 = state.sites[0].desired;
  EXPECT_EQ(dc1.FindChild(ObjectKind::kRole, "app")->Attr("password"), "set");
  EXPECT_FALSE(dc1.FindChild(ObjectKind::kRole, "reader")->HasAttr("password"));
  EXPECT_THAT(state.passwords, IsEmpty());
}

TEST(Expand, EmptySkipListKeepsEveryRole) {
  EnvironmentSpec spec = Spec();
  spec.roles.skip.clear();
  DesiredState state = Expand(spec, Prod(), {});
  EXPECT_THAT(Names(state.sites[0].desired, ObjectKind::kRole),
              ElementsAre("app", "pg_custom", "postgres", "reader"));
}

}  // namespace
}  // namespace pgtwin
