// Splitting and quoting libpq key=value connection strings (model/conninfo_text.h), as Prod's
// PL/Proxy partitions and Londiste locations write them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "model/conninfo_text.h"

namespace pgtwin {
namespace {

TEST(ConninfoTextTest, SplitsQuotedEscapedAndSpacedValues) {
  std::vector<ConninfoWord> words =
      SplitConninfo("  host=db1 port = 5432 password='p w' dbname='a b\\'c' user=x\\ y");
  ASSERT_EQ(words.size(), 5u);
  EXPECT_EQ(words[0].key, "host");
  EXPECT_EQ(words[0].value, "db1");
  EXPECT_EQ(words[1].key, "port");
  EXPECT_EQ(words[1].value, "5432");
  EXPECT_EQ(words[1].text, "port = 5432");
  EXPECT_EQ(words[2].key, "password");
  EXPECT_EQ(words[2].value, "p w");
  EXPECT_EQ(words[2].text, "password='p w'");
  EXPECT_EQ(words[3].key, "dbname");
  EXPECT_EQ(words[3].value, "a b'c");
  EXPECT_EQ(words[3].text, "dbname='a b\\'c'");
  EXPECT_EQ(words[4].key, "user");
  EXPECT_EQ(words[4].value, "x y");
}

TEST(ConninfoTextTest, KeywordWithoutValueAndUnclosedQuote) {
  std::vector<ConninfoWord> words = SplitConninfo("sslmode dbname='open");
  ASSERT_EQ(words.size(), 2u);
  EXPECT_EQ(words[0].key, "sslmode");
  EXPECT_EQ(words[0].value, "");
  EXPECT_EQ(words[1].value, "open");
  EXPECT_EQ(words[1].text, "dbname='open");
}

TEST(ConninfoTextTest, QuotesOnlyWhatLibpqNeedsQuoted) {
  EXPECT_EQ(QuoteConninfoValue("accountdb_p000"), "accountdb_p000");
  EXPECT_EQ(QuoteConninfoValue(""), "''");
  EXPECT_EQ(QuoteConninfoValue("a b"), "'a b'");
  EXPECT_EQ(QuoteConninfoValue("it's\\"), "'it\\'s\\\\'");
  std::vector<ConninfoWord> round = SplitConninfo("x=" + QuoteConninfoValue("it's a\\b"));
  ASSERT_EQ(round.size(), 1u);
  EXPECT_EQ(round[0].value, "it's a\\b");
}

}  // namespace
}  // namespace pgtwin
