#include "reconciler/plan/references.h"

#include "reconciler/plan/ddl_acl.h"

namespace pgtwin {
namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9') || c == '$'; }

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Reads an identifier at `pos` (quoted or not) into `out`; false when none starts there.
bool ReadIdent(std::string_view text, size_t& pos, std::string& out) {
  out.clear();
  if (pos >= text.size()) return false;
  if (text[pos] == '"') {
    size_t i = pos + 1;
    while (i < text.size()) {
      if (text[i] == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          out += '"';
          i += 2;
          continue;
        }
        pos = i + 1;
        return true;
      }
      out += text[i++];
    }
    return false;  // unterminated
  }
  if (!IsIdentStart(text[pos])) return false;
  size_t i = pos;
  while (i < text.size() && IsIdentChar(text[i])) ++i;
  out = std::string(text.substr(pos, i - pos));
  pos = i;
  return true;
}

void AppendAttr(const Object& object, std::string_view attr, std::string& text) {
  if (!object.HasAttr(attr)) return;
  text += object.Attr(attr);
  text += '\n';
}

void AppendPrefixed(const Object& object, std::string_view prefix, std::string& text) {
  for (const Attribute& attr : object.attrs()) {
    if (StartsWith(attr.name, prefix)) {
      text += attr.value;
      text += '\n';
    }
  }
}

void AddAclRoles(const std::string& acl, std::vector<std::string>& roles) {
  for (const ddl::AclItem& item : ddl::ParseAcl(acl).value_or(std::vector<ddl::AclItem>{})) {
    if (!item.grantee.empty()) roles.push_back(item.grantee);
    if (!item.grantor.empty()) roles.push_back(item.grantor);
  }
}

}  // namespace

std::vector<QualifiedRef> MentionedNames(std::string_view text) {
  std::vector<QualifiedRef> refs;
  std::string previous;
  bool have_previous = false;  // the identifier just read ends right before `pos`
  std::string ident;
  size_t pos = 0;
  while (pos < text.size()) {
    char c = text[pos];
    if (c == '"' || IsIdentStart(c)) {
      size_t start = pos;
      if (!ReadIdent(text, pos, ident)) {
        pos = start + 1;
        have_previous = false;
        continue;
      }
      if (have_previous) refs.emplace_back(previous, ident);
      previous = ident;
      // A dot right after the identifier makes it the first part of a qualified name.
      have_previous = pos < text.size() && text[pos] == '.';
      if (have_previous) ++pos;
      continue;
    }
    if (c >= '0' && c <= '9') {
      while (pos < text.size() && (IsIdentChar(text[pos]) || text[pos] == '.')) ++pos;
    } else {
      ++pos;
    }
    have_previous = false;
  }
  return refs;
}

bool MentionsIdentifier(std::string_view text, std::string_view name) {
  std::string ident;
  size_t pos = 0;
  while (pos < text.size()) {
    char c = text[pos];
    if (c == '"' || IsIdentStart(c)) {
      size_t start = pos;
      if (!ReadIdent(text, pos, ident)) {
        pos = start + 1;
        continue;
      }
      if (ident == name) return true;
    } else if (c >= '0' && c <= '9') {
      while (pos < text.size() && IsIdentChar(text[pos])) ++pos;
    } else {
      ++pos;
    }
  }
  return false;
}

std::vector<std::string> ColumnListAfter(std::string_view text, std::string_view marker) {
  size_t at = text.find(marker);
  if (at == std::string_view::npos) return {};
  size_t pos = text.find('(', at + marker.size());
  if (pos == std::string_view::npos) return {};
  std::vector<std::string> columns;
  std::string ident;
  ++pos;
  while (true) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (!ReadIdent(text, pos, ident)) return {};
    columns.push_back(ident);
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (pos >= text.size()) return {};
    if (text[pos] == ')') return columns;
    if (text[pos] != ',') return {};  // an expression, an operator class, ...
    ++pos;
  }
}

std::optional<QualifiedRef> ForeignKeyTable(std::string_view definition) {
  constexpr std::string_view kReferences = "REFERENCES ";
  size_t at = definition.find(kReferences);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = definition.substr(at + kReferences.size());
  std::vector<QualifiedRef> names = MentionedNames(rest.substr(0, rest.find('(')));
  if (names.empty()) return std::nullopt;
  return names.front();
}

bool HasSqlStandardBody(const Object& routine) {
  if (routine.Attr("language") != "sql") return false;
  const std::string& body = routine.Attr("body");
  return StartsWith(body, "BEGIN ATOMIC") || StartsWith(body, "RETURN ");
}

std::string ReferenceText(const Object& object, bool with_children) {
  std::string text;
  switch (object.kind()) {
    case ObjectKind::kType:
      for (std::string_view attr : {"base_type", "attributes", "subtype", "default"}) {
        AppendAttr(object, attr, text);
      }
      AppendPrefixed(object, "constraint.", text);
      break;
    case ObjectKind::kTable:
      AppendAttr(object, "partition_of", text);
      AppendAttr(object, "inherits", text);
      for (const Object& child : object.children()) {
        if (child.kind() == ObjectKind::kColumn || with_children) {
          text += ReferenceText(child, false);
        }
      }
      break;
    case ObjectKind::kColumn:
      for (std::string_view attr : {"type", "default", "generated", "collation"}) {
        AppendAttr(object, attr, text);
      }
      break;
    case ObjectKind::kConstraint:
    case ObjectKind::kIndex:
    case ObjectKind::kTrigger:
      AppendAttr(object, "definition", text);
      break;
    case ObjectKind::kView:
    case ObjectKind::kMaterializedView:
      AppendAttr(object, "definition", text);
      if (with_children) {
        for (const Object& child : object.children()) text += ReferenceText(child, false);
      }
      break;
    case ObjectKind::kFunction:
    case ObjectKind::kProcedure:
      AppendAttr(object, "arguments", text);
      AppendAttr(object, "returns", text);
      if (HasSqlStandardBody(object)) AppendAttr(object, "body", text);
      break;
    case ObjectKind::kAggregate:
      for (std::string_view attr :
           {"arguments", "sfunc", "stype", "finalfunc", "combinefunc", "sortop"}) {
        AppendAttr(object, attr, text);
      }
      break;
    default:
      break;
  }
  return text;
}

std::vector<std::string> MentionedRoles(const Object& object) {
  std::vector<std::string> roles;
  if (object.HasAttr("owner")) roles.push_back(object.Attr("owner"));
  for (const Attribute& attr : object.attrs()) {
    if (attr.name == "acl" || StartsWith(attr.name, "column_acl.")) AddAclRoles(attr.value, roles);
  }
  if (object.kind() == ObjectKind::kTable) {
    for (const Object& child : object.children()) {
      if (child.kind() == ObjectKind::kColumn && child.HasAttr("acl")) {
        AddAclRoles(child.Attr("acl"), roles);
      }
    }
  }
  return roles;
}

}  // namespace pgtwin
