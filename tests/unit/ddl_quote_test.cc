#include "reconciler/plan/ddl_quote.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pgtwin::ddl {
namespace {

TEST(DdlQuoteTest, PlainLowerCaseNamesStayBare) {
  EXPECT_EQ(QuoteIdent("invoices"), "invoices");
  EXPECT_EQ(QuoteIdent("_x1"), "_x1");
  EXPECT_EQ(QuoteIdent("x$"), "\"x$\"");  // quote_ident quotes a dollar sign
  EXPECT_EQ(QuoteIdent("name"), "name");  // unreserved keyword
  EXPECT_EQ(QuoteIdent("action"), "action");
}

TEST(DdlQuoteTest, KeywordsThatQuoteIdentQuotesAreQuoted) {
  EXPECT_EQ(QuoteIdent("user"), "\"user\"");  // reserved
  EXPECT_EQ(QuoteIdent("select"), "\"select\"");
  EXPECT_EQ(QuoteIdent("integer"), "\"integer\"");  // column name keyword
  EXPECT_EQ(QuoteIdent("left"), "\"left\"");        // type/function name keyword
  EXPECT_EQ(QuoteIdent("xmltable"), "\"xmltable\"");
  EXPECT_EQ(QuoteIdent("all"), "\"all\"");
}

TEST(DdlQuoteTest, OtherNamesAreQuotedWithQuotesDoubled) {
  EXPECT_EQ(QuoteIdent("Order Lines"), "\"Order Lines\"");
  EXPECT_EQ(QuoteIdent("Mixed"), "\"Mixed\"");
  EXPECT_EQ(QuoteIdent("1st"), "\"1st\"");
  EXPECT_EQ(QuoteIdent("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(QuoteIdent(""), "\"\"");
  EXPECT_EQ(QuoteIdent("$x"), "\"$x\"");
}

TEST(DdlQuoteTest, QualifiedNames) {
  EXPECT_EQ(QuoteQualified("billing", "user"), "billing.\"user\"");
  EXPECT_EQ(QuoteDotted("Mixed Case.t"), "\"Mixed Case\".t");
  EXPECT_EQ(QuoteDotted("s.t.Col"), "s.t.\"Col\"");
}

TEST(DdlQuoteTest, Literals) {
  EXPECT_EQ(QuoteLiteral("it's"), "'it''s'");
  EXPECT_EQ(QuoteLiteral(""), "''");
  EXPECT_EQ(QuoteLiteral("a\\b'"), "E'a\\\\b'''");
}

TEST(DdlQuoteTest, DollarQuotePicksATagTheTextCannotClose) {
  EXPECT_EQ(DollarQuote("SELECT 1"), "$$SELECT 1$$");
  EXPECT_EQ(DollarQuote("x $$ y"), "$_$x $$ y$_$");
  EXPECT_EQ(DollarQuote("x $$ $_$ y"), "$__$x $$ $_$ y$__$");
  // A trailing '$' would join the closing tag: "a$" + "$$" reads as "a" then "$".
  EXPECT_EQ(DollarQuote("a$"), "$_$a$$_$");
  EXPECT_EQ(DollarQuote(""), "$$$$");
}

TEST(DdlQuoteTest, SplitTopLevelKeepsNestedCommas) {
  EXPECT_EQ(SplitTopLevel("a numeric(18, 2), b text"),
            (std::vector<std::string>{"a numeric(18, 2)", "b text"}));
  EXPECT_EQ(SplitTopLevel("'a, b', 'c'"), (std::vector<std::string>{"'a, b'", "'c'"}));
  EXPECT_EQ(SplitTopLevel("\"x, y\" int"), (std::vector<std::string>{"\"x, y\" int"}));
  EXPECT_TRUE(SplitTopLevel("").empty());
}

}  // namespace
}  // namespace pgtwin::ddl
