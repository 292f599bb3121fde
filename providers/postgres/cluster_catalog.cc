#include "providers/postgres/cluster_catalog.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "providers/postgres/catalog_sql.h"

namespace pgtwin {
namespace {

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += ", ";
    out += p;
  }
  return out;
}

std::unordered_map<uint32_t, Object> ReadRoles(QueryRunner& runner, bool authid_readable) {
  pqxx::result rows = runner.Run("roles", catalog_sql::Roles(authid_readable));
  const auto oid = rows.column_number("oid"), name = rows.column_number("rolname"),
             super = rows.column_number("rolsuper"), inherit = rows.column_number("rolinherit"),
             createrole = rows.column_number("rolcreaterole"),
             createdb = rows.column_number("rolcreatedb"),
             login = rows.column_number("rolcanlogin"),
             replication = rows.column_number("rolreplication"),
             bypassrls = rows.column_number("rolbypassrls"),
             connlimit = rows.column_number("rolconnlimit"),
             valid_until = rows.column_number("valid_until"),
             password = rows.column_number("has_password"),
             comment = rows.column_number("description");
  std::unordered_map<uint32_t, Object> roles;
  for (const pqxx::row& row : rows) {
    Object role(ObjectKind::kRole, Text(row[name]));
    role.SetFlag("superuser", Flag(row[super]));
    role.SetFlag("inherit", Flag(row[inherit]));
    role.SetFlag("createrole", Flag(row[createrole]));
    role.SetFlag("createdb", Flag(row[createdb]));
    role.SetFlag("login", Flag(row[login]));
    role.SetFlag("replication", Flag(row[replication]));
    role.SetFlag("bypassrls", Flag(row[bypassrls]));
    if (Int(row[connlimit]) != -1) role.SetAttr("connection_limit", Text(row[connlimit]));
    // 'infinity' never expires, as NULL does; ALTER ROLE can set only the former.
    std::string expiry = Text(row[valid_until]);
    role.SetAttr("valid_until", expiry == "infinity" ? "" : expiry);
    role.SetAttr("password", Flag(row[password]) ? "set" : "");
    role.SetAttr("comment", Text(row[comment]));
    roles.emplace(Oid(row[oid]), std::move(role));
  }
  return roles;
}

void ReadMemberships(QueryRunner& runner, std::unordered_map<uint32_t, Object>& roles) {
  pqxx::result rows = runner.Run("role memberships", catalog_sql::Memberships());
  const auto member = rows.column_number("member"), group = rows.column_number("group_name"),
             admin = rows.column_number("admin");
  std::unordered_map<uint32_t, std::vector<std::string>> groups;
  for (const pqxx::row& row : rows) {
    if (roles.count(Oid(row[member])) == 0) continue;
    groups[Oid(row[member])].push_back(Text(row[group]) + (Flag(row[admin]) ? " (admin)" : ""));
  }
  for (auto& [oid, names] : groups) {
    std::sort(names.begin(), names.end());
    roles.at(oid).SetAttr("member_of", Join(names));
  }
}

std::string LocaleProvider(const std::string& code) {
  if (code == "i") return "icu";
  if (code == "b") return "builtin";
  return "";  // libc, the default
}

