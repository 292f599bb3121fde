#include "reconciler/plan/rpc_planner.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "reconciler/plan/ddl_acl.h"
#include "reconciler/plan/ddl_quote.h"
#include "reconciler/plan/plan_policy.h"

namespace pgtwin {
namespace {

using ddl::QuoteIdent;
using ddl::QuoteLiteral;

// Attributes of a plproxy_cluster that are not server options.
bool IsOption(const std::string& attr) {
  return attr != "owner" && attr != "acl" && attr != "comment" && attr != "partitions" &&
         attr != "user_mappings" && attr != "config_source";
}

// The partition number of a `pN` / `partition_N` option, or nullopt.
std::optional<int> PartitionNumber(std::string_view key) {
  for (std::string_view prefix : {"partition_", "p"}) {
    if (!key.starts_with(prefix)) continue;
    std::string_view digits = key.substr(prefix.size());
    if (digits.empty() || digits.size() > 6 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    return std::stoi(std::string(digits));
  }
  return std::nullopt;
}

// A cluster's server options in the order PL/Proxy's validator accepts: the settings by name,
// then the partitions by number (they must come consecutively from 0).
std::vector<std::pair<std::string, std::string>> Options(const Object& cluster) {
  std::vector<std::pair<std::string, std::string>> options;
  for (const Attribute& attr : cluster.attrs()) {
    if (IsOption(attr.name)) options.emplace_back(attr.name, attr.value);
  }
  auto rank = [](const std::string& key) {
    std::optional<int> number = PartitionNumber(key);
    return std::make_pair(number.has_value(), number.value_or(0));
  };
  std::stable_sort(options.begin(), options.end(), [&](const auto& a, const auto& b) {
    auto ra = rank(a.first);
    auto rb = rank(b.first);
    return ra != rb ? ra < rb : a.first < b.first;
  });
  return options;
}

// One user mapping of the `user_mappings` attribute: `role(key=value, ...)`.
struct Mapping {
  std::map<std::string, std::string> options;  // without the password
  bool password = false;
};

// Parses `role(key=value, ...); role(...)` (docs/model.md).
std::map<std::string, Mapping> Mappings(const std::string& text) {
  std::map<std::string, Mapping> mappings;
  std::string_view rest = text;
  while (!rest.empty()) {
    size_t end = rest.find("); ");
    std::string_view item = rest.substr(0, end == std::string_view::npos ? rest.size() : end + 1);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 3);
    size_t open = item.find('(');
    if (open == std::string_view::npos) continue;
    Mapping& mapping = mappings[std::string(item.substr(0, open))];
    std::string_view body = item.substr(open + 1);
    if (body.ends_with(')')) body.remove_suffix(1);
    while (!body.empty()) {
      size_t comma = body.find(", ");
      std::string_view pair = body.substr(0, comma);
      body = comma == std::string_view::npos ? std::string_view() : body.substr(comma + 2);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      std::string key(pair.substr(0, eq));
      if (key == "password") {
        mapping.password = true;
      } else {
        mapping.options[key] = std::string(pair.substr(eq + 1));
      }
    }
  }
  return mappings;
}

// The role of a user mapping as CREATE USER MAPPING FOR names it.
std::string MappingRole(const std::string& role) {
  return role == "public" ? "PUBLIC" : QuoteIdent(role);
}

// ALTER ... OPTIONS (DROP/SET/ADD ...) items turning `observed` into `desired` (in order).
std::vector<std::string> OptionChanges(
    const std::vector<std::pair<std::string, std::string>>& desired,
    const std::vector<std::pair<std::string, std::string>>& observed) {
  std::map<std::string, std::string> want(desired.begin(), desired.end());
  std::map<std::string, std::string> have(observed.begin(), observed.end());
  std::vector<std::string> items;
  for (const auto& [key, value] : observed) {
    if (want.count(key) == 0) items.push_back("DROP " + QuoteIdent(key));
  }
  for (const auto& [key, value] : desired) {
    auto seen = have.find(key);
    if (seen != have.end() && seen->second == value) continue;
    items.push_back(std::string(seen == have.end() ? "ADD " : "SET ") + QuoteIdent(key) + " " +
                    QuoteLiteral(value));
  }
  return items;
}

std::string Joined(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : separator) + part;
  return out;
}

bool IsSqlMed(const Object* cluster) {
  return cluster != nullptr && !cluster->HasAttr("config_source");
}

// One action being planned.
struct Work {
  size_t site = 0;
  std::string database;
  ObjectKind kind = ObjectKind::kPlproxyCluster;
  std::string key;
  ActionOp op = ActionOp::kAlter;
  Risk risk = Risk::kSafe;
  std::vector<std::string> sql;
  std::vector<std::string> reasons;
  std::string blocked_by;
};

class RpcPlanner {
 public:
  RpcPlanner(const std::vector<SitePlanInput>& sites, const PlanOptions& options,
             size_t ddl_actions, Plan& plan)
      : sites_(sites), options_(options), policy_(options), ddl_actions_(ddl_actions),
        plan_(plan) {}

