#include "providers/snapshot/snapshot_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "model/object.h"

namespace pgtwin {
namespace {

namespace fs = std::filesystem;

class SnapshotDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pgtwin-snapshot-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static Object Cluster(std::initializer_list<std::string> databases) {
    Object cluster(ObjectKind::kCluster, "");
    cluster.SetAttr("major_version", "15");
    cluster.AddChild(ObjectKind::kRole, "app").SetFlag("login", true);
    for (const std::string& name : databases) {
      Object& db = cluster.AddChild(ObjectKind::kDatabase, name);
      db.SetAttr("owner", "app");
      db.AddChild(ObjectKind::kSchema, "public").SetAttr("owner", "pg_database_owner");
    }
    cluster.Normalize();
    return cluster;
  }

  static void Overwrite(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::trunc) << text;
  }

  std::string Load() {
    StatusOr<Snapshot> snapshot = LoadSnapshot(dir_.string());
    EXPECT_FALSE(snapshot.ok());
    return snapshot.ok() ? "" : snapshot.status().message();
  }

  fs::path dir_;
};

TEST_F(SnapshotDirTest, WritesOneFilePerDatabaseAndLoadsTheSameTree) {
  Object cluster = Cluster({"shop", "crm"});
  ASSERT_TRUE(WriteSnapshot(cluster, true, dir_.string()).ok());
  EXPECT_TRUE(fs::is_regular_file(dir_ / "cluster.json"));
  EXPECT_TRUE(fs::is_regular_file(dir_ / "databases" / "shop.json"));
  EXPECT_TRUE(fs::is_regular_file(dir_ / "databases" / "crm.json"));
  size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir_)) files += entry.is_regular_file();
  EXPECT_EQ(files, 3u) << "no temporary files are left behind";

  StatusOr<Snapshot> snapshot = LoadSnapshot(dir_.string());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  EXPECT_EQ(snapshot->cluster, cluster);
  EXPECT_TRUE(snapshot->all_databases);
}

TEST_F(SnapshotDirTest, RecordsTheSourcesSystemIdentifierWhenKnown) {
  ASSERT_TRUE(WriteSnapshot(Cluster({"shop"}), true, dir_.string(), "7311111111111111111").ok());
  StatusOr<Snapshot> snapshot = LoadSnapshot(dir_.string());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  EXPECT_EQ(snapshot->system_identifier, "7311111111111111111");

  // Unknown: not written, and a snapshot without it (older ones) loads as unknown.
  ASSERT_TRUE(WriteSnapshot(Cluster({"shop"}), true, dir_.string()).ok());
  std::ifstream in(dir_ / "cluster.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find("system_identifier"), std::string::npos);
  snapshot = LoadSnapshot(dir_.string());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  EXPECT_EQ(snapshot->system_identifier, "");
}

TEST_F(SnapshotDirTest, ASystemIdentifierMustBeAString) {
  fs::create_directories(dir_);
  Overwrite(dir_ / "cluster.json",
            R"({"format": "pgtwin-snapshot", "version": 1, "system_identifier": 73,
                "kind": "cluster", "name": "", "databases": []})");
  EXPECT_EQ(Load(), (dir_ / "cluster.json").string() +
                        ": /system_identifier: \"system_identifier\" must be a string");
}

TEST_F(SnapshotDirTest, RecordsASingleDatabaseDump) {
  ASSERT_TRUE(WriteSnapshot(Cluster({"shop"}), false, dir_.string()).ok());
  StatusOr<Snapshot> snapshot = LoadSnapshot(dir_.string());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  EXPECT_FALSE(snapshot->all_databases);
}

TEST_F(SnapshotDirTest, RewritingRemovesDatabasesNoLongerPresent) {
  ASSERT_TRUE(WriteSnapshot(Cluster({"shop", "crm"}), true, dir_.string()).ok());
  Object smaller = Cluster({"shop"});
  ASSERT_TRUE(WriteSnapshot(smaller, true, dir_.string()).ok());
  EXPECT_FALSE(fs::exists(dir_ / "databases" / "crm.json"));
  StatusOr<Snapshot> snapshot = LoadSnapshot(dir_.string());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  EXPECT_EQ(snapshot->cluster, smaller);
}

