#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pgtwin::ddl {

// An identifier as PostgreSQL's quote_ident spells it: unchanged when it is a lower-case name
// ([a-z_][a-z0-9_]*, so "$" is quoted) that is not a keyword PostgreSQL 15 reserves in any
// way (all but its unreserved keywords), otherwise double-quoted with inner quotes doubled.
std::string QuoteIdent(std::string_view name);

// `schema.name`, each part quoted.
std::string QuoteQualified(std::string_view schema, std::string_view name);

// A qualified name as docs/model.md writes references ("billing.invoices", unquoted, parts
// joined by '.'), quoted part by part. The first dot separates the schema.
std::string QuoteDotted(std::string_view dotted);

// A string literal ('it''s'); E'...' with doubled backslashes when the text holds a
// backslash, so it reads the same whatever standard_conforming_strings is.
std::string QuoteLiteral(std::string_view text);

// A dollar-quoted literal ($$...$$, or $_$...$_$ and longer tags) whose tag cannot end the
// text early: neither inside the text nor formed by the text's last characters and the tag.
std::string DollarQuote(std::string_view text);

// Splits a list joined by ", " at the top level: not inside parentheses, brackets, single or
// double quotes ("numeric(18,2)", "'a, b'" stay whole).
std::vector<std::string> SplitTopLevel(std::string_view list);

}  // namespace pgtwin::ddl