  void Run() {
    for (size_t i = 0; i < sites_.size(); ++i) {
      if (sites_[i].desired == nullptr || sites_[i].observed == nullptr) continue;
      for (const Object& database : sites_[i].desired->children()) {
        if (database.kind() != ObjectKind::kDatabase) continue;
        const Object* observed =
            sites_[i].observed->FindChild(ObjectKind::kDatabase, database.name());
        PlanClusters(i, database, observed);
        PlanPartconf(i, database, observed);
      }
    }
    Emit();
  }

 private:
  bool Ignored(ObjectKind kind, const std::string& name) const {
    return options_.ignore.Matches(kind, name, name);
  }

  void Unmanaged(size_t site, const std::string& database, ObjectKind kind,
                 const std::string& key) {
    plan_.unmanaged.push_back({sites_[site].site, database, kind, key});
  }

  void PlanClusters(size_t site, const Object& database, const Object* observed_db) {
    for (const Object& cluster : database.children()) {
      if (cluster.kind() != ObjectKind::kPlproxyCluster || !IsSqlMed(&cluster) ||
          Ignored(cluster.kind(), cluster.name())) {
        continue;
      }
      const Object* seen = observed_db == nullptr
                               ? nullptr
                               : observed_db->FindChild(cluster.kind(), cluster.name());
      PlanCluster(site, database.name(), cluster, IsSqlMed(seen) ? seen : nullptr);
    }
    if (observed_db == nullptr) return;
    for (const Object& cluster : observed_db->children()) {
      if (cluster.kind() != ObjectKind::kPlproxyCluster || !IsSqlMed(&cluster) ||
          Ignored(cluster.kind(), cluster.name()) ||
          IsSqlMed(database.FindChild(cluster.kind(), cluster.name()))) {
        continue;
      }
      const std::string key = "plproxy_cluster:" + cluster.name();
      Unmanaged(site, database.name(), cluster.kind(), key);
      if (!options_.prune || !policy_.Protection(cluster.kind(), cluster.name()).empty()) {
        continue;
      }
      Work& work = Add(site, database.name(), cluster.kind(), key, ActionOp::kDrop);
      work.risk = Risk::kDestructive;
      work.reasons.push_back("unmanaged (prune)");
      work.sql.push_back("DROP SERVER " + QuoteIdent(cluster.name()) + " CASCADE");
    }
  }

  Work& Add(size_t site, const std::string& database, ObjectKind kind, const std::string& key,
            ActionOp op) {
    Work& work = works_.emplace_back();
    work.site = site;
    work.database = database;
    work.kind = kind;
    work.key = key;
    work.op = op;
    return work;
  }

