// ReadPasswordHashes against a real PostgreSQL 15: hashes of roles this test creates (roles are
// shared by the whole server and tests run in parallel, so only those are looked at), and how
// it fails without a superuser or a server.
#include "providers/postgres/password_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "tests/integration/pg_test_env.h"

namespace pgtwin {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using testing::RunSql;
using testing::TestServerConninfo;

// A role name unique to this process and test.
std::string RoleName(const std::string& what) {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = "pwr_" + what + "_" + std::to_string(getpid()) + "_" + info->name();
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name.substr(0, 63);
}

class PasswordReaderTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const std::string& role : roles_) RunSql("postgres", "DROP ROLE IF EXISTS " + role);
  }
  std::string MakeRole(const std::string& what, const std::string& options) {
    std::string role = RoleName(what);
    RunSql("postgres", "CREATE ROLE " + role + " " + options);
    roles_.push_back(role);
    return role;
  }
  std::vector<std::string> roles_;
};

TEST_F(PasswordReaderTest, ReadsHashesOfRolesWithAPassword) {
  std::string scram = MakeRole("scram", "LOGIN PASSWORD 'secret-scram-1'");
  RunSql("postgres", "SET password_encryption = 'md5'; CREATE ROLE " + RoleName("md5") +
                         " PASSWORD 'secret-md5-1'");
  roles_.push_back(RoleName("md5"));
  std::string none = MakeRole("none", "LOGIN");

  StatusOr<PasswordHashes> hashes = ReadPasswordHashes(TestServerConninfo());
  ASSERT_TRUE(hashes.ok()) << hashes.status().message();
  ASSERT_EQ(hashes->count(scram), 1u);
  EXPECT_THAT(hashes->at(scram), StartsWith("SCRAM-SHA-256$4096:"));
  ASSERT_EQ(hashes->count(RoleName("md5")), 1u);
  EXPECT_THAT(hashes->at(RoleName("md5")), StartsWith("md5"));
  EXPECT_EQ(hashes->at(RoleName("md5")).size(), 35u);
  EXPECT_EQ(hashes->count(none), 0u);
}

TEST_F(PasswordReaderTest, NonSuperuserIsRefusedWithAOneLineMessage) {
  std::string user = MakeRole("plain", "LOGIN");
  std::string conninfo = TestServerConninfo() + " user=" + user + " dbname=postgres";
  StatusOr<PasswordHashes> hashes = ReadPasswordHashes(conninfo);
  ASSERT_FALSE(hashes.ok());
  EXPECT_EQ(hashes.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(hashes.status().message(), StartsWith("postgresql://" + user + "@"));
  EXPECT_THAT(hashes.status().message(),
              HasSubstr("/postgres: reading password hashes: permission denied for table "
                        "pg_authid (reading password hashes needs a superuser)"));
  EXPECT_THAT(hashes.status().message(), Not(HasSubstr("\n")));
}

TEST_F(PasswordReaderTest, UnreachableServerIsNamed) {
  StatusOr<PasswordHashes> hashes =
      ReadPasswordHashes("postgresql://postgres:pw-not-shown@127.0.0.1:1/postgres");
  ASSERT_FALSE(hashes.ok());
  EXPECT_EQ(hashes.status().code(), StatusCode::kConnectionFailed);
  EXPECT_EQ(hashes.status().message(),
            "postgresql://postgres@127.0.0.1:1/postgres: could not connect: Connection refused");
}

}  // namespace
}  // namespace pgtwin