TEST_F(SnapshotDirTest, UnsafeDatabaseNamesAreEncodedInFileNames) {
  Object cluster = Cluster({"a/b", "..", "we ird%"});
  ASSERT_TRUE(WriteSnapshot(cluster, true, dir_.string()).ok());
  EXPECT_TRUE(fs::is_regular_file(dir_ / "databases" / "a%2Fb.json"));
  EXPECT_TRUE(fs::is_regular_file(dir_ / "databases" / "%2E..json"));
  EXPECT_TRUE(fs::is_regular_file(dir_ / "databases" / "we%20ird%25.json"));
  StatusOr<Snapshot> snapshot = LoadSnapshot(dir_.string());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  EXPECT_EQ(snapshot->cluster, cluster);
}

TEST_F(SnapshotDirTest, LoadsASingleDatabaseFile) {
  Object cluster = Cluster({"shop"});
  ASSERT_TRUE(WriteSnapshot(cluster, false, dir_.string()).ok());
  StatusOr<Object> db = LoadDatabaseFile((dir_ / "databases" / "shop.json").string());
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ(*db, *cluster.FindChild(ObjectKind::kDatabase, "shop"));

  StatusOr<Object> not_db = LoadDatabaseFile((dir_ / "cluster.json").string());
  ASSERT_FALSE(not_db.ok());
  EXPECT_EQ(not_db.status().message(),
            (dir_ / "cluster.json").string() + ": holds a cluster, expected a database");
}

TEST_F(SnapshotDirTest, CorruptDatabaseFileIsNamed) {
  ASSERT_TRUE(WriteSnapshot(Cluster({"shop"}), false, dir_.string()).ok());
  fs::path file = dir_ / "databases" / "shop.json";
  Overwrite(file, "{\n  \"format\": \"pgtwin-snapshot\",\n  \"version\": 1,\n  \"kind\": \"datab");
  EXPECT_EQ(Load().rfind(file.string() + ":4:17: syntax error", 0), 0u) << Load();
}

TEST_F(SnapshotDirTest, MissingDatabaseFileIsNamed) {
  ASSERT_TRUE(WriteSnapshot(Cluster({"shop"}), false, dir_.string()).ok());
  fs::path file = dir_ / "databases" / "shop.json";
  fs::remove(file);
  EXPECT_EQ(Load(), file.string() + ": cannot open: No such file or directory");
}

TEST_F(SnapshotDirTest, DatabaseFileHoldingAnotherDatabaseIsRejected) {
  ASSERT_TRUE(WriteSnapshot(Cluster({"shop", "crm"}), false, dir_.string()).ok());
  fs::copy_file(dir_ / "databases" / "crm.json", dir_ / "databases" / "shop.json",
                fs::copy_options::overwrite_existing);
  EXPECT_EQ(Load(), (dir_ / "databases" / "shop.json").string() +
                        ": holds database 'crm', expected 'shop'");
}

TEST_F(SnapshotDirTest, DirectoryWithoutClusterFileIsNotASnapshot) {
  fs::create_directories(dir_);
  EXPECT_EQ(Load(), dir_.string() + ": not a pgtwin snapshot directory (no cluster.json)");
}

TEST_F(SnapshotDirTest, FormatMarkerAndVersionAreChecked) {
  fs::create_directories(dir_);
  Overwrite(dir_ / "cluster.json", R"({"kind": "cluster", "name": "", "databases": []})");
  EXPECT_EQ(Load(), (dir_ / "cluster.json").string() +
                        ": not a pgtwin snapshot file (no \"format\": \"pgtwin-snapshot\")");
  Overwrite(dir_ / "cluster.json",
            R"({"format": "pgtwin-snapshot", "version": 9, "kind": "cluster", "name": "",
                "databases": []})");
  EXPECT_EQ(Load(), (dir_ / "cluster.json").string() +
                        ": unsupported snapshot version 9 (this pgtwin reads version 1)");
  Overwrite(dir_ / "cluster.json",
            R"({"format": "pgtwin-snapshot", "version": 1, "kind": "cluster", "name": ""})");
  EXPECT_EQ(Load(), (dir_ / "cluster.json").string() + ": missing field \"databases\"");
}

}  // namespace
}  // namespace pgtwin