std::vector<DatabaseEntry> ReadDatabases(QueryRunner& runner, const CatalogFeatures& features,
                                         std::unordered_map<uint32_t, size_t>& by_oid) {
  pqxx::result rows = runner.Run("databases", catalog_sql::Databases(features));
  const auto oid = rows.column_number("oid"), name = rows.column_number("datname"),
             owner = rows.column_number("owner"), encoding = rows.column_number("encoding"),
             collate = rows.column_number("collate"), ctype = rows.column_number("ctype"),
             provider = rows.column_number("locale_provider"),
             icu = rows.column_number("icu_locale"), connlimit = rows.column_number("datconnlimit"),
             allow = rows.column_number("datallowconn"),
             is_template = rows.column_number("datistemplate"), acl = rows.column_number("acl"),
             comment = rows.column_number("description");
  std::vector<DatabaseEntry> databases;
  for (const pqxx::row& row : rows) {
    DatabaseEntry entry;
    entry.node = Object(ObjectKind::kDatabase, Text(row[name]));
    entry.allow_connections = Flag(row[allow]);
    entry.is_template = Flag(row[is_template]);
    Object& db = entry.node;
    db.SetAttr("owner", Text(row[owner]));
    db.SetAttr("encoding", Text(row[encoding]));
    db.SetAttr("collate", Text(row[collate]));
    db.SetAttr("ctype", Text(row[ctype]));
    db.SetAttr("locale_provider", LocaleProvider(Text(row[provider])));
    db.SetAttr("icu_locale", Text(row[icu]));
    if (Int(row[connlimit]) != -1) db.SetAttr("connection_limit", Text(row[connlimit]));
    db.SetFlag("allow_connections", entry.allow_connections);
    db.SetAttr("acl", Text(row[acl]));
    db.SetAttr("comment", Text(row[comment]));
    by_oid.emplace(Oid(row[oid]), databases.size());
    databases.push_back(std::move(entry));
  }
  return databases;
}

// pg_db_role_setting: per role (database 0), per database (role 0), per role in a database.
void ReadRoleSettings(QueryRunner& runner, std::unordered_map<uint32_t, Object>& roles,
                      std::vector<DatabaseEntry>& databases,
                      const std::unordered_map<uint32_t, size_t>& database_by_oid) {
  pqxx::result rows = runner.Run("role settings", catalog_sql::RoleSettings());
  const auto database = rows.column_number("setdatabase"), role = rows.column_number("setrole"),
             role_name = rows.column_number("rolname"), config = rows.column_number("setconfig");
  for (const pqxx::row& row : rows) {
    uint32_t database_oid = Oid(row[database]);
    uint32_t role_oid = Oid(row[role]);
    Object* target = nullptr;
    std::string prefix = "config.";
    if (database_oid == 0) {
      auto it = roles.find(role_oid);
      if (it != roles.end()) target = &it->second;
    } else if (auto it = database_by_oid.find(database_oid); it != database_by_oid.end()) {
      target = &databases[it->second].node;
      if (role_oid != 0) prefix = "role_config." + Text(row[role_name]) + ".";
    }
    if (target == nullptr) continue;
    for (auto& [guc, value] : ConfigEntries(row[config])) target->SetAttr(prefix + guc, value);
  }
}

void ReadSettings(QueryRunner& runner, Object& cluster) {
  pqxx::result rows = runner.Run("settings", catalog_sql::Settings());
  for (const pqxx::row& row : rows) cluster.SetAttr("setting." + Text(row[0]), Text(row[1]));
}

}  // namespace

ClusterCatalog ReadClusterCatalog(QueryRunner& runner, const CatalogFeatures& features,
                                  std::string cluster_name) {
  runner.Run("cluster snapshot", catalog_sql::BeginSnapshot());
  bool authid_readable = Flag(runner.Run("roles", catalog_sql::AuthidReadable())[0][0]);
  std::unordered_map<uint32_t, Object> roles = ReadRoles(runner, authid_readable);
  ReadMemberships(runner, roles);
  std::unordered_map<uint32_t, size_t> database_by_oid;
  ClusterCatalog catalog;
  catalog.databases = ReadDatabases(runner, features, database_by_oid);
  ReadRoleSettings(runner, roles, catalog.databases, database_by_oid);
  catalog.cluster = Object(ObjectKind::kCluster, std::move(cluster_name));
  catalog.cluster.SetAttr("major_version", features.MajorVersion());
  ReadSettings(runner, catalog.cluster);
  runner.Run("cluster snapshot", catalog_sql::Commit());
  for (auto& [oid, role] : roles) catalog.cluster.AddChild(std::move(role));
  return catalog;
}

}  // namespace pgtwin
