#include "reconciler/plan/ddl_quote.h"

#include <algorithm>
#include <iterator>

namespace pgtwin::ddl {
namespace {

// PostgreSQL 15's keywords of the reserved, column-name and type/function-name categories
// (pg_get_keywords() with catcode <> 'U'), sorted: quote_ident quotes exactly these.
// clang-format off
constexpr std::string_view kQuotedKeywords[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
    "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast",
    "char", "character", "check", "coalesce", "collate", "collation", "column", "concurrently",
    "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
    "current_schema", "current_time", "current_timestamp", "current_user", "dec", "decimal",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists",
    "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant",
    "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout",
    "int", "integer", "intersect", "interval", "into", "is", "isnull", "join", "lateral",
    "leading", "least", "left", "like", "limit", "localtime", "localtimestamp", "national",
    "natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif", "numeric",
    "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing",
    "position", "precision", "primary", "real", "references", "returning", "right", "row",
    "select", "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric",
    "table", "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim",
    "true", "union", "unique", "user", "using", "values", "varchar", "variadic", "verbose",
    "when", "where", "window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists",
    "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable",
};
// clang-format on

bool IsPlainName(std::string_view name) {
  if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

std::string QuoteIdent(std::string_view name) {
  if (IsPlainName(name) &&
      !std::binary_search(std::begin(kQuotedKeywords), std::end(kQuotedKeywords), name)) {
    return std::string(name);
  }
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string QuoteQualified(std::string_view schema, std::string_view name) {
  return QuoteIdent(schema) + "." + QuoteIdent(name);
}

std::string QuoteDotted(std::string_view dotted) {
  size_t dot = dotted.find('.');
  if (dot == std::string_view::npos) return QuoteIdent(dotted);
  return QuoteIdent(dotted.substr(0, dot)) + "." + QuoteDotted(dotted.substr(dot + 1));
}

std::string QuoteLiteral(std::string_view text) {
  bool backslash = text.find('\\') != std::string_view::npos;
  std::string out = backslash ? "E'" : "'";
  for (char c : text) {
    if (c == '\'' || (backslash && c == '\\')) out += c;
    out += c;
  }
  return out + "'";
}

std::string DollarQuote(std::string_view text) {
  std::string tag = "$$";
  // The closing tag must be the first occurrence of the tag in text + tag.
  while ((std::string(text) + tag).find(tag) != text.size()) tag.insert(1, "_");
  return tag + std::string(text) + tag;
}

std::vector<std::string> SplitTopLevel(std::string_view list) {
  std::vector<std::string> parts;
  if (list.empty()) return parts;
  int depth = 0;
  char quote = 0;
  size_t start = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    char c = list[i];
    if (quote != 0) {
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(' || c == '[') {
      ++depth;
    } else if (c == ')' || c == ']') {
      --depth;
    } else if (depth == 0 && c == ',' && i + 1 < list.size() && list[i + 1] == ' ') {
      parts.emplace_back(list.substr(start, i - start));
      start = i + 2;
      ++i;
    }
  }
  parts.emplace_back(list.substr(start));
  return parts;
}

}  // namespace pgtwin::ddl
