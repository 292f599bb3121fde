// `pgtwin validate` and `pgtwin render` as a user runs them: specs written into a temporary
// directory, following a Prod snapshot taken from databases this test creates, with INT's
// password hashes read from the fixture server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/object.h"
#include "providers/postgres/catalog_reader.h"
#include "providers/snapshot/snapshot_dir.h"
#include "tests/integration/pg_test_env.h"

namespace pgtwin {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using testing::RunPgtwin;
using testing::RunSql;
using Json = nlohmann::json;

constexpr char kTableSql[] = "CREATE SCHEMA app; CREATE TABLE app.t (id bigint PRIMARY KEY)";

std::string WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

// The children of a tree node (an empty list for a leaf).
const Json& Children(const Json& node) {
  static const Json kNone = Json::array();
  return node.contains("children") ? node.at("children") : kNone;
}

std::vector<std::string> ChildNames(const Json& node, const std::string& kind) {
  std::vector<std::string> names;
  for (const Json& child : Children(node)) {
    if (child["kind"] == kind) names.push_back(child["name"]);
  }
  return names;
}

const Json* Child(const Json& node, const std::string& kind, const std::string& name) {
  for (const Json& child : Children(node)) {
    if (child["kind"] == kind && child["name"] == name) return &child;
  }
  return nullptr;
}

// A Prod made of databases this test creates: `plain_` and the shards `sharded_`_p000 and
// _p001, each holding app.t; a role with a password and one without. The snapshot holds those
// three databases (read one by one) and the server's roles.
class SpecCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plain_ = testing::CreateDatabase("speccli", kTableSql);
    sharded_ = plain_ + "s";
    for (const char* suffix : {"_p000", "_p001"}) {
      RunSql("postgres", "CREATE DATABASE " + sharded_ + suffix);
      RunSql(sharded_ + suffix, kTableSql);
    }
    with_password_ = plain_ + "_pw";
    without_password_ = plain_ + "_nopw";
    RunSql("postgres", "CREATE ROLE " + with_password_ + " LOGIN PASSWORD 'spec-secret-1'; " +
                           "CREATE ROLE " + without_password_ + " NOLOGIN");
    dir_ = testing::TempDir();
    snapshot_ = dir_ + "/prod";
    Object prod;
    for (const std::string& db : {plain_, sharded_ + "_p000", sharded_ + "_p001"}) {
      StatusOr<Object> read = ReadCluster(testing::DatabaseConninfo(db), {});
      ASSERT_TRUE(read.ok()) << read.status().message();
      if (prod.children().empty()) {
        prod = *read;
      } else {
        prod.AddChild(*read->FindChild(ObjectKind::kDatabase, db));
      }
    }
    prod.Normalize();
    ASSERT_TRUE(WriteSnapshot(prod, true, snapshot_).ok());
  }

  void TearDown() override {
    testing::DropDatabase(plain_);
    testing::DropDatabase(sharded_ + "_p000");
    testing::DropDatabase(sharded_ + "_p001");
    RunSql("postgres", "DROP ROLE IF EXISTS " + with_password_ + "; DROP ROLE IF EXISTS " +
                           without_password_);
  }

  // A spec following the snapshot, with two sites on the fixture server.
  std::string Spec(const std::string& name, int shards,
                   const std::string& int_source = testing::TestServerConninfo()) {
    std::string port = std::to_string(testing::TestServerPort());
    return WriteFile(dir_ + "/" + name,
                     "environment: it\n"
                     "prod: { snapshot: prod }\n"
                     "int: { source: \"" + int_source + "\" }\n"
                     "sites:\n"
                     "  dc1: { host: 127.0.0.1, port: " + port + ", user: postgres }\n"
                     "  dc2: { host: localhost, port: " + port + ", protected: true }\n"
                     "databases:\n"
                     "  - { name: " + sharded_ + ", shards: " + std::to_string(shards) + " }\n"
                     "  - { name: " + plain_ + ", sites: [dc1] }\n");
  }

  std::string plain_, sharded_, with_password_, without_password_, dir_, snapshot_;
};

TEST_F(SpecCliTest, ValidateReportsOkOnStdout) {
  std::string spec = Spec("ok.yaml", 2);
  testing::CommandResult r = RunPgtwin({"validate", spec});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, spec + ": ok\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(SpecCliTest, ValidateReportsEveryErrorOfEveryFile) {
  std::string ok = Spec("ok.yaml", 1);
  std::string above = Spec("above.yaml", 4);
  std::string bad = WriteFile(dir_ + "/bad.yaml",
                              "environment: it\n"
                              "prod: { snapshot: prod, extra: 1 }\n"
                              "roles: { passwords: none }\n"
                              "sites: { dc1: { host: h, port: 5432, protected: yes } }\n"
                              "databases: [ { name: x, shards: 3 } ]\n");
  testing::CommandResult r = RunPgtwin({"validate", ok, above, bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, ok + ": ok\n");
  int column = 23 + static_cast<int>(sharded_.size());  // after "  - { name: <db>, shards: "
  EXPECT_EQ(r.err, above + ":8:" + std::to_string(column) + ": shards: 4 is above Prod's 2 " +
                       "shards of " + sharded_ + "\n" +
                       bad + ":2:25: unknown key 'extra' in prod (known: snapshot)\n" +
                       bad + ":4:49: protected in site 'dc1': expected true or false, got " +
                       "'yes'\n" +
                       bad + ":5:33: shards in database 'x': 3 is not a power of two (1, 2, " +
                       "4, 8, ...)\n");
}

TEST_F(SpecCliTest, ValidateReportsASnapshotThatDoesNotLoadAtItsPath) {
  std::string spec = Spec("ok.yaml", 1);
  fs::remove(snapshot_ + "/cluster.json");
  testing::CommandResult r = RunPgtwin({"validate", spec});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, spec + ":2:19: cannot load the Prod snapshot: " + snapshot_ +
                       ": not a pgtwin snapshot directory (no cluster.json)\n");
}

