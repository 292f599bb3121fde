#include "reconciler/plan/ddl_acl.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pgtwin::ddl {
namespace {

using Sql = std::vector<std::string>;

TEST(DdlAclTest, ParsesEntriesWithPublicQuotedNamesAndGrantOptions) {
  auto items = ParseAcl("=r/owner, app=r*w/owner, \"odd \"\"one\"\"\"=X/\"a,b\"");
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ((*items)[0], (AclItem{"", "r", "owner"}));
  EXPECT_EQ((*items)[1], (AclItem{"app", "r*w", "owner"}));
  EXPECT_EQ((*items)[2], (AclItem{"odd \"one\"", "X", "a,b"}));
  EXPECT_EQ(FormatAcl(*items), "=r/owner, app=r*w/owner, \"odd \"\"one\"\"\"=X/\"a,b\"");
}

TEST(DdlAclTest, RejectsMalformedText) {
  EXPECT_FALSE(ParseAcl("app"));
  EXPECT_FALSE(ParseAcl("app=r"));
  EXPECT_FALSE(ParseAcl("app=r/"));
  EXPECT_FALSE(ParseAcl("\"app=r/x"));
  EXPECT_TRUE(ParseAcl("") && ParseAcl("")->empty());
}

TEST(DdlAclTest, Defaults) {
  EXPECT_EQ(DefaultAcl('r', "o"), (std::vector<AclItem>{{"o", "arwdDxt", "o"}}));
  EXPECT_EQ(DefaultAcl('f', "o"), (std::vector<AclItem>{{"o", "X", "o"}, {"", "X", "o"}}));
  EXPECT_EQ(DefaultAcl('T', "o"), (std::vector<AclItem>{{"o", "U", "o"}, {"", "U", "o"}}));
  EXPECT_TRUE(DefaultAcl('c', "o").empty());
}

TEST(DdlAclTest, GrantsOnANewTable) {
  AclTarget table{"TABLE s.t", 'r', "own", "", ""};
  auto sql = AclSql(table, "own=arwdDxt/own, reader=r/own, app=arw*/own", "");
  ASSERT_TRUE(sql);
  EXPECT_EQ(*sql, (Sql{"GRANT INSERT, SELECT ON TABLE s.t TO app",
                       "GRANT UPDATE ON TABLE s.t TO app WITH GRANT OPTION",
                       "GRANT SELECT ON TABLE s.t TO reader"}));
}

TEST(DdlAclTest, OnlyChangedGranteesAreRevokedAndGrantedAgain) {
  AclTarget table{"TABLE s.\"T\"", 'r', "own", "", ""};
  std::vector<std::string> revoked;
  auto sql = AclSql(table, "own=arwdDxt/own, a=r/own, b=rw/own",
                    "own=arwdDxt/own, a=r/own, b=r/own", &revoked);
  ASSERT_TRUE(sql);
  EXPECT_EQ(*sql, (Sql{"REVOKE ALL ON TABLE s.\"T\" FROM b",
                       "GRANT SELECT, UPDATE ON TABLE s.\"T\" TO b"}));
  EXPECT_EQ(revoked, (std::vector<std::string>{"b"}));
}

TEST(DdlAclTest, AbsentMeansTheDefault) {
  AclTarget function{"FUNCTION s.f(integer)", 'f', "own", "", ""};
  auto revoke = AclSql(function, "own=X/own", "");
  ASSERT_TRUE(revoke);
  EXPECT_EQ(*revoke, (Sql{"REVOKE ALL ON FUNCTION s.f(integer) FROM PUBLIC"}));
  auto restore = AclSql(function, "", "own=X/own");
  ASSERT_TRUE(restore);
  EXPECT_EQ(*restore, (Sql{"GRANT ALL ON FUNCTION s.f(integer) TO PUBLIC"}));
  AclTarget table{"TABLE s.t", 'r', "own", "", ""};
  auto owner_revoked = AclSql(table, "own=r/own", "");
  ASSERT_TRUE(owner_revoked);
  EXPECT_EQ(*owner_revoked,
            (Sql{"REVOKE ALL ON TABLE s.t FROM own", "GRANT SELECT ON TABLE s.t TO own"}));
}

TEST(DdlAclTest, GrantsOfOtherGrantorsRunAsThem) {
  AclTarget schema{"SCHEMA s", 'n', "own", "", ""};
  auto sql = AclSql(schema, "own=UC/own, mid=U*/own, leaf=U/mid", "own=UC/own");
  ASSERT_TRUE(sql);
  EXPECT_EQ(*sql, (Sql{"GRANT USAGE ON SCHEMA s TO mid WITH GRANT OPTION", "SET ROLE mid",
                       "GRANT USAGE ON SCHEMA s TO leaf", "RESET ROLE"}));
}

TEST(DdlAclTest, ANewOwnerTakesOverTheOldOwnersEntries) {
  AclTarget table{"TABLE s.t", 'r', "new", "old", ""};
  auto sql = AclSql(table, "new=arwdDxt/new, r=r/new", "old=arwdDxt/old, r=r/old");
  ASSERT_TRUE(sql);
  EXPECT_TRUE(sql->empty());
}

TEST(DdlAclTest, ColumnPrivileges) {
  AclTarget column{"TABLE s.t", 'c', "own", "", "\"Note\""};
  auto sql = AclSql(column, "r=rw/own", "r=r/own, x=a/own");
  ASSERT_TRUE(sql);
  EXPECT_EQ(*sql, (Sql{"REVOKE ALL (\"Note\") ON TABLE s.t FROM r",
                       "REVOKE ALL (\"Note\") ON TABLE s.t FROM x",
                       "GRANT SELECT (\"Note\"), UPDATE (\"Note\") ON TABLE s.t TO r"}));
}

}  // namespace
}  // namespace pgtwin::ddl