  void PlanCluster(size_t site, const std::string& database, const Object& cluster,
                   const Object* seen) {
    const std::string server = QuoteIdent(cluster.name());
    Work work;
    work.site = site;
    work.database = database;
    work.key = "plproxy_cluster:" + cluster.name();
    auto options = Options(cluster);
    if (seen == nullptr) {
      work.op = ActionOp::kCreate;
      work.reasons.push_back("missing in Test");
      std::vector<std::string> items;
      for (const auto& [key, value] : options) {
        items.push_back(QuoteIdent(key) + " " + QuoteLiteral(value));
      }
      work.sql.push_back("CREATE SERVER " + server + " FOREIGN DATA WRAPPER plproxy" +
                         (items.empty() ? "" : " OPTIONS (" + Joined(items, ", ") + ")"));
    } else {
      std::string why = policy_.Protection(cluster.kind(), cluster.name());
      std::vector<std::string> changes = OptionChanges(options, Options(*seen));
      if (!changes.empty()) {
        work.reasons.push_back(seen->Attr("partitions") != cluster.Attr("partitions")
                                   ? "partitions " + seen->Attr("partitions") + " -> " +
                                         cluster.Attr("partitions")
                                   : "options");
        work.sql.push_back("ALTER SERVER " + server + " OPTIONS (" + Joined(changes, ", ") + ")");
      }
      work.blocked_by = why;
    }
    const std::string& comment = cluster.Attr("comment");
    if (seen == nullptr ? !comment.empty() : seen->Attr("comment") != comment) {
      if (seen != nullptr) work.reasons.push_back("comment");
      work.sql.push_back("COMMENT ON SERVER " + server + " IS " +
                         (comment.empty() ? std::string("NULL") : QuoteLiteral(comment)));
    }
    const std::string& owner = cluster.Attr("owner");
    const std::string observed_owner = seen == nullptr ? owner : seen->Attr("owner");
    if (!owner.empty() && (seen == nullptr || observed_owner != owner)) {
      if (seen != nullptr) work.reasons.push_back("owner");
      work.sql.push_back("ALTER SERVER " + server + " OWNER TO " + QuoteIdent(owner));
    }
    if (!owner.empty()) {
      ddl::AclTarget target{"FOREIGN SERVER " + server, 'S', owner,
                            observed_owner.empty() ? owner : observed_owner, ""};
      auto acl = ddl::AclSql(target, cluster.Attr("acl"),
                             seen == nullptr ? "" : seen->Attr("acl"));
      if (acl && !acl->empty()) {
        if (seen != nullptr) work.reasons.push_back("privileges");
        work.sql.insert(work.sql.end(), acl->begin(), acl->end());
      }
    }
    PlanMappings(cluster, seen, work);
    if (!work.sql.empty()) works_.push_back(std::move(work));
  }

  void PlanMappings(const Object& cluster, const Object* seen, Work& work) {
    const std::string server = QuoteIdent(cluster.name());
    auto want = Mappings(cluster.Attr("user_mappings"));
    auto have = Mappings(seen == nullptr ? "" : seen->Attr("user_mappings"));
    std::vector<std::string> passwords;
    for (const auto& [role, mapping] : want) {
      auto found = have.find(role);
      std::vector<std::pair<std::string, std::string>> desired(mapping.options.begin(),
                                                               mapping.options.end());
      if (found == have.end()) {
        std::vector<std::string> items;
        for (const auto& [key, value] : desired) {
          items.push_back(QuoteIdent(key) + " " + QuoteLiteral(value));
        }
        if (seen != nullptr) work.reasons.push_back("user mapping for " + role);
        if (mapping.password) passwords.push_back(role);
        work.sql.push_back("CREATE USER MAPPING FOR " + MappingRole(role) + " SERVER " + server +
                           (items.empty() ? "" : " OPTIONS (" + Joined(items, ", ") + ")"));
        continue;
      }
      std::vector<std::pair<std::string, std::string>> observed(found->second.options.begin(),
                                                                found->second.options.end());
      std::vector<std::string> changes = OptionChanges(desired, observed);
      if (changes.empty()) continue;  // a password alone is not managed
      work.reasons.push_back("user mapping for " + role);
      work.sql.push_back("ALTER USER MAPPING FOR " + MappingRole(role) + " SERVER " + server +
                         " OPTIONS (" + Joined(changes, ", ") + ")");
    }
    if (!passwords.empty()) {
      work.reasons.push_back("Prod's user mapping for " + Joined(passwords, ", ") +
                             " has a password, which pgtwin cannot copy: created without it, "
                             "set it by hand");
    }
    for (const auto& [role, mapping] : have) {
      if (want.count(role) > 0) continue;
      const std::string key = work.key + " (user mapping for " + role + ")";
      Unmanaged(work.site, work.database, ObjectKind::kPlproxyCluster, key);
      if (!options_.prune) continue;
      work.reasons.push_back("unmanaged user mapping for " + role + " (prune)");
      work.risk = Risk::kDestructive;
      work.sql.push_back("DROP USER MAPPING FOR " + MappingRole(role) + " SERVER " + server);
    }
  }

