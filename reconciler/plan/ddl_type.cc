// Types: enum, composite, domain and range.
#include <algorithm>
#include <set>

#include "reconciler/plan/ddl_parts.h"
#include "reconciler/plan/ddl_quote.h"

namespace pgtwin::ddl {
namespace {

// Enum labels to add (with BEFORE/AFTER) so that `have` becomes `want`; nullopt when labels
// were removed or reordered (only adding works in place).
std::optional<Sql> AddedLabels(const std::string& type, const std::vector<std::string>& want,
                               const std::vector<std::string>& have) {
  // `have` must be a subsequence of `want`.
  size_t j = 0;
  for (size_t i = 0; i < want.size() && j < have.size(); ++i) {
    if (want[i] == have[j]) ++j;
  }
  if (j != have.size()) return std::nullopt;
  Sql out;
  std::set<std::string> present(have.begin(), have.end());
  for (size_t i = 0; i < want.size(); ++i) {
    if (present.count(want[i])) continue;
    std::string sql = "ALTER TYPE " + type + " ADD VALUE " + want[i];
    if (i > 0) {
      sql += " AFTER " + want[i - 1];
    } else if (!have.empty()) {
      sql += " BEFORE " + have.front();
    }
    out.push_back(sql);
    present.insert(want[i]);
  }
  return out;
}

// Renames when the label count is unchanged and only some labels differ, none of them
// taking a name still used elsewhere; nullopt otherwise.
std::optional<Sql> RenamedLabels(const std::string& type, const std::vector<std::string>& want,
                                 const std::vector<std::string>& have) {
  if (want.size() != have.size()) return std::nullopt;
  std::set<std::string> old_names(have.begin(), have.end());
  Sql out;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i] == have[i]) continue;
    if (old_names.count(want[i])) return std::nullopt;
    out.push_back("ALTER TYPE " + type + " RENAME VALUE " + have[i] + " TO " + want[i]);
  }
  return out;
}

// `name type [COLLATE c]` -> name (the first word, possibly quoted).
std::string AttributeName(const std::string& attribute) {
  if (!attribute.empty() && attribute[0] == '"') {
    for (size_t i = 1; i < attribute.size(); ++i) {
      if (attribute[i] != '"') continue;
      if (i + 1 < attribute.size() && attribute[i + 1] == '"') {
        ++i;
        continue;
      }
      return attribute.substr(0, i + 1);
    }
  }
  return attribute.substr(0, attribute.find(' '));
}

// ALTER TYPE steps for a composite type's attributes; nullopt when the order cannot be
// reached (new attributes only go to the end).
std::optional<Sql> AttributeChanges(const std::string& type, const std::string& want_text,
                                    const std::string& have_text) {
  std::vector<std::string> want = SplitTopLevel(want_text), have = SplitTopLevel(have_text);
  auto names = [](const std::vector<std::string>& list) {
    std::vector<std::string> out;
    for (const std::string& a : list) out.push_back(AttributeName(a));
    return out;
  };
  std::vector<std::string> want_names = names(want), have_names = names(have);
  std::vector<std::string> kept;
  for (const std::string& n : have_names) {
    if (std::find(want_names.begin(), want_names.end(), n) != want_names.end()) kept.push_back(n);
  }
  if (!std::equal(kept.begin(), kept.end(), want_names.begin(),
                  want_names.begin() + std::min(kept.size(), want_names.size()))) {
    return std::nullopt;
  }
  std::vector<std::string> actions;
  for (const std::string& n : have_names) {
    if (std::find(want_names.begin(), want_names.end(), n) == want_names.end()) {
      actions.push_back("DROP ATTRIBUTE " + n);
    }
  }
  for (size_t i = 0; i < want.size(); ++i) {
    auto at = std::find(have_names.begin(), have_names.end(), want_names[i]);
    if (at == have_names.end()) {
      actions.push_back("ADD ATTRIBUTE " + want[i]);
    } else if (have[at - have_names.begin()] != want[i]) {
      actions.push_back("ALTER ATTRIBUTE " + want_names[i] + " TYPE " +
                        want[i].substr(want_names[i].size() + 1));
    }
  }
  std::string sql;
  for (const std::string& a : actions) sql += (sql.empty() ? " " : ", ") + a;
  if (sql.empty()) return Sql{};
  return Sql{"ALTER TYPE " + type + sql};
}

Sql DomainConstraint(const std::string& domain, const std::string& name,
                     const std::string& definition) {
  return {"ALTER DOMAIN " + domain + " ADD CONSTRAINT " + QuoteIdent(name) + " " + definition};
}

}  // namespace

