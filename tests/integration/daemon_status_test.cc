// ReadDaemonStatus against real PostgreSQL 15 with PgQ/pgq_node/Londiste: a root node of a
// queue on site dc1 (the fixture server) and its leaf on site dc2 (a second server this test
// starts, since a worker's provider holds the same database name on another site), both built
// over SQL as ../shared/brief/londiste-sql.md section 6 does it, no worker process running.
// The leaf worker's lag comes from the root, its last error from its own node; a database that
// does not exist or a site that does not answer is named in the error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "providers/postgres/daemon_status_reader.h"
#include "tests/integration/pg_test_env.h"

namespace pgtwin {
namespace {

using testing::CreateDatabase;
using testing::DropDatabase;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Replace;
using testing::RunSql;

// The root of queue :Q (node root, worker :Q_root) with the leaf registered as its subscriber
// (worker :Q_leaf), as create-leaf leaves the provider.
constexpr char kRootSql[] = R"sql(
CREATE EXTENSION pgq; CREATE EXTENSION pgq_node; CREATE EXTENSION londiste;
SELECT * FROM pgq_node.register_location(':Q', 'root', 'dbname=:Q', false);
SELECT * FROM pgq_node.create_node(':Q', 'root', 'root', ':Q_root', NULL, NULL, NULL);
SELECT * FROM pgq_node.register_location(':Q', 'leaf', 'dbname=:Q', false);
SELECT * FROM pgq_node.register_subscriber(':Q', 'leaf', ':Q_leaf', NULL);
)sql";

// The leaf node of queue :Q whose provider is root.
constexpr char kLeafSql[] = R"sql(
CREATE EXTENSION pgq; CREATE EXTENSION pgq_node; CREATE EXTENSION londiste;
SELECT * FROM pgq_node.register_location(':Q', 'leaf', 'dbname=:Q', false);
SELECT * FROM pgq_node.register_location(':Q', 'root', 'dbname=:Q', false);
SELECT * FROM pgq_node.create_node(':Q', 'leaf', 'leaf', ':Q_leaf', 'root', 1, NULL);
)sql";

// A second PostgreSQL server for this test only, started with the fixture's script.
class SecondServer {
 public:
  SecondServer() : state_(testing::TempDir() + "/second.state") {
    testing::CommandResult started = testing::RunCommand(
        {testing::SourceDir() + "/tests/fixtures/pg-fixture.sh", "start", state_});
    EXPECT_EQ(started.exit_code, 0) << started.err;
    std::ifstream state(state_);
    state >> socket_dir_ >> port_;
  }
  ~SecondServer() {
    testing::RunCommand({testing::SourceDir() + "/tests/fixtures/pg-fixture.sh", "stop", state_});
  }

  int port() const { return port_; }

  // Creates `database` and runs `sql` in it.
  void CreateDatabase(const std::string& database, const std::string& sql) {
    {
      pqxx::connection conn(Conninfo("postgres"));
      pqxx::nontransaction work(conn);
      work.exec("CREATE DATABASE " + work.quote_name(database) + " TEMPLATE template0");
    }
    pqxx::connection conn(Conninfo(database));
    pqxx::nontransaction work(conn);
    work.exec(sql);
  }

 private:
  std::string Conninfo(const std::string& database) const {
    return "host=" + socket_dir_ + " port=" + std::to_string(port_) +
           " user=postgres dbname=" + database;
  }

  std::string state_;
  std::string socket_dir_;
  int port_ = 0;
};

SiteSpec Site(const std::string& name, int port) {
  SiteSpec site;
  site.name = name;
  site.host = "127.0.0.1";
  site.port = port;
  site.user = "postgres";
  return site;
}

DaemonSpec Worker(const std::string& name, const std::string& site, const std::string& database,
                  const std::string& queue, const std::string& provider_site) {
  DaemonSpec daemon;
  daemon.name = name;
  daemon.program = DaemonProgram::kLondisteWorker;
  daemon.site = site;
  daemon.database = database;
  daemon.queue = queue;
  daemon.provider_site = provider_site;
  return daemon;
}

class DaemonStatusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::CreatePgqRoles();
  }
  void TearDown() override {
    for (const std::string& db : databases_) DropDatabase(db);
  }

  std::vector<std::string> databases_;
};

