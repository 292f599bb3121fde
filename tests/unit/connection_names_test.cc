// The client-facing names of an environment's databases (`pgtwin names`): one per database
// and site, the DR site's name of a database it does not carry leading to the primary, and
// the three renderings.
#include "reconciler/names/connection_names.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace pgtwin {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

SiteState Site(const std::string& name, const std::string& host, int port,
               const std::vector<std::string>& databases) {
  SiteState site{SiteSpec{name, host, port, "postgres", false, {}},
                 Object(ObjectKind::kCluster, "postgresql://" + host)};
  for (const std::string& db : databases) site.desired.AddChild(Object(ObjectKind::kDatabase, db));
  site.desired.AddChild(Object(ObjectKind::kRole, "app"));
  return site;
}

DesiredState Qa1() {
  DesiredState state;
  state.environment = "qa1";
  state.sites.push_back(Site("dc1", "10.0.0.1", 5432, {"accountdb_p000", "clidb"}));
  state.sites.push_back(Site("dc2", "10.0.1.1", 5433, {"accountdb_p000"}));
  return state;
}

std::vector<std::string> Lines(const std::vector<ConnectionName>& names) {
  std::vector<std::string> lines;
  for (const ConnectionName& n : names) {
    lines.push_back(n.name + " -> " + n.target_site + " " + n.host + ":" +
                    std::to_string(n.port) + "/" + n.database);
  }
  return lines;
}

TEST(ConnectionNamesTest, EveryDatabaseOncePerSiteAndTheMissingCopyLeadsToThePrimary) {
  EXPECT_THAT(Lines(NameDatabases(Qa1(), "")),
              ::testing::ElementsAre("accountdb_p000.dc1.qa1 -> dc1 10.0.0.1:5432/accountdb_p000",
                                     "accountdb_p000.dc2.qa1 -> dc2 10.0.1.1:5433/accountdb_p000",
                                     "clidb.dc1.qa1 -> dc1 10.0.0.1:5432/clidb",
                                     "clidb.dc2.qa1 -> dc1 10.0.0.1:5432/clidb"));
}

TEST(ConnectionNamesTest, SuffixReplacesTheEnvironmentName) {
  std::vector<ConnectionName> names = NameDatabases(Qa1(), "qa1.db");
  ASSERT_EQ(names.size(), 4u);
  EXPECT_EQ(names[0].name, "accountdb_p000.dc1.qa1.db");
}

TEST(ConnectionNamesTest, ServiceFileHasOneSectionPerNameAndNoUser) {
  std::string file = RenderServiceFile(NameDatabases(Qa1(), ""), "header line");
  EXPECT_THAT(file, HasSubstr("# header line\n"));
  EXPECT_THAT(file, HasSubstr("\n[clidb.dc2.qa1]\n# dc2 has no clidb: the name leads to dc1\n"
                              "host=10.0.0.1\nport=5432\ndbname=clidb\n"));
  EXPECT_THAT(file, HasSubstr("\n[accountdb_p000.dc2.qa1]\nhost=10.0.1.1\nport=5433\n"));
  EXPECT_THAT(file, Not(HasSubstr("user")));
}

TEST(ConnectionNamesTest, HostsFragmentSaysWhyANameHasNoAddress) {
  DesiredState state = Qa1();
  state.sites[0].site.host = "qa1-db1";
  state.sites[1].site.host = "/run/postgresql";
  int lookups = 0;
  auto resolve = [&](const std::string& host) -> StatusOr<std::string> {
    ++lookups;
    if (host == "qa1-db1") return std::string("192.0.2.7");
    return Status(StatusCode::kNotFound, "cannot resolve host '" + host + "'");
  };
  std::string hosts = RenderHostsFragment(NameDatabases(state, ""), "h", resolve);
  EXPECT_EQ(hosts,
            "# h\n"
            "192.0.2.7 accountdb_p000.dc1.qa1\n"
            "# accountdb_p000.dc2.qa1: dc2 is reached over a Unix socket (/run/postgresql), no "
            "address\n"
            "192.0.2.7 clidb.dc1.qa1\n"
            "192.0.2.7 clidb.dc2.qa1\n");
  EXPECT_EQ(lookups, 1) << "one lookup per host";

  hosts = RenderHostsFragment(NameDatabases(Qa1(), ""), "h", resolve);
  EXPECT_THAT(hosts, HasSubstr("# clidb.dc2.qa1: cannot resolve host '10.0.0.1'\n"));
}

TEST(ConnectionNamesTest, JsonListsEveryNameWithItsTarget) {
  nlohmann::json json =
      nlohmann::json::parse(RenderNamesJson("qa1", NameDatabases(Qa1(), "")));
  EXPECT_EQ(json["version"], 1);
  EXPECT_EQ(json["environment"], "qa1");
  ASSERT_EQ(json["names"].size(), 4u);
  EXPECT_EQ(json["names"][3]["name"], "clidb.dc2.qa1");
  EXPECT_EQ(json["names"][3]["site"], "dc2");
  EXPECT_EQ(json["names"][3]["target_site"], "dc1");
  EXPECT_EQ(json["names"][3]["port"], 5432);
}

}  // namespace
}  // namespace pgtwin
