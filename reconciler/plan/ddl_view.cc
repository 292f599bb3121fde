// Views and materialized views.
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
  if (Changed(c, "definition") && materialized) {
    result.replace = true;
    return result;
  }
  const std::string name = QuoteQualified(ctx.schema, d.name());
  Names names = NamesOf(d, ctx);
  Sql& out = result.sql;
  // CREATE OR REPLACE VIEW keeps the columns' comments and privileges; it fails when a
  // column is renamed, retyped or removed (then only drop and create works).
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
