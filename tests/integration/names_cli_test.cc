// `pgtwin names`: the pg_service.conf it writes lets psql reach each database of the
// environment by "<database>.<site>.<suffix>", the DR site's name of a database it does not
// carry reaching the primary; the hosts fragment and JSON say the same; a bad spec is an error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/integration/pg_test_env.h"
#include "tests/integration/reconcile_fixture.h"

namespace pgtwin {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using testing::RunCommand;
using testing::RunPgtwin;

class NamesCliTest : public testing::ReconcileFixture {
 protected:
  // A spec with dc1 = the fixture server, dc2 = an address nothing listens on, and the one
  // database on dc1 only.
  std::string WriteNamesSpec() {
    std::string path = dir_ + "/names.yaml";
    testing::WriteFile(path, "environment: " + environment_ +
                                 "\nprod: { snapshot: prod }\nsites:\n"
                                 "  dc1: { host: 127.0.0.1, port: " +
                                 std::to_string(testing::TestServerPort()) +
                                 ", user: postgres }\n"
                                 "  dc2: { host: 127.0.0.2, port: 1 }\n"
                                 "databases:\n  - { name: " + database_ +
                                 ", sites: [dc1] }\nroles: { passwords: none }\n"
                                 "names: { suffix: it.db }\n");
    return path;
  }

  // What psql, given only the service file and a service name, connects to.
  std::string Connect(const std::string& service_file, const std::string& service) {
    CommandResult r =
        RunCommand({"/usr/bin/env", "PGSERVICEFILE=" + service_file, "psql", "-X", "-At", "-U",
                    "postgres", "-d", "service=" + service, "-c",
                    "SELECT current_database() || ' ' || inet_server_port()"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
};

TEST_F(NamesCliTest, PsqlReachesEachDatabaseByItsServiceName) {
  MakeProdAndTest("CREATE TABLE t (a int);");
  std::string spec = WriteNamesSpec();
  std::string file = dir_ + "/pg_service.conf";
  CommandResult r = RunPgtwin({"names", spec, "--output", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");

  std::string expected = database_ + " " + std::to_string(testing::TestServerPort()) + "\n";
  EXPECT_EQ(Connect(file, database_ + ".dc1.it.db"), expected);
  EXPECT_EQ(Connect(file, database_ + ".dc2.it.db"), expected) << "dc2 has no copy: dc1's";

  r = RunPgtwin({"names", spec, "--format", "hosts"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\n127.0.0.1 " + database_ + ".dc1.it.db\n"));
  EXPECT_THAT(r.out, HasSubstr("\n127.0.0.1 " + database_ + ".dc2.it.db\n"));

  r = RunPgtwin({"names", spec, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json json = nlohmann::json::parse(r.out);
  ASSERT_EQ(json["names"].size(), 2u);
  EXPECT_EQ(json["names"][1]["site"], "dc2");
  EXPECT_EQ(json["names"][1]["target_site"], "dc1");
}

TEST_F(NamesCliTest, AnInvalidSpecIsReportedAtItsLine) {
  MakeProd("CREATE TABLE t (a int);");
  std::string spec = WriteSpec("", "names: { suffix: 'qa1..db' }\n");
  CommandResult r = RunPgtwin({"names", spec});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(spec + ":"));
  EXPECT_THAT(r.err, HasSubstr("suffix in names: 'qa1..db'"));
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace pgtwin
