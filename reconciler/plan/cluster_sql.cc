#include "reconciler/plan/cluster_sql.h"

#include "model/plan.h"
#include "reconciler/plan/ddl_acl.h"
#include "reconciler/plan/ddl_quote.h"
#include "reconciler/plan/guc_value.h"

namespace pgtwin::cluster_sql {
namespace {

using ddl::QuoteIdent;
using ddl::QuoteLiteral;

constexpr std::string_view kConfigPrefix = "config.";
constexpr std::string_view kRoleConfigPrefix = "role_config.";

// Role flags in the order CREATE ROLE lists them, with their SQL words.
struct RoleFlag {
  std::string_view attr;
  std::string_view word;
};
constexpr RoleFlag kRoleFlags[] = {
    {"superuser", "SUPERUSER"}, {"createdb", "CREATEDB"}, {"createrole", "CREATEROLE"},
    {"inherit", "INHERIT"},     {"login", "LOGIN"},       {"replication", "REPLICATION"},
    {"bypassrls", "BYPASSRLS"},
};

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string Comment(std::string_view on, const std::optional<std::string>& text) {
  return "COMMENT ON " + std::string(on) + " IS " + (text ? QuoteLiteral(*text) : "NULL");
}

std::string SetGuc(std::string_view prefix, std::string_view guc,
                   const std::optional<std::string>& value) {
  if (!value) return std::string(prefix) + " RESET " + QuoteIdent(guc);
  return std::string(prefix) + " SET " + QuoteIdent(guc) + " TO " + GucValue(guc, *value);
}

// Statements that change a database's ACL from `observed` to `desired` ("" = the default).
// `observed_owner` is the owner the observed ACL was read with; ownership has already passed
// to `owner`.
std::vector<std::string> DatabaseAcl(const std::string& name, const std::string& owner,
                                     const std::string& desired, const std::string& observed_owner,
                                     const std::string& observed) {
  ddl::AclTarget target{"DATABASE " + QuoteIdent(name), 'd', owner, observed_owner, ""};
  return ddl::AclSql(target, desired, observed).value_or(std::vector<std::string>{});
}

// Setting statements for a database's config.* and role_config.* attributes.
void DatabaseSetting(const std::string& database, std::string_view attr,
                     const std::optional<std::string>& value, const std::set<std::string>& roles,
                     std::vector<std::string>& sql) {
  if (StartsWith(attr, kConfigPrefix)) {
    sql.push_back(
        SetGuc("ALTER DATABASE " + QuoteIdent(database), attr.substr(kConfigPrefix.size()), value));
  } else if (StartsWith(attr, kRoleConfigPrefix)) {
    auto [role, guc] = SplitRoleConfig(attr.substr(kRoleConfigPrefix.size()), roles);
    sql.push_back(SetGuc("ALTER ROLE " + QuoteIdent(role) + " IN DATABASE " + QuoteIdent(database),
                         guc, value));
  }
}

}  // namespace

std::vector<std::string> CreateRole(const Object& role) {
  std::string create = "CREATE ROLE " + QuoteIdent(role.name()) + " WITH";
  for (const RoleFlag& flag : kRoleFlags) {
    create += role.HasAttr(flag.attr) ? " " : " NO";
    create += flag.word;
  }
  if (role.HasAttr("connection_limit")) {
    create += " CONNECTION LIMIT " + role.Attr("connection_limit");
  }
  if (role.HasAttr("valid_until")) {
    create += " VALID UNTIL " + QuoteLiteral(role.Attr("valid_until"));
  }
  std::vector<std::string> sql = {create};
  std::string alter = "ALTER ROLE " + QuoteIdent(role.name());
  for (const Attribute& attr : role.attrs()) {
    if (StartsWith(attr.name, kConfigPrefix)) {
      sql.push_back(
          SetGuc(alter, std::string_view(attr.name).substr(kConfigPrefix.size()), attr.value));
    }
  }
  if (role.HasAttr("comment")) {
    sql.push_back(Comment("ROLE " + QuoteIdent(role.name()), role.Attr("comment")));
  }
  return sql;
}

std::vector<std::string> AlterRole(const Object& desired,
                                   const std::vector<AttributeChange>& changes) {
  std::string alter = "ALTER ROLE " + QuoteIdent(desired.name());
  std::string options;
  std::vector<std::string> settings;
  for (const AttributeChange& change : changes) {
    bool is_flag = false;
    for (const RoleFlag& flag : kRoleFlags) {
      if (change.name != flag.attr) continue;
      options += change.source ? " " : " NO";
      options += flag.word;
      is_flag = true;
    }
    if (is_flag) continue;
    if (change.name == "connection_limit") {
      options += " CONNECTION LIMIT " + change.source.value_or("-1");
    } else if (change.name == "valid_until") {
      // NULL cannot be set again by ALTER ROLE; 'infinity' never expires either.
      options += " VALID UNTIL " + QuoteLiteral(change.source.value_or("infinity"));
    } else if (StartsWith(change.name, kConfigPrefix)) {
      settings.push_back(
          SetGuc(alter, std::string_view(change.name).substr(kConfigPrefix.size()), change.source));
    } else if (change.name == "comment") {
      settings.push_back(Comment("ROLE " + QuoteIdent(desired.name()), change.source));
    }
  }
  std::vector<std::string> sql;
  if (!options.empty()) sql.push_back(alter + " WITH" + options);
  sql.insert(sql.end(), settings.begin(), settings.end());
  return sql;
}

std::string SetPassword(std::string_view role) {
  return "ALTER ROLE " + QuoteIdent(role) + " PASSWORD " + kSecretPlaceholder;
}

std::string ClearPassword(std::string_view role) {
  return "ALTER ROLE " + QuoteIdent(role) + " PASSWORD NULL";
}

std::string DropRole(std::string_view role) { return "DROP ROLE " + QuoteIdent(role); }

std::vector<Membership> ParseMemberOf(std::string_view member_of) {
  constexpr std::string_view kAdmin = " (admin)";
  std::vector<Membership> memberships;
  size_t pos = 0;
  while (pos < member_of.size()) {
    size_t end = member_of.find(", ", pos);
    if (end == std::string_view::npos) end = member_of.size();
    std::string_view item = member_of.substr(pos, end - pos);
    Membership membership;
    if (item.size() > kAdmin.size() && item.substr(item.size() - kAdmin.size()) == kAdmin) {
      membership.admin = true;
      item.remove_suffix(kAdmin.size());
    }
    membership.group = std::string(item);
    if (!membership.group.empty()) memberships.push_back(std::move(membership));
    pos = end + 2;
  }
  return memberships;
}

std::string GrantMembership(std::string_view member, const Membership& membership) {
  return "GRANT " + QuoteIdent(membership.group) + " TO " + QuoteIdent(member) +
         (membership.admin ? " WITH ADMIN OPTION" : "");
}

std::string RevokeMembership(std::string_view member, std::string_view group) {
  return "REVOKE " + QuoteIdent(group) + " FROM " + QuoteIdent(member);
}

std::string RevokeAdminOption(std::string_view member, std::string_view group) {
  return "REVOKE ADMIN OPTION FOR " + QuoteIdent(group) + " FROM " + QuoteIdent(member);
}

std::pair<std::string, std::string> SplitRoleConfig(std::string_view rest,
                                                    const std::set<std::string>& roles) {
  size_t best = std::string_view::npos;
  for (size_t dot = rest.find('.'); dot != std::string_view::npos; dot = rest.find('.', dot + 1)) {
    if (roles.count(std::string(rest.substr(0, dot))) > 0) best = dot;
  }
  if (best == std::string_view::npos) best = rest.find('.');
  if (best == std::string_view::npos) return {std::string(rest), ""};
  return {std::string(rest.substr(0, best)), std::string(rest.substr(best + 1))};
}

std::vector<std::string> CreateDatabase(const Object& database,
                                        const std::set<std::string>& roles) {
  const std::string& name = database.name();
  std::string create = "CREATE DATABASE " + QuoteIdent(name) + " WITH TEMPLATE = template0";
  if (database.HasAttr("owner")) create += " OWNER = " + QuoteIdent(database.Attr("owner"));
  if (database.HasAttr("encoding")) {
    create += " ENCODING = " + QuoteLiteral(database.Attr("encoding"));
  }
  if (database.HasAttr("collate")) {
    create += " LC_COLLATE = " + QuoteLiteral(database.Attr("collate"));
  }
  if (database.HasAttr("ctype")) create += " LC_CTYPE = " + QuoteLiteral(database.Attr("ctype"));
  if (database.HasAttr("locale_provider")) {
    create += " LOCALE_PROVIDER = " + database.Attr("locale_provider");
  }
  if (database.HasAttr("icu_locale")) {
    create += " ICU_LOCALE = " + QuoteLiteral(database.Attr("icu_locale"));
  }
  if (database.HasAttr("connection_limit")) {
    create += " CONNECTION LIMIT = " + database.Attr("connection_limit");
  }
  if (!database.HasAttr("allow_connections")) create += " ALLOW_CONNECTIONS = false";
  std::vector<std::string> sql = {create};
  for (const Attribute& attr : database.attrs()) {
    DatabaseSetting(name, attr.name, attr.value, roles, sql);
  }
  if (database.HasAttr("acl")) {
    std::vector<std::string> acl =
        DatabaseAcl(name, database.Attr("owner"), database.Attr("acl"), "", "");
    sql.insert(sql.end(), acl.begin(), acl.end());
  }
  if (database.HasAttr("comment")) {
    sql.push_back(Comment("DATABASE " + QuoteIdent(name), database.Attr("comment")));
  }
  return sql;
}

DatabaseAlter AlterDatabase(const Object& desired, const Object& observed,
                            const std::vector<AttributeChange>& changes,
                            const std::set<std::string>& roles) {
  DatabaseAlter result;
  const std::string& name = desired.name();
  std::string alter = "ALTER DATABASE " + QuoteIdent(name);
  bool acl_changed = false;
  for (const AttributeChange& change : changes) {
    const std::string& attr = change.name;
    if (attr == "encoding" || attr == "collate" || attr == "ctype" || attr == "locale_provider" ||
        attr == "icu_locale") {
      result.replace = true;
    } else if (attr == "owner") {
      // First: the ACL statements below are written for the new owner.
      result.sql.insert(result.sql.begin(),
                        alter + " OWNER TO " + QuoteIdent(change.source.value_or("")));
      acl_changed = true;
    } else if (attr == "connection_limit") {
      result.sql.push_back(alter + " CONNECTION LIMIT " + change.source.value_or("-1"));
    } else if (attr == "allow_connections") {
      result.sql.push_back(alter + " ALLOW_CONNECTIONS " + (change.source ? "true" : "false"));
    } else if (attr == "acl") {
      acl_changed = true;
    } else if (attr == "comment") {
      result.sql.push_back(Comment("DATABASE " + QuoteIdent(name), change.source));
    } else {
      DatabaseSetting(name, attr, change.source, roles, result.sql);
    }
  }
  if (acl_changed) {
    std::vector<std::string> acl = DatabaseAcl(name, desired.Attr("owner"), desired.Attr("acl"),
                                               observed.Attr("owner"), observed.Attr("acl"));
    result.sql.insert(result.sql.end(), acl.begin(), acl.end());
  }
  if (result.replace) result.sql.clear();
  return result;
}

std::string DropDatabase(std::string_view name) { return "DROP DATABASE " + QuoteIdent(name); }

}  // namespace pgtwin::cluster_sql