Sql CreateType(const Object& o, const DdlContext& ctx) {
  const std::string name = QuoteQualified(ctx.schema, o.name());
  const std::string& kind = o.Attr("type_kind");
  Sql out;
  if (kind == "enum") {
    out.push_back("CREATE TYPE " + name + " AS ENUM (" + o.Attr("labels") + ")");
  } else if (kind == "composite") {
    out.push_back("CREATE TYPE " + name + " AS (" + o.Attr("attributes") + ")");
  } else if (kind == "range") {
    std::string sql = "CREATE TYPE " + name + " AS RANGE (SUBTYPE = " + o.Attr("subtype");
    if (o.HasAttr("collation")) sql += ", COLLATION = " + o.Attr("collation");
    out.push_back(sql + ")");
  } else {
    std::string sql = "CREATE DOMAIN " + name + " AS " + o.Attr("base_type");
    if (o.HasAttr("collation")) sql += " COLLATE " + o.Attr("collation");
    if (o.HasAttr("default")) sql += " DEFAULT " + o.Attr("default");
    if (o.HasAttr("not_null")) sql += " NOT NULL";
    out.push_back(sql);
    // Added one by one: CREATE DOMAIN takes no NOT VALID.
    for (const auto& [constraint, definition] : PartAttrs(o, "constraint.")) {
      Sql add = DomainConstraint(name, constraint, definition);
      out.insert(out.end(), add.begin(), add.end());
    }
    for (const auto& [constraint, text] : PartAttrs(o, "constraint_comment.")) {
      out.push_back(
          CommentSql("CONSTRAINT " + QuoteIdent(constraint) + " ON DOMAIN " + name, text));
    }
  }
  AppendOwnerAclComment(o, NamesOf(o, ctx), out);
  AppendPartChanges(o, nullptr, "attribute_comment.", "", name, "", {}, out);
  return out;
}

AlterSqlResult AlterType(const Object& d, const Object& o, const std::vector<AttributeChange>& c,
                         const DdlContext& ctx) {
  AlterSqlResult result;
  auto replace = [&result] {
    result = AlterSqlResult{};
    result.replace = true;
    result.destructive = true;  // columns of the type go with it
    return result;
  };
  const std::string name = QuoteQualified(ctx.schema, d.name());
  if (Changed(c, "type_kind") || Changed(c, "base_type") || Changed(c, "subtype") ||
      Changed(c, "collation")) {
    return replace();
  }
  Sql& out = result.sql;
  if (Changed(c, "labels")) {
    std::vector<std::string> want = SplitTopLevel(d.Attr("labels"));
    std::vector<std::string> have = SplitTopLevel(o.Attr("labels"));
    auto steps = AddedLabels(name, want, have);
    if (!steps) steps = RenamedLabels(name, want, have);
    if (!steps) return replace();
    out.insert(out.end(), steps->begin(), steps->end());
  }
  if (Changed(c, "attributes")) {
    auto steps = AttributeChanges(name, d.Attr("attributes"), o.Attr("attributes"));
    if (!steps) return replace();
    out.insert(out.end(), steps->begin(), steps->end());
  }
  if (Changed(c, "default")) {
    out.push_back("ALTER DOMAIN " + name +
                  (d.HasAttr("default") ? " SET DEFAULT " + d.Attr("default") : " DROP DEFAULT"));
  }
  if (Changed(c, "not_null")) {
    out.push_back("ALTER DOMAIN " + name + (d.HasAttr("not_null") ? " SET" : " DROP") +
                  " NOT NULL");
  }
  if (ChangedPrefix(c, "constraint.")) {
    auto want = PartAttrs(d, "constraint."), have = PartAttrs(o, "constraint.");
    for (const auto& [constraint, definition] : have) {
      auto it = want.find(constraint);
      if (it != want.end() && it->second == definition) continue;
      bool validate_only = it != want.end() && definition == it->second + " NOT VALID";
      out.push_back("ALTER DOMAIN " + name + (validate_only ? " VALIDATE" : " DROP") +
                    " CONSTRAINT " + QuoteIdent(constraint));
    }
    for (const auto& [constraint, definition] : want) {
      auto it = have.find(constraint);
      if (it != have.end() &&
          (it->second == definition || it->second == definition + " NOT VALID")) {
        continue;
      }
      Sql add = DomainConstraint(name, constraint, definition);
      out.insert(out.end(), add.begin(), add.end());
    }
  }
  // A constraint added again lost its comment.
  auto want_comments = PartAttrs(d, "constraint_comment.");
  auto have_comments = PartAttrs(o, "constraint_comment.");
  for (const auto& [constraint, definition] : PartAttrs(d, "constraint.")) {
    std::string old = o.Attr("constraint." + constraint);
    bool recreated = old != definition && old != definition + " NOT VALID";
    if (recreated) have_comments.erase(constraint);
  }
  std::set<std::string> commented;
  for (const auto& [k, v] : want_comments) commented.insert(k);
  for (const auto& [k, v] : have_comments) {
    if (d.HasAttr("constraint." + k)) commented.insert(k);
  }
  for (const std::string& constraint : commented) {
    if (want_comments[constraint] == have_comments[constraint]) continue;
    out.push_back(CommentSql("CONSTRAINT " + QuoteIdent(constraint) + " ON DOMAIN " + name,
                             want_comments[constraint]));
  }
  AppendOwnerAclCommentChanges(d, o, c, NamesOf(d, ctx), out);
  if (ChangedPrefix(c, "attribute_comment.")) {
    AppendPartChanges(d, &o, "attribute_comment.", "", name, "", {}, out);
  }
  return result;
}

}  // namespace pgtwin::ddl
