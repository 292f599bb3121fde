#include "reconciler/plan/ddl_acl.h"

#include <algorithm>
#include <map>

#include "reconciler/plan/ddl_quote.h"

namespace pgtwin::ddl {
namespace {

// The order aclitemout prints privilege letters in.
constexpr std::string_view kLetterOrder = "arwdDxtXUCTcsAm";

std::string_view PrivilegeName(char letter) {
  switch (letter) {
    case 'a':
      return "INSERT";
    case 'r':
      return "SELECT";
    case 'w':
      return "UPDATE";
    case 'd':
      return "DELETE";
    case 'D':
      return "TRUNCATE";
    case 'x':
      return "REFERENCES";
    case 't':
      return "TRIGGER";
    case 'X':
      return "EXECUTE";
    case 'U':
      return "USAGE";
    case 'C':
      return "CREATE";
    case 'c':
      return "CONNECT";
    case 'T':
      return "TEMPORARY";
    case 's':
      return "SET";
    case 'A':
      return "ALTER SYSTEM";
    case 'm':
      return "MAINTAIN";
    default:
      return "";
  }
}

// Everything GRANT ALL gives an object of this kind (PostgreSQL 15).
std::string_view AllPrivileges(char kind) {
  switch (kind) {
    case 'r':
      return "arwdDxt";
    case 's':
      return "rwU";
    case 'f':
      return "X";
    case 'T':
      return "U";
    case 'n':
      return "UC";
    case 'd':
      return "CTc";
    case 'S':
      return "U";
    case 'c':
      return "arwx";
    default:
      return "";
  }
}

// A role name as aclitem prints it: bare, or in double quotes with inner quotes doubled.
// Reads up to (not including) one of `stops` outside quotes; advances `at`.
std::optional<std::string> ParseName(std::string_view text, size_t& at, std::string_view stops) {
  std::string name;
  if (at < text.size() && text[at] == '"') {
    for (++at; at < text.size(); ++at) {
      if (text[at] == '"') {
        if (at + 1 < text.size() && text[at + 1] == '"') {
          name += '"';
          ++at;
          continue;
        }
        ++at;
        return name;
      }
      name += text[at];
    }
    return std::nullopt;  // unterminated
  }
  while (at < text.size() && stops.find(text[at]) == std::string_view::npos) name += text[at++];
  return name;
}

// Privilege letters in print order, each with its '*'.
std::string Canonical(std::string_view privileges) {
  std::string out;
  for (char letter : kLetterOrder) {
    size_t at = privileges.find(letter);
    if (at == std::string_view::npos) continue;
    out += letter;
    if (at + 1 < privileges.size() && privileges[at + 1] == '*') out += '*';
  }
  return out;
}

// "SELECT, UPDATE" (or "ALL"); with a column, "SELECT (c), UPDATE (c)" (or "ALL (c)").
std::string PrivilegeList(std::string_view letters, const AclTarget& target) {
  std::string suffix = target.column.empty() ? "" : " (" + target.column + ")";
  if (letters == AllPrivileges(target.kind)) return "ALL" + suffix;
  std::string out;
  for (char letter : letters) {
    if (!out.empty()) out += ", ";
    out += std::string(PrivilegeName(letter)) + suffix;
  }
  return out;
}

// "ON TABLE t" part shared by GRANT and REVOKE.
std::string OnObject(const AclTarget& target) { return " ON " + target.object; }

// Wraps statements run as `grantor` when it is not the owner.
void AsGrantor(const std::string& grantor, const AclTarget& target, std::vector<std::string> sql,
               std::vector<std::string>& out) {
  bool other = !target.owner.empty() && grantor != target.owner;
  if (other) out.push_back("SET ROLE " + QuoteIdent(grantor));
  out.insert(out.end(), sql.begin(), sql.end());
  if (other) out.push_back("RESET ROLE");
}

std::vector<std::string> GrantSql(const AclItem& item, const AclTarget& target) {
  std::string plain;
  std::string grantable;
  for (size_t i = 0; i < item.privileges.size(); ++i) {
    bool star = i + 1 < item.privileges.size() && item.privileges[i + 1] == '*';
    (star ? grantable : plain) += item.privileges[i];
    if (star) ++i;
  }
  std::vector<std::string> sql;
  std::string to = " TO " + GranteeSql(item.grantee);
  if (!plain.empty())
    sql.push_back("GRANT " + PrivilegeList(plain, target) + OnObject(target) + to);
  if (!grantable.empty()) {
    sql.push_back("GRANT " + PrivilegeList(grantable, target) + OnObject(target) + to +
                  " WITH GRANT OPTION");
  }
  return sql;
}

// Entries by grantee, each grantee's sorted, with canonical privilege strings.
std::map<std::string, std::vector<AclItem>> ByGrantee(std::vector<AclItem> items) {
  std::map<std::string, std::vector<AclItem>> out;
  for (AclItem& item : items) {
    item.privileges = Canonical(item.privileges);
    out[item.grantee].push_back(std::move(item));
  }
  for (auto& [grantee, list] : out) {
    std::sort(list.begin(), list.end(), [](const AclItem& a, const AclItem& b) {
      return a.grantor != b.grantor ? a.grantor < b.grantor : a.privileges < b.privileges;
    });
  }
  return out;
}

// A role name as aclitemout's putid writes it.
std::string PutId(const std::string& name) {
  bool plain = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (c & 0x80) != 0;
  });
  if (plain) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string FormatAcl(const std::vector<AclItem>& items) {
  std::string out;
  for (const AclItem& item : items) {
    if (!out.empty()) out += ", ";
    out += PutId(item.grantee) + "=" + item.privileges + "/" + PutId(item.grantor);
  }
  return out;
}

std::optional<std::vector<AclItem>> ParseAcl(std::string_view acl) {
  std::vector<AclItem> items;
  size_t at = 0;
  while (at < acl.size()) {
    AclItem item;
    auto grantee = ParseName(acl, at, "=");
    if (!grantee || at >= acl.size() || acl[at] != '=') return std::nullopt;
    ++at;
    while (at < acl.size() && acl[at] != '/') item.privileges += acl[at++];
    if (at >= acl.size()) return std::nullopt;
    ++at;
    auto grantor = ParseName(acl, at, ",");
    if (!grantor || grantor->empty()) return std::nullopt;
    item.grantee = *grantee;
    item.grantor = *grantor;
    items.push_back(std::move(item));
    if (at < acl.size()) {
      if (acl.substr(at, 2) != ", ") return std::nullopt;
      at += 2;
    }
  }
  return items;
}

std::vector<AclItem> DefaultAcl(char kind, const std::string& owner) {
  std::vector<AclItem> items;
  if (kind == 'c') return items;
  items.push_back({owner, std::string(AllPrivileges(kind)), owner});
  if (kind == 'f') items.push_back({"", "X", owner});
  if (kind == 'T') items.push_back({"", "U", owner});
  if (kind == 'd') items.push_back({"", "Tc", owner});
  return items;
}

std::string GranteeSql(const std::string& grantee) {
  return grantee.empty() ? "PUBLIC" : QuoteIdent(grantee);
}

std::optional<std::vector<std::string>> AclSql(const AclTarget& target, std::string_view desired,
                                               std::string_view observed,
                                               std::vector<std::string>* revoked) {
  const std::string& old_owner =
      target.observed_owner.empty() ? target.owner : target.observed_owner;
  auto want = desired.empty() ? DefaultAcl(target.kind, target.owner) : ParseAcl(desired);
  auto have = observed.empty() ? DefaultAcl(target.kind, old_owner) : ParseAcl(observed);
  if (!want || !have) return std::nullopt;
  for (AclItem& item : *have) {  // ALTER ... OWNER TO rewrites the old owner's entries
    if (item.grantee == old_owner) item.grantee = target.owner;
    if (item.grantor == old_owner) item.grantor = target.owner;
  }
  auto want_by = ByGrantee(*want);
  auto have_by = ByGrantee(*have);
  std::vector<std::string> grantees;
  for (const auto& [grantee, unused] : want_by) grantees.push_back(grantee);
  for (const auto& [grantee, unused] : have_by) {
    if (!want_by.count(grantee)) grantees.push_back(grantee);
  }
  std::sort(grantees.begin(), grantees.end());
  // Revokes first, grants made by others before the owner's grant options they rest on go;
  // then the owner's grants before the grants others make with them.
  std::vector<std::string> changed;
  for (const std::string& grantee : grantees) {
    if (want_by[grantee] == have_by[grantee]) continue;
    changed.push_back(grantee);
    if (!have_by[grantee].empty() && revoked != nullptr) revoked->push_back(grantee);
  }
  auto revoke = [&target](const std::string& grantee) {
    return "REVOKE ALL" + (target.column.empty() ? std::string() : " (" + target.column + ")") +
           OnObject(target) + " FROM " + GranteeSql(grantee);
  };
  std::vector<std::string> sql;
  for (bool by_owner : {false, true}) {
    for (const std::string& grantee : changed) {
      bool revoke_as_owner = false;
      for (const AclItem& item : have_by[grantee]) {
        if ((item.grantor == target.owner) != by_owner) continue;
        if (by_owner) {
          revoke_as_owner = true;
        } else {
          AsGrantor(item.grantor, target, {revoke(grantee)}, sql);
        }
      }
      if (revoke_as_owner) sql.push_back(revoke(grantee));
    }
  }
  for (bool by_owner : {true, false}) {
    for (const std::string& grantee : changed) {
      for (const AclItem& item : want_by[grantee]) {
        if ((item.grantor == target.owner) == by_owner) {
          AsGrantor(item.grantor, target, GrantSql(item, target), sql);
        }
      }
    }
  }
  return sql;
}

}  // namespace pgtwin::ddl
