#include "tests/integration/reconcile_fixture.h"

#include <unistd.h>

#include <fstream>
#include <pqxx/pqxx>

#include "model/object.h"
#include "providers/snapshot/snapshot_dir.h"
#include "tests/integration/pg_test_env.h"

namespace pgtwin::testing {

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

bool DatabaseExists(const std::string& name) {
  pqxx::connection conn(DatabaseConninfo("postgres"));
  pqxx::nontransaction work(conn);
  return !work.exec("SELECT 1 FROM pg_database WHERE datname = " + work.quote(name)).empty();
}

std::vector<std::string> Keys(const nlohmann::json& actions) {
  std::vector<std::string> keys;
  for (const auto& action : actions) keys.push_back(action["key"]);
  return keys;
}

void ReconcileFixture::SetUp() {
  static int counter = 0;
  prefix_ = "rc_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  environment_ = Replace(prefix_, "_", "-");
  owner_ = prefix_ + "_owner";
  reader_ = prefix_ + "_reader";
  dir_ = TempDir();
}

namespace {

// Drops every role whose name starts with `prefix` + "_".
void DropRoles(const std::string& prefix) {
  pqxx::connection conn(DatabaseConninfo("postgres"));
  pqxx::nontransaction work(conn);
  pqxx::result roles = work.exec("SELECT rolname FROM pg_roles WHERE starts_with(rolname, " +
                                 work.quote(prefix + "_") + ")");
  for (const pqxx::row& role : roles) {
    work.exec("DROP ROLE IF EXISTS " + work.quote_name(role[0].as<std::string>()));
  }
}

// An RE2 regex matching every name that does not start with `prefix` (letters, digits and
// '_' only): at some position it has another character, or it ends before.
std::string NotStartingWith(const std::string& prefix) {
  std::string inner;
  for (size_t i = prefix.size(); i-- > 0;) {
    std::string c(1, prefix[i]);
    inner = "(?:$|[^" + c + "]" + (inner.empty() ? "" : "|" + c + inner) + ")";
  }
  return "^" + inner;
}

}  // namespace

void ReconcileFixture::TearDown() {
  if (!database_.empty()) DropDatabase(database_);
  DropRoles(prefix_);
}

void ReconcileFixture::MakeProd(const std::string& sql, const std::function<void()>& before_drop) {
  MakeProdAndTest(sql);
  if (::testing::Test::HasFatalFailure()) return;
  if (before_drop) before_drop();
  DropDatabase(database_);
  DropRoles(prefix_);
}

void ReconcileFixture::MakeProdAndTest(const std::string& sql) {
  RunSql("postgres", "CREATE ROLE " + owner_ + " NOLOGIN; CREATE ROLE " + reader_ +
                         " LOGIN CONNECTION LIMIT 3");
  database_ = CreateDatabase(prefix_, "");
  RunSql("postgres", "ALTER DATABASE " + database_ + " OWNER TO " + owner_);
  std::string text = Replace(Replace(sql, "{owner}", owner_), "{reader}", reader_);
  RunSql(database_, Replace(Replace(text, "{database}", database_), "{prefix}", prefix_));
  CommandResult dump =
      RunPgtwin({"dump", "--source", DatabaseConninfo(database_), "--output", dir_ + "/prod"});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  StatusOr<Snapshot> snapshot = LoadSnapshot(dir_ + "/prod");
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  std::erase_if(snapshot->cluster.mutable_children(), [this](const Object& child) {
    return child.kind() == ObjectKind::kRole && !child.name().starts_with(prefix_ + "_");
  });
  ASSERT_TRUE(WriteSnapshot(snapshot->cluster, snapshot->all_databases, dir_ + "/prod").ok());
}

std::string ReconcileFixture::IgnoreOthersYaml() const {
  std::string others = NotStartingWith(prefix_ + "_");
  return "ignore: [\"role:" + others + "\", \"database:" + others + "\"]\n";
}

std::string ReconcileFixture::WriteSpec(const std::string& sites_yaml, const std::string& extra,
                                        const std::string& passwords) {
  std::string path = dir_ + "/env.yaml";
  WriteFile(path, "environment: " + environment_ + "\nprod: { snapshot: prod }\nsites:\n" +
                      "  dc1: { host: 127.0.0.1, port: " + std::to_string(TestServerPort()) +
                      ", user: postgres }\n" + sites_yaml + "databases:\n  - { name: " +
                      database_ + " }\nroles: { passwords: " + passwords + " }\n" + extra);
  return path;
}

nlohmann::json ReconcileFixture::ReconcileJson(const std::string& spec,
                                               std::vector<std::string> args, int expected_exit) {
  args.insert(args.begin(), {"reconcile", spec, "--output", "json"});
  CommandResult r = RunPgtwin(args);
  EXPECT_EQ(r.exit_code, expected_exit) << r.out << r.err;
  nlohmann::json json = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_FALSE(json.is_discarded()) << r.out;
  return json;
}

}  // namespace pgtwin::testing
