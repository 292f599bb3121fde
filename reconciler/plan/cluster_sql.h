#pragma once

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/diff.h"
#include "model/object.h"

// SQL for cluster-wide objects: roles, role memberships and databases (docs/model.md).
// Statements are complete and carry no trailing semicolon. No password hash ever appears:
// passwords are set through kSecretPlaceholder.
namespace pgtwin::cluster_sql {

// CREATE ROLE with every attribute spelled out, then its settings and comment. Neither the
// password nor memberships (separate actions).
std::vector<std::string> CreateRole(const Object& role);

// ALTER ROLE / COMMENT statements for `changes` of a role (desired = the wanted role).
// `password` and `member_of` are not handled here and are skipped.
std::vector<std::string> AlterRole(const Object& desired,
                                   const std::vector<AttributeChange>& changes);

// `ALTER ROLE r PASSWORD '<redacted>'` (kSecretPlaceholder), filled in by the executor.
std::string SetPassword(std::string_view role);
// `ALTER ROLE r PASSWORD NULL`.
std::string ClearPassword(std::string_view role);
std::string DropRole(std::string_view role);

// One group a role belongs to.
struct Membership {
  std::string group;
  bool admin = false;  // WITH ADMIN OPTION

  friend bool operator==(const Membership&, const Membership&) = default;
};

// Parses a `member_of` value ("a, b (admin)").
std::vector<Membership> ParseMemberOf(std::string_view member_of);
// GRANT group TO member [WITH ADMIN OPTION].
std::string GrantMembership(std::string_view member, const Membership& membership);
std::string RevokeMembership(std::string_view member, std::string_view group);
std::string RevokeAdminOption(std::string_view member, std::string_view group);

// Splits the rest of a `role_config.<role>.<guc>` attribute name into role and setting. Both
// may hold dots; the longest prefix that names a role of `roles` wins, else the first dot.
std::pair<std::string, std::string> SplitRoleConfig(std::string_view rest,
                                                    const std::set<std::string>& roles);

// CREATE DATABASE from template0 with its owner, encoding, locales, connection limit and
// allow_connections, then its settings, per-role settings, ACL and comment.
std::vector<std::string> CreateDatabase(const Object& database, const std::set<std::string>& roles);

// How to turn an observed database into the desired one.
struct DatabaseAlter {
  std::vector<std::string> sql;  // ALTER DATABASE ..., in order
  bool replace = false;          // encoding or locale differ: only drop and create again can fix it
};
DatabaseAlter AlterDatabase(const Object& desired, const Object& observed,
                            const std::vector<AttributeChange>& changes,
                            const std::set<std::string>& roles);

std::string DropDatabase(std::string_view name);

}  // namespace pgtwin::cluster_sql