TEST_F(DaemonStatusTest, LeafLagFromItsProviderAndErrorFromItsNode) {
  SecondServer dc2_server;
  ASSERT_GT(dc2_server.port(), 0);
  std::string db = CreateDatabase("dstat");
  databases_.push_back(db);
  RunSql(db, Replace(kRootSql, ":Q", db));
  dc2_server.CreateDatabase(db, Replace(kLeafSql, ":Q", db));
  std::vector<SiteSpec> sites = {Site("dc1", testing::TestServerPort()),
                                 Site("dc2", dc2_server.port())};

  std::vector<DaemonSpec> daemons = {Worker(db + "_root", "dc1", db, db, ""),
                                     Worker(db + "_leaf", "dc2", db, db, "dc1")};
  DaemonSpec pgqd;
  pgqd.name = "pgqd_dc1";
  pgqd.program = DaemonProgram::kPgqd;
  pgqd.site = "dc1";
  daemons.push_back(pgqd);
  std::vector<ObservedDaemon> observed(1);
  observed[0].name = db + "_leaf";
  observed[0].pid = 4242;

  std::vector<DaemonStatus> statuses = ReadDaemonStatus(daemons, observed, sites);
  ASSERT_EQ(statuses.size(), 3u);
  const DaemonStatus& root = statuses[0];
  EXPECT_EQ(root.name, db + "_root");
  EXPECT_FALSE(root.running);
  EXPECT_EQ(root.pid, 0);
  ASSERT_TRUE(root.lag_seconds.has_value()) << "a root's lag is its queue's ticker lag";
  EXPECT_GE(*root.lag_seconds, 0);
  EXPECT_FALSE(root.last_seen_seconds.has_value());
  EXPECT_EQ(root.error, "");

  const DaemonStatus& leaf = statuses[1];
  EXPECT_EQ(leaf.name, db + "_leaf");
  EXPECT_EQ(leaf.site, "dc2");
  EXPECT_EQ(leaf.database, db);
  EXPECT_TRUE(leaf.running);
  EXPECT_EQ(leaf.pid, 4242);
  ASSERT_TRUE(leaf.lag_seconds.has_value()) << "read on the provider, dc1";
  EXPECT_GE(*leaf.lag_seconds, 0);
  EXPECT_LT(*leaf.lag_seconds, 600);
  ASSERT_TRUE(leaf.last_seen_seconds.has_value());
  EXPECT_GE(*leaf.last_seen_seconds, 0);
  EXPECT_EQ(leaf.error, "") << "no error set yet";

  const DaemonStatus& ticker = statuses[2];
  EXPECT_EQ(ticker.name, "pgqd_dc1");
  EXPECT_FALSE(ticker.running);
  EXPECT_FALSE(ticker.lag_seconds.has_value());
  EXPECT_EQ(ticker.error, "");

  // The worker's last error, as londiste stores it on its own node: its first line only.
  {
    pqxx::connection conn("host=127.0.0.1 port=" + std::to_string(dc2_server.port()) +
                          " user=postgres dbname=" + db);
    pqxx::nontransaction work(conn);
    work.exec("SELECT * FROM pgq_node.set_consumer_error(" + work.quote(db) + ", " +
              work.quote(db + "_leaf") + ", E'boom\\nTraceback (most recent call last)')");
  }
  statuses = ReadDaemonStatus(daemons, observed, sites);
  ASSERT_EQ(statuses.size(), 3u);
  EXPECT_EQ(statuses[1].error, "boom");
  EXPECT_TRUE(statuses[1].lag_seconds.has_value());
  EXPECT_EQ(statuses[0].error, "") << "the root's own worker has no error";
}

TEST_F(DaemonStatusTest, UnreadableDatabaseOrSiteIsNamedInTheError) {
  std::string db = CreateDatabase("dstatok");
  databases_.push_back(db);
  std::string missing = "dstat_missing_" + db;
  std::vector<SiteSpec> sites = {Site("dc1", testing::TestServerPort()),
                                 Site("dc9", testing::FreePort())};
  std::vector<DaemonSpec> daemons = {
      Worker("w_missing", "dc1", missing, "q", ""),
      Worker("w_plain", "dc1", db, "q", ""),  // a database without pgq_node
      Worker("w_down", "dc9", db, "q", "dc1"),
  };
  std::vector<DaemonStatus> statuses = ReadDaemonStatus(daemons, {}, sites);
  ASSERT_EQ(statuses.size(), 3u);
  EXPECT_THAT(statuses[0].error, HasSubstr("dc1/" + missing + ": "));
  EXPECT_THAT(statuses[0].error, HasSubstr("does not exist"));
  EXPECT_FALSE(statuses[0].lag_seconds.has_value());
  EXPECT_FALSE(statuses[0].running);

  EXPECT_THAT(statuses[1].error, HasSubstr("dc1/" + db + ": "));
  EXPECT_THAT(statuses[1].error, HasSubstr("pgq_node"));

  EXPECT_THAT(statuses[2].error, HasSubstr("dc9/" + db + ": could not connect: "));
  EXPECT_THAT(statuses[2].error,
              HasSubstr("(postgresql://127.0.0.1:" + std::to_string(sites[1].port) + ")"));
  EXPECT_THAT(statuses[2].error, HasSubstr("provider dc1/" + db + ": "));
  for (const DaemonStatus& status : statuses) {
    EXPECT_EQ(status.error.find('\n'), std::string::npos) << status.error;
    EXPECT_THAT(status.error, Not(HasSubstr("password")));
  }
}

}  // namespace
}  // namespace pgtwin
