#include "reconciler/expand/expander.h"

#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <string>

#include "reconciler/expand/daemon_placement.h"
#include "reconciler/expand/prod_databases.h"
#include "reconciler/expand/replication_placement.h"
#include "reconciler/expand/rpc_placement.h"

namespace pgtwin {
namespace {

std::string ShardRange(const ProdDatabases& found) {
  return found.shards.begin()->second->name() + ".." + found.shards.rbegin()->second->name();
}

// Checks one database entry of the spec against what Prod has.
void CheckDatabase(const std::string& file, const DatabaseSpec& database, const Object& prod,
                   std::vector<SpecError>& errors) {
  ProdDatabases found = FindProdDatabases(prod, database.name);
  auto add = [&](SourceLocation where, std::string message) {
    where.file = file;
    errors.push_back(SpecError{where, std::move(message)});
  };
  if (found.plain == nullptr && found.shards.empty()) {
    add(database.where, "database '" + database.name + "' is not in Prod (neither " +
                            database.name + " nor shards " + database.name + "_pNNN)");
    return;
  }
  if (!database.shards) {
    if (found.plain == nullptr) {
      add(database.where, "database '" + database.name + "' is sharded in Prod (" +
                              std::to_string(found.shards.size()) + " shards, " +
                              ShardRange(found) + "): say how many to keep with shards: N");
    }
    return;
  }
  int shards = *database.shards;
  std::string value = "shards: " + std::to_string(shards);
  if (found.shards.empty()) {
    add(database.shards_where, value + ", but " + database.name + " is not sharded in Prod");
    return;
  }
  if (static_cast<size_t>(shards) > found.shards.size()) {
    add(database.shards_where, value + " is above Prod's " +
                                   std::to_string(found.shards.size()) + " shards of " +
                                   database.name);
    return;
  }
  for (int i = 0; i < shards; ++i) {
    if (found.shards.count(i) == 0) {
      add(database.shards_where, value + " needs shard " + std::to_string(i) + " of " +
                                     database.name + ", which Prod lacks (it has " +
                                     ShardRange(found) + ")");
      return;
    }
  }
}

bool OnSite(const DatabaseSpec& database, const std::string& site) {
  return database.sites.empty() ||
         std::find(database.sites.begin(), database.sites.end(), site) != database.sites.end();
}

// The roles every site carries: Prod's without the skipped ones, with `password` following INT
// when passwords come from INT.
std::vector<Object> DesiredRoles(const EnvironmentSpec& spec, const Object& prod,
                                 const PasswordHashes& int_passwords, PasswordHashes& used) {
  std::vector<std::unique_ptr<RE2>> skip;
  for (const std::string& pattern : spec.roles.skip) {
    skip.push_back(std::make_unique<RE2>(pattern));
  }
  bool from_int = spec.roles.passwords == "int";
  std::vector<Object> roles;
  for (const Object& child : prod.children()) {
    if (child.kind() != ObjectKind::kRole) continue;
    if (std::any_of(skip.begin(), skip.end(),
                    [&](const auto& re) { return RE2::PartialMatch(child.name(), *re); })) {
      continue;
    }
    Object role = child;
    if (from_int) {
      auto hash = int_passwords.find(role.name());
      role.SetAttr("password", hash == int_passwords.end() ? "" : "set");
      if (hash != int_passwords.end()) used.insert(*hash);
    }
    roles.push_back(std::move(role));
  }
  return roles;
}

}  // namespace

std::vector<SpecError> CheckSpecAgainstProd(const EnvironmentSpec& spec, const Object& prod) {
  std::vector<SpecError> errors;
  for (const DatabaseSpec& database : spec.databases) {
    CheckDatabase(spec.file, database, prod, errors);
  }
  if (errors.empty()) errors = CheckRpcAgainstProd(spec, prod);
  return errors;
}

DesiredState Expand(const EnvironmentSpec& spec, const Object& prod,
                    const PasswordHashes& int_passwords) {
  DesiredState state;
  state.environment = spec.environment;
  std::vector<Object> roles = DesiredRoles(spec, prod, int_passwords, state.passwords);
  for (const SiteSpec& site : spec.sites) {
    SiteSpec server = site;
    server.user.clear();
    Object cluster(ObjectKind::kCluster, server.DisplayName());
    for (const Object& role : roles) cluster.AddChild(role);
    for (const DatabaseSpec& database : spec.databases) {
      if (!OnSite(database, site.name)) continue;
      ProdDatabases found = FindProdDatabases(prod, database.name);
      if (!database.shards) {
        if (found.plain != nullptr) cluster.AddChild(*found.plain);
        continue;
      }
      for (int i = 0; i < *database.shards; ++i) {
        auto shard = found.shards.find(i);
        if (shard != found.shards.end()) cluster.AddChild(*shard->second);
      }
    }
    cluster.Normalize();
    state.sites.push_back(SiteState{site, std::move(cluster)});
  }
  PlaceReplication(state.sites);
  PlaceRpc(spec, prod, state.sites);
  state.daemons = PlaceDaemons(spec, state.sites);
  return state;
}

}  // namespace pgtwin
