// Helpers shared by the DDL generators: comments, owners, ACLs, options, names.
#include <algorithm>
#include <set>

#include "reconciler/plan/ddl_acl.h"
#include "reconciler/plan/ddl_parts.h"
#include "reconciler/plan/ddl_quote.h"

namespace pgtwin::ddl {
namespace {

bool IsPlainWord(std::string_view value) {
  return !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.';
  }) && value.front() != '.';
}

// reloptions as key -> value.
std::map<std::string, std::string> OptionMap(std::string_view options) {
  std::map<std::string, std::string> out;
  for (const std::string& item : SplitTopLevel(options)) {
    size_t eq = item.find('=');
    if (eq == std::string::npos) continue;
    out[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return out;
}

std::string Option(const std::string& key, const std::string& value) {
  return key + "=" + (IsPlainWord(value) ? value : QuoteLiteral(value));
}

}  // namespace

bool Changed(const std::vector<AttributeChange>& changes, std::string_view name) {
  return std::any_of(changes.begin(), changes.end(),
                     [&](const AttributeChange& c) { return c.name == name; });
}

bool ChangedPrefix(const std::vector<AttributeChange>& changes, std::string_view prefix) {
  return std::any_of(changes.begin(), changes.end(), [&](const AttributeChange& c) {
    return std::string_view(c.name).substr(0, prefix.size()) == prefix;
  });
}

std::string CommentSql(std::string_view what, std::string_view text) {
  return "COMMENT ON " + std::string(what) + " IS " +
         (text.empty() ? std::string("NULL") : QuoteLiteral(text));
}

std::map<std::string, std::string> PartAttrs(const Object& object, std::string_view prefix) {
  std::map<std::string, std::string> out;
  for (const Attribute& a : object.attrs()) {
    if (std::string_view(a.name).substr(0, prefix.size()) == prefix) {
      out[a.name.substr(prefix.size())] = a.value;
    }
  }
  return out;
}

void AppendOwnerAclComment(const Object& object, const Names& names, Sql& out) {
  const std::string& owner = object.Attr("owner");
  if (!owner.empty()) out.push_back("ALTER " + names.alter + " OWNER TO " + QuoteIdent(owner));
  if (!owner.empty() && object.HasAttr("acl")) {
    auto sql = AclSql({names.grant, names.acl_kind, owner, "", ""}, object.Attr("acl"), "");
    if (sql) out.insert(out.end(), sql->begin(), sql->end());
  }
  if (object.HasAttr("comment")) out.push_back(CommentSql(names.alter, object.Attr("comment")));
}

void AppendOwnerAclCommentChanges(const Object& desired, const Object& observed,
                                  const std::vector<AttributeChange>& changes, const Names& names,
                                  Sql& out, std::vector<std::string>* revoked) {
  const std::string& owner = desired.Attr("owner");
  if (Changed(changes, "owner") && !owner.empty()) {
    out.push_back("ALTER " + names.alter + " OWNER TO " + QuoteIdent(owner));
  }
  if (Changed(changes, "acl") && !owner.empty()) {
    AclTarget target{names.grant, names.acl_kind, owner, observed.Attr("owner"), ""};
    auto sql = AclSql(target, desired.Attr("acl"), observed.Attr("acl"), revoked);
    if (sql) out.insert(out.end(), sql->begin(), sql->end());
  }
  if (Changed(changes, "comment")) out.push_back(CommentSql(names.alter, desired.Attr("comment")));
}

void AppendPartChanges(const Object& desired, const Object* observed,
                       std::string_view comment_prefix, std::string_view acl_prefix,
                       const std::string& relation, const std::string& grant_relation,
                       const std::vector<std::string>& regrant, Sql& out) {
  static const Object kNone;
  const Object& before = observed == nullptr ? kNone : *observed;
  auto want = PartAttrs(desired, comment_prefix);
  auto have = PartAttrs(before, comment_prefix);
  std::set<std::string> parts;
  for (const auto& [part, unused] : want) parts.insert(part);
  if (observed != nullptr) {
    for (const auto& [part, unused] : have) parts.insert(part);
  }
  for (const std::string& part : parts) {
    if (want[part] != have[part]) {
      out.push_back(CommentSql("COLUMN " + relation + "." + QuoteIdent(part), want[part]));
    }
  }
  if (grant_relation.empty()) return;
  auto want_acl = PartAttrs(desired, acl_prefix);
  auto have_acl = PartAttrs(before, acl_prefix);
  std::set<std::string> columns;
  for (const auto& [column, unused] : want_acl) columns.insert(column);
  for (const auto& [column, unused] : have_acl) columns.insert(column);
  for (const std::string& column : columns) {
    AclTarget target{grant_relation, 'c', desired.Attr("owner"), before.Attr("owner"),
                     QuoteIdent(column)};
    std::string observed_acl = have_acl[column];
    auto items = ParseAcl(observed_acl);
    if (!regrant.empty() && items) {
      // Those grantees lost their column privileges with their table privileges.
      std::vector<AclItem> kept;
      for (const AclItem& item : *items) {
        if (std::find(regrant.begin(), regrant.end(), item.grantee) == regrant.end()) {
          kept.push_back(item);
        }
      }
      observed_acl = FormatAcl(kept);
    }
    if (want_acl[column] == observed_acl) continue;
    auto sql = AclSql(target, want_acl[column], observed_acl);
    if (sql) out.insert(out.end(), sql->begin(), sql->end());
  }
}

std::string OptionList(std::string_view options) {
  std::string out;
  for (const auto& [key, value] : OptionMap(options)) {
    out += (out.empty() ? "" : ", ") + Option(key, value);
  }
  return "(" + out + ")";
}

void AppendOptionChanges(const std::string& what, std::string_view desired,
                         std::string_view observed, Sql& out) {
  auto want = OptionMap(desired);
  auto have = OptionMap(observed);
  std::string reset;
  for (const auto& [key, unused] : have) {
    if (!want.count(key)) reset += (reset.empty() ? "" : ", ") + key;
  }
  std::string set;
  for (const auto& [key, value] : want) {
    auto it = have.find(key);
    if (it == have.end() || it->second != value) {
      set += (set.empty() ? "" : ", ") + Option(key, value);
    }
  }
  if (!reset.empty()) out.push_back("ALTER " + what + " RESET (" + reset + ")");
  if (!set.empty()) out.push_back("ALTER " + what + " SET (" + set + ")");
}

const Object* FindTable(const Object* database, std::string_view dotted) {
  if (database == nullptr) return nullptr;
  size_t dot = dotted.find('.');
  if (dot == std::string_view::npos) return nullptr;
  const Object* schema = database->FindChild(ObjectKind::kSchema, dotted.substr(0, dot));
  return schema == nullptr ? nullptr
                           : schema->FindChild(ObjectKind::kTable, dotted.substr(dot + 1));
}

std::string RoutineSignature(const std::string& schema, const std::string& key) {
  size_t paren = key.find('(');
  if (paren == std::string::npos) return QuoteQualified(schema, key) + "()";
  return QuoteQualified(schema, key.substr(0, paren)) + key.substr(paren);
}

Names NamesOf(const Object& o, const DdlContext& ctx) {
  const std::string qualified = QuoteQualified(ctx.schema, o.name());
  const std::string relation = QuoteQualified(ctx.schema, ctx.relation);
  switch (o.kind()) {
    case ObjectKind::kExtension:
      return {"EXTENSION " + QuoteIdent(o.name()), "", 'r'};
    case ObjectKind::kSchema:
      return {"SCHEMA " + QuoteIdent(o.name()), "SCHEMA " + QuoteIdent(o.name()), 'n'};
    case ObjectKind::kType: {
      std::string word = o.Attr("type_kind") == "domain" ? "DOMAIN " : "TYPE ";
      return {word + qualified, word + qualified, 'T'};
    }
    case ObjectKind::kSequence:
      return {"SEQUENCE " + qualified, "SEQUENCE " + qualified, 's'};
    case ObjectKind::kTable:
      return {"TABLE " + qualified, "TABLE " + qualified, 'r'};
    case ObjectKind::kView:
      return {"VIEW " + qualified, "TABLE " + qualified, 'r'};
    case ObjectKind::kMaterializedView:
      return {"MATERIALIZED VIEW " + qualified, "TABLE " + qualified, 'r'};
    case ObjectKind::kColumn:
      return {"COLUMN " + relation + "." + QuoteIdent(o.name()), "TABLE " + relation, 'c'};
    case ObjectKind::kConstraint:
      return {"CONSTRAINT " + QuoteIdent(o.name()) + " ON " + relation, "", 'r'};
    case ObjectKind::kIndex:
      return {"INDEX " + qualified, "", 'r'};
    case ObjectKind::kTrigger:
      return {"TRIGGER " + QuoteIdent(o.name()) + " ON " + relation, "", 'r'};
    case ObjectKind::kFunction:
      return {"FUNCTION " + RoutineSignature(ctx.schema, o.name()),
              "FUNCTION " + RoutineSignature(ctx.schema, o.name()), 'f'};
    case ObjectKind::kProcedure:
      return {"PROCEDURE " + RoutineSignature(ctx.schema, o.name()),
              "PROCEDURE " + RoutineSignature(ctx.schema, o.name()), 'f'};
    case ObjectKind::kAggregate: {
      std::string signature = RoutineSignature(ctx.schema, o.name());
      std::string aggregate = signature;
      if (aggregate.size() >= 2 && aggregate.compare(aggregate.size() - 2, 2, "()") == 0) {
        aggregate.insert(aggregate.size() - 1, "*");  // no arguments: agg(*)
      }
      return {"AGGREGATE " + aggregate, "FUNCTION " + signature, 'f'};
    }
    default:
      return {};
  }
}

}  // namespace pgtwin::ddl
