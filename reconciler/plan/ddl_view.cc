// Views and materialized views.
#include <algorithm>
#include <optional>

#include "reconciler/plan/ddl_parts.h"
#include "reconciler/plan/ddl_quote.h"

namespace pgtwin::ddl {
namespace {

// pg_get_viewdef's text without its trailing semicolon and blanks.
std::string Query(const Object& view) {
  std::string query = view.Attr("definition");
  while (!query.empty() && (query.back() == ';' || query.back() == ' ' || query.back() == '\n')) {
    query.pop_back();
  }
  return query;
}

// A deparsed name without its quotes.
std::string Unquote(std::string name) {
  if (name.size() < 2 || name.front() != '"') return name;
  std::string out;
  for (size_t i = 1; i + 1 < name.size(); ++i) {
    out += name[i];
    if (name[i] == '"') ++i;
  }
  return out;
}

// The output column names of a view as pg_get_viewdef prints its query (" SELECT a.x,\n
// b.y AS z\n   FROM ..."): the target list items, one per line indented by 4 or more, split
// at top-level commas; each named by its alias or its last dotted part. nullopt when the
// text does not look like that.
std::optional<std::vector<std::string>> OutputColumns(const std::string& definition) {
  constexpr std::string_view kSelect = " SELECT ";
  if (definition.compare(0, kSelect.size(), kSelect) != 0) return std::nullopt;
  std::vector<std::string> items(1);
  int depth = 0;
  char quote = 0;
  for (size_t i = kSelect.size(); i < definition.size(); ++i) {
    char c = definition[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (depth == 0 && c == ';') {
      break;
    } else if (depth == 0 && c == '\n') {
      if (definition.compare(i + 1, 4, "    ") != 0) break;  // FROM, WHERE, UNION, ...
    } else if (depth == 0 && c == ',') {
      items.emplace_back();
      continue;
    }
    items.back() += c;
  }
  std::vector<std::string> names;
  for (std::string item : items) {
    while (!item.empty() && (item.front() == ' ' || item.front() == '\n')) item.erase(0, 1);
    size_t as = item.rfind(" AS ");
    std::string name = as != std::string::npos ? item.substr(as + 4) : item;
    if (as == std::string::npos) {
      if (name.find_first_of("()' ") != std::string::npos) return std::nullopt;
      if (size_t dot = name.rfind('.'); dot != std::string::npos) name = name.substr(dot + 1);
    }
    if (name.empty() || name.find_first_of("() ") != std::string::npos) return std::nullopt;
    names.push_back(Unquote(name));
  }
  return names;
}

// False when the new query is known to drop, rename or reorder output columns, which
// CREATE OR REPLACE VIEW refuses (it only appends). A changed column type is not seen here.
bool ReplaceableInPlace(const Object& desired, const Object& observed) {
  auto want = OutputColumns(desired.Attr("definition"));
  auto have = OutputColumns(observed.Attr("definition"));
  if (!want || !have) return true;
  return want->size() >= have->size() && std::equal(have->begin(), have->end(), want->begin());
}

std::string ViewStatement(const Object& o, const std::string& name, bool replace) {
  bool materialized = o.kind() == ObjectKind::kMaterializedView;
  std::string sql = std::string("CREATE ") + (replace ? "OR REPLACE " : "") +
                    (materialized ? "MATERIALIZED VIEW " : "VIEW ") + name;
  if (o.HasAttr("options")) sql += " WITH " + OptionList(o.Attr("options"));
  return sql + " AS\n" + Query(o);
}

}  // namespace

Sql CreateView(const Object& o, const DdlContext& ctx) {
  const std::string name = QuoteQualified(ctx.schema, o.name());
  // A materialized view is filled at once (WITH DATA): it is usable in Test right away, at
  // the cost of running its query on Test's data.
  Sql out{ViewStatement(o, name, false)};
  Names names = NamesOf(o, ctx);
  AppendOwnerAclComment(o, names, out);
  AppendPartChanges(o, nullptr, "column_comment.", "column_acl.", name, names.grant, {}, out);
  return out;
}

AlterSqlResult AlterView(const Object& d, const Object& o, const std::vector<AttributeChange>& c,
                         const DdlContext& ctx) {
  AlterSqlResult result;
  const bool materialized = d.kind() == ObjectKind::kMaterializedView;
  if (Changed(c, "definition") && (materialized || !ReplaceableInPlace(d, o))) {
    result.replace = true;
    return result;
  }
  const std::string name = QuoteQualified(ctx.schema, d.name());
  Names names = NamesOf(d, ctx);
  Sql& out = result.sql;
  // CREATE OR REPLACE VIEW keeps the columns' comments and privileges; it still fails when a
  // column changes its type (only dropping and creating the view again works then).
  if (Changed(c, "definition")) out.push_back(ViewStatement(d, name, true));
  if (Changed(c, "options")) {
    AppendOptionChanges(names.alter, d.Attr("options"), o.Attr("options"), out);
  }
  std::vector<std::string> revoked;
  AppendOwnerAclCommentChanges(d, o, c, names, out, &revoked);
  if (ChangedPrefix(c, "column_comment.") || ChangedPrefix(c, "column_acl.") || !revoked.empty()) {
    AppendPartChanges(d, &o, "column_comment.", "column_acl.", name, names.grant, revoked, out);
  }
  return result;
}

}  // namespace pgtwin::ddl
