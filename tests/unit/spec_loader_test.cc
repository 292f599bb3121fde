// The spec loader and the check against Prod, as `pgtwin validate` runs them: every
// specs/invalid/*.yaml gives exactly the lines of its .expected file, and the sandbox spec loads.
#include "providers/yaml/spec_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "reconciler/expand/checked_spec.h"

namespace pgtwin {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Runs the test body with the source directory as the working directory, so that spec paths
// are relative to the repository root as in the .expected files.
class SpecLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_ = fs::current_path();
    fs::current_path(PGTWIN_SOURCE_DIR);
  }
  void TearDown() override { fs::current_path(saved_); }

 private:
  fs::path saved_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Lines(const std::vector<SpecError>& errors) {
  std::string text;
  for (const SpecError& error : errors) text += error.ToString() + "\n";
  return text;
}

TEST_F(SpecLoaderTest, EveryInvalidSpecGivesItsExpectedErrors) {
  std::vector<std::string> specs;
  for (const fs::directory_entry& entry : fs::directory_iterator("specs/invalid")) {
    if (entry.path().extension() == ".yaml") specs.push_back(entry.path().string());
  }
  std::sort(specs.begin(), specs.end());
  ASSERT_GE(specs.size(), 10u);
  for (const std::string& spec : specs) {
    std::string expected_file = spec.substr(0, spec.size() - 5) + ".expected";
    ASSERT_TRUE(fs::exists(expected_file)) << spec << " has no " << expected_file;
    CheckedSpecResult result = LoadCheckedSpec(spec);
    EXPECT_FALSE(result.checked.has_value()) << spec;
    EXPECT_EQ(Lines(result.errors), ReadFile(expected_file)) << spec;
  }
}

TEST_F(SpecLoaderTest, SandboxSpecLoads) {
  SpecLoadResult result = LoadSpec("specs/sandbox.yaml");
  EXPECT_THAT(Lines(result.errors), IsEmpty());
  ASSERT_TRUE(result.spec.has_value());
  const EnvironmentSpec& spec = *result.spec;
  EXPECT_EQ(spec.file, "specs/sandbox.yaml");
  EXPECT_EQ(spec.environment, "sandbox");
  EXPECT_EQ(spec.prod_snapshot, "/var/tmp/pgtwin-sandbox/snapshots/prod");
  EXPECT_EQ(spec.int_source, "postgresql://postgres@127.0.0.1:6502/postgres");
  ASSERT_EQ(spec.sites.size(), 2u);
  EXPECT_EQ(spec.sites[0].name, "dc1");
  EXPECT_EQ(spec.sites[0].host, "127.0.0.1");
  EXPECT_EQ(spec.sites[0].port, 6503);
  EXPECT_EQ(spec.sites[0].user, "postgres");
  EXPECT_FALSE(spec.sites[0].protect);
  EXPECT_EQ(spec.sites[1].name, "dc2");
  EXPECT_EQ(spec.sites[1].port, 6504);
  ASSERT_EQ(spec.databases.size(), 4u);
  EXPECT_EQ(spec.databases[0].name, "accountdb");
  EXPECT_EQ(spec.databases[0].shards, 2);
  EXPECT_THAT(spec.databases[0].sites, ElementsAre("dc1", "dc2"));
  EXPECT_EQ(spec.databases[1].name, "clidb");
  EXPECT_EQ(spec.databases[1].shards, std::nullopt);
  EXPECT_THAT(spec.databases[1].sites, ElementsAre("dc1"));
  EXPECT_EQ(spec.roles.passwords, "int");
  EXPECT_THAT(spec.roles.skip, ElementsAre("^pg_", "^postgres$"));
  EXPECT_THAT(spec.ignore,
              ElementsAre("trigger:^_londiste_", "schema:^pgq_ext$", "schema:^pgq$"));
  EXPECT_FALSE(spec.policy.prune);
  EXPECT_THAT(spec.policy.protect, ElementsAre("^scratch\\."));
  EXPECT_EQ(spec.workers.dir, "/var/tmp/pgtwin-sandbox/test-workers");
}

TEST_F(SpecLoaderTest, DefaultsAndRelativeSnapshotPath) {
  fs::path dir = fs::temp_directory_path() / ("pgtwin_spec_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string file = (dir / "qa1.yaml").string();
  std::ofstream(file) << "environment: qa1\n"
                         "prod: { snapshot: snapshots/../prod }\n"
                         "int: { source: 'host=int1 dbname=postgres' }\n"
                         "sites: { dc1: { host: /run/postgresql, protected: true } }\n"
                         "databases: [ { name: clidb } ]\n"
                         "workers: { dir: run/qa1 }\n";
  SpecLoadResult result = LoadSpec(file);
  fs::remove_all(dir);
  EXPECT_THAT(Lines(result.errors), IsEmpty());
  ASSERT_TRUE(result.spec.has_value());
  EXPECT_EQ(result.spec->prod_snapshot, (dir / "prod").string());
  EXPECT_EQ(result.spec->prod_snapshot_where.line, 2);
  EXPECT_EQ(result.spec->prod_snapshot_where.column, 19);
  EXPECT_EQ(result.spec->sites[0].port, 5432);
  EXPECT_TRUE(result.spec->sites[0].protect);
  EXPECT_EQ(result.spec->sites[0].Conninfo("db'x"),
            "host=/run/postgresql port=5432 dbname='db\\'x'");
  EXPECT_EQ(result.spec->roles.passwords, "int");
  EXPECT_THAT(result.spec->roles.skip, ElementsAre("^pg_", "^postgres$"));
  EXPECT_TRUE(result.spec->databases[0].sites.empty());
  EXPECT_FALSE(result.spec->policy.prune);
  EXPECT_EQ(result.spec->workers.dir, (dir / "run/qa1").string());
}

TEST_F(SpecLoaderTest, UnreadableFileHasNoPosition) {
  SpecLoadResult result = LoadSpec("specs/no-such-spec.yaml");
  EXPECT_FALSE(result.spec.has_value());
  EXPECT_EQ(Lines(result.errors),
            "specs/no-such-spec.yaml: cannot read: No such file or directory\n");
}

}  // namespace
}  // namespace pgtwin
