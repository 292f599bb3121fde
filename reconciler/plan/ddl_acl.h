#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgtwin::ddl {

// One entry of an ACL as PostgreSQL prints an aclitem: `grantee=privileges/grantor`.
struct AclItem {
  std::string grantee;     // the role name, unquoted; "" for PUBLIC
  std::string privileges;  // aclitem letters, each followed by '*' when grantable ("r*w")
  std::string grantor;     // the role name, unquoted

  friend bool operator==(const AclItem&, const AclItem&) = default;
};

// Parses an `acl` attribute (aclitems joined by ", ", role names quoted by PostgreSQL when
// they hold characters other than letters, digits and '_'); nullopt when malformed.
std::optional<std::vector<AclItem>> ParseAcl(std::string_view acl);

// The `acl` attribute value of these entries, as PostgreSQL prints them (names quoted when
// they hold characters other than letters, digits and '_').
std::string FormatAcl(const std::vector<AclItem>& items);

// What acldefault(kind, owner) holds: the owner's full privileges, plus PUBLIC's for
// functions ('f': EXECUTE), types ('T': USAGE) and databases ('d': TEMPORARY, CONNECT).
// Kinds: 'r' relation, 's' sequence, 'f' routine, 'T' type, 'n' schema, 'd' database,
// 'S' foreign server;
// 'c' (a column) has no default: empty.
std::vector<AclItem> DefaultAcl(char kind, const std::string& owner);

// The object a GRANT or REVOKE names, and whose defaults apply.
struct AclTarget {
  std::string object;          // as GRANT spells it: "TABLE fid.parent", "SCHEMA fid"
  char kind = 'r';             // acldefault's code (see DefaultAcl)
  std::string owner;           // the owner the object has when the statements run
  std::string observed_owner;  // the owner `observed` was read with; "" = `owner`
  std::string column;          // for column privileges: the column, quoted; else ""
};

// Statements that turn the privileges on `target` from `observed` into `desired`, both `acl`
// attribute values ("" = the default). Grantees are handled one at a time: a grantee whose
// entries differ has everything revoked and its desired privileges granted again (grants
// made by a role other than the owner run under SET ROLE). When the owner changed, the
// observed entries are read as ALTER ... OWNER TO leaves them (old owner replaced by new).
// `revoked` (optional) receives the grantees ("" = PUBLIC) whose privileges were revoked:
// revoking on a table also revokes their column privileges. nullopt when either value does
// not parse.
std::optional<std::vector<std::string>> AclSql(const AclTarget& target, std::string_view desired,
                                               std::string_view observed,
                                               std::vector<std::string>* revoked = nullptr);

// The grantee as GRANT names it: PUBLIC or the quoted role name.
std::string GranteeSql(const std::string& grantee);

}  // namespace pgtwin::ddl