TEST_F(SpecCliTest, RenderExpandsEverySiteWithoutShowingHashes) {
  std::string spec = Spec("render.yaml", 1);
  testing::CommandResult r = RunPgtwin({"render", spec, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, Not(HasSubstr("SCRAM-SHA-256")));
  EXPECT_THAT(r.out, Not(HasSubstr("md5")));
  Json out = Json::parse(r.out);
  EXPECT_EQ(out["version"], 1);
  EXPECT_EQ(out["environment"], "it");
  ASSERT_EQ(out["sites"].size(), 2u);
  const Json& dc1 = out["sites"][0];
  const Json& dc2 = out["sites"][1];
  std::string port = std::to_string(testing::TestServerPort());
  EXPECT_EQ(dc1["site"], "dc1");
  EXPECT_EQ(dc1["server"], "postgresql://postgres@127.0.0.1:" + port);
  EXPECT_EQ(dc1["protected"], false);
  EXPECT_EQ(dc2["protected"], true);
  EXPECT_EQ(dc1["desired"]["name"], "postgresql://127.0.0.1:" + port);
  EXPECT_FALSE(dc1["desired"].contains("attrs")) << "cluster settings are not managed";
  EXPECT_THAT(ChildNames(dc1["desired"], "database"), ElementsAre(plain_, sharded_ + "_p000"));
  EXPECT_THAT(ChildNames(dc2["desired"], "database"), ElementsAre(sharded_ + "_p000"));
  // The whole structure of a shard, as Prod has it.
  const Json* shard = Child(dc2["desired"], "database", sharded_ + "_p000");
  ASSERT_NE(shard, nullptr);
  const Json* schema = Child(*shard, "schema", "app");
  ASSERT_NE(schema, nullptr);
  EXPECT_NE(Child(*schema, "table", "t"), nullptr);
  // Roles: INT (the same server) has a hash for one of ours only; postgres is skipped.
  const Json* with = Child(dc2["desired"], "role", with_password_);
  const Json* without = Child(dc2["desired"], "role", without_password_);
  ASSERT_NE(with, nullptr);
  ASSERT_NE(without, nullptr);
  EXPECT_EQ((*with)["attrs"]["password"], "set");
  EXPECT_FALSE(without->contains("attrs") && (*without)["attrs"].contains("password"));
  EXPECT_EQ(Child(dc1["desired"], "role", "postgres"), nullptr);
}

TEST_F(SpecCliTest, RenderTreeAndYamlHaveAHeaderPerSite) {
  std::string spec = Spec("render.yaml", 2);
  std::string port = std::to_string(testing::TestServerPort());
  testing::CommandResult tree = RunPgtwin({"render", spec});
  ASSERT_EQ(tree.exit_code, 0) << tree.err;
  EXPECT_THAT(tree.out, StartsWith("# environment it, site dc1: postgresql://postgres@127.0.0.1:" +
                                   port + "\n+-+= <PgCluster 'postgresql://127.0.0.1:" + port));
  EXPECT_THAT(tree.out, HasSubstr("\n\n# environment it, site dc2: postgresql://localhost:" +
                                  port + " (protected)\n+-+= <PgCluster"));
  EXPECT_THAT(tree.out, HasSubstr("<PgDatabase '" + sharded_ + "_p001'"));

  testing::CommandResult yaml = RunPgtwin({"render", spec, "--format", "yaml", "--site", "dc2"});
  ASSERT_EQ(yaml.exit_code, 0) << yaml.err;
  EXPECT_THAT(yaml.out, StartsWith("# environment it, site dc2: postgresql://localhost:" + port +
                                   " (protected)\n---\nkind: cluster\n"));
  EXPECT_THAT(yaml.out, Not(HasSubstr("site dc1")));
}

TEST_F(SpecCliTest, RenderFailsNamingAnUnreachableInt) {
  std::string spec = Spec("noint.yaml", 1, "postgresql://postgres:int-pw@127.0.0.1:1/postgres");
  testing::CommandResult r = RunPgtwin({"render", spec});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "pgtwin: INT postgresql://postgres@127.0.0.1:1/postgres: could not connect: "
            "Connection refused\n");
}

TEST_F(SpecCliTest, RenderPrintsSpecErrorsAndAnUnknownSite) {
  std::string spec = Spec("above.yaml", 4);
  testing::CommandResult r = RunPgtwin({"render", spec});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(": shards: 4 is above Prod's 2 shards of " + sharded_ + "\n"));
  EXPECT_THAT(r.err, HasSubstr("pgtwin: " + spec + ": 1 error\n"));

  testing::CommandResult site = RunPgtwin({"render", Spec("ok.yaml", 1), "--site", "dc9"});
  EXPECT_EQ(site.exit_code, 1);
  EXPECT_EQ(site.err, "pgtwin: --site 'dc9': no such site in " + dir_ +
                          "/ok.yaml (sites: dc1, dc2)\n");
}

}  // namespace
}  // namespace pgtwin