  void PlanPartconf(size_t site, const Object& database, const Object* observed_db) {
    std::vector<const Object*> want;
    std::vector<const Object*> have;
    for (const Object& row : database.children()) {
      if (row.kind() == ObjectKind::kPartconf && !Ignored(row.kind(), row.name())) {
        want.push_back(&row);
      }
    }
    if (observed_db != nullptr) {
      for (const Object& row : observed_db->children()) {
        if (row.kind() == ObjectKind::kPartconf && !Ignored(row.kind(), row.name())) {
          have.push_back(&row);
        }
      }
    }
    bool same = want.size() == have.size() &&
                std::equal(want.begin(), want.end(), have.begin(),
                           [](const Object* a, const Object* b) { return *a == *b; });
    if (same) return;
    const std::string protection = policy_.Protection(ObjectKind::kTable, "partconf.conf");
    if (want.empty()) {
      for (const Object* row : have) {
        Unmanaged(site, database.name(), row->kind(), "partconf:" + row->name());
      }
      if (!options_.prune || !protection.empty() || !HasPartconfTable(database)) return;
      Work& work = Add(site, database.name(), ObjectKind::kPartconf, "partconf:conf",
                       ActionOp::kDrop);
      work.risk = Risk::kDestructive;
      work.reasons.push_back("rows only Test has (prune): a data write, DELETE");
      work.sql.push_back("DELETE FROM partconf.conf");
      return;
    }
    Work& work = Add(site, database.name(), ObjectKind::kPartconf, "partconf:conf",
                     have.empty() ? ActionOp::kCreate : ActionOp::kAlter);
    work.reasons.push_back(std::string(have.empty() ? "no rows in Test" : "rows differ") +
                           ": a data write, DELETE FROM partconf.conf and INSERT of the " +
                           std::to_string(want.size()) + " desired row(s)");
    work.blocked_by = have.empty() ? "" : protection;
    work.sql.push_back("DELETE FROM partconf.conf");
    for (const Object* row : want) {
      std::vector<std::string> columns;
      std::vector<std::string> values;
      for (const Attribute& attr : row->attrs()) {
        columns.push_back(QuoteIdent(attr.name));
        values.push_back(QuoteLiteral(attr.value));
      }
      work.sql.push_back("INSERT INTO partconf.conf (" + Joined(columns, ", ") + ") VALUES (" +
                         Joined(values, ", ") + ")");
    }
  }

  // True when the desired database has the table partconf.conf.
  static bool HasPartconfTable(const Object& database) {
    const Object* schema = database.FindChild(ObjectKind::kSchema, "partconf");
    return schema != nullptr && schema->FindChild(ObjectKind::kTable, "conf") != nullptr;
  }

  void Emit() {
    for (Work& work : works_) {
      Action action;
      action.id = static_cast<int>(plan_.actions.size());
      action.site = sites_[work.site].site;
      action.database = work.database;
      action.op = work.op;
      action.kind = work.kind;
      action.key = work.key;
      action.reason = Joined(work.reasons, ", ");
      action.risk = work.risk;
      action.sql = std::move(work.sql);
      action.blocked_by = work.blocked_by;
      for (size_t i = 0; i < ddl_actions_ && i < plan_.actions.size(); ++i) {
        const Action& before = plan_.actions[i];
        if (before.site == action.site && before.blocked_by.empty() &&
            (before.database.empty() || before.database == action.database)) {
          action.depends_on.push_back(before.id);
        }
      }
      plan_.actions.push_back(std::move(action));
    }
  }

  const std::vector<SitePlanInput>& sites_;
  const PlanOptions& options_;
  PlanPolicy policy_;
  size_t ddl_actions_;
  Plan& plan_;
  std::vector<Work> works_;
};

}  // namespace

void PlanRpc(const std::vector<SitePlanInput>& sites, const PlanOptions& options,
             size_t ddl_actions, Plan& plan) {
  RpcPlanner(sites, options, ddl_actions, plan).Run();
}

}  // namespace pgtwin
