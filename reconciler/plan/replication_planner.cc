#include "reconciler/plan/replication_planner.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "reconciler/plan/ddl_quote.h"
#include "reconciler/plan/plan_policy.h"
#include "reconciler/plan/replication_sql.h"

namespace pgtwin {
namespace {

using ddl::QuoteLiteral;
using replication_sql::Checked;
using replication_sql::LiteralOrNull;
using replication_sql::TableAttrs;
using replication_sql::TextArray;
using replication_sql::TriggerArgs;

// Queue settings pgq.set_queue_config takes, with pgq.queue's defaults (absent = default).
const std::vector<std::pair<const char*, const char*>>& QueueSettings() {
  static const std::vector<std::pair<const char*, const char*>> settings = {
      {"ntables", "3"},
      {"rotation_period", "02:00:00"},
      {"ticker_max_count", "500"},
      {"ticker_max_lag", "00:00:03"},
      {"ticker_idle_period", "00:01:00"},
      {"ticker_paused", "false"},
      {"per_tx_limit", ""},
      {"external_ticker", "false"},
      {"disable_insert", "false"},
  };
  return settings;
}

const Object* Child(const Object* parent, ObjectKind kind, const std::string& name) {
  return parent == nullptr ? nullptr : parent->FindChild(kind, name);
}

bool SameAttrsWithPrefix(const Object& a, const Object& b, std::string_view prefix) {
  auto pick = [&](const Object& o) {
    std::map<std::string, std::string> out;
    for (const Attribute& attr : o.attrs()) {
      if (attr.name.starts_with(prefix)) out[attr.name] = attr.value;
    }
    return out;
  };
  return pick(a) == pick(b);
}

// The action of one node being planned.
struct NodeWork {
  size_t site = 0;
  std::string database;
  std::string queue;
  std::string node_name;
  std::string provider;  // "" for a root
  int depth = 0;         // root 0, branch 1, leaf 2: providers are planned first
  ActionOp op = ActionOp::kAlter;
  std::vector<std::string> sql;
  std::vector<std::string> reasons;
  std::string blocked_by;
  Risk risk = Risk::kSafe;
};

class ReplicationPlanner {
 public:
  ReplicationPlanner(const std::vector<SitePlanInput>& sites, const PlanOptions& options,
                     Plan& plan)
      : sites_(sites), options_(options), policy_(options), plan_(plan) {}

  void Run() {
    for (size_t i = 0; i < sites_.size(); ++i) {
      if (sites_[i].desired == nullptr || sites_[i].observed == nullptr) continue;
      for (const Object& database : sites_[i].desired->children()) {
        if (database.kind() != ObjectKind::kDatabase) continue;
        PlanDatabase(i, database,
                     Child(sites_[i].observed, ObjectKind::kDatabase, database.name()));
      }
    }
    Emit();
  }

 private:
  bool Ignored(ObjectKind kind, const std::string& name, const std::string& qualified) const {
    return options_.ignore.Matches(kind, name, qualified);
  }

  void Unmanaged(size_t site, const std::string& database, ObjectKind kind,
                 const std::string& key) {
    plan_.unmanaged.push_back({sites_[site].site, database, kind, key});
  }

  void PlanDatabase(size_t site, const Object& desired, const Object* observed) {
    for (const Object& node : desired.children()) {
      if (node.kind() != ObjectKind::kPgqNode) continue;
      if (Ignored(node.kind(), node.name(), node.name())) continue;
      PlanNode(site, desired, node, observed);
    }
    if (observed == nullptr) return;
    for (const Object& node : observed->children()) {
      if (node.kind() == ObjectKind::kPgqNode && desired.FindChild(node.kind(), node.name()) ==
                                                     nullptr &&
          !Ignored(node.kind(), node.name(), node.name())) {
        Unmanaged(site, desired.name(), node.kind(), "pgq_node:" + node.name());
      }
    }
  }

  void PlanNode(size_t site, const Object& database, const Object& node, const Object* observed_db) {
    const Object* observed = Child(observed_db, ObjectKind::kPgqNode, node.name());
    const std::string q = QuoteLiteral(node.name());
    const std::string& type = node.Attr("node_type");
    const std::string& name = node.Attr("node_name");
    NodeWork work;
    work.site = site;
    work.database = database.name();
    work.queue = node.name();
    work.node_name = name;
    work.provider = node.Attr("provider_node");
    work.depth = type == "root" ? 0 : type == "branch" ? 1 : 2;
    bool created = observed == nullptr || !observed->HasAttr("node_type");
    if (!created) {
      for (const char* attr : {"node_type", "node_name", "provider_node", "worker_name"}) {
        if (node.Attr(attr) != observed->Attr(attr)) {
          work.blocked_by = std::string("the node's ") + attr + " is '" + observed->Attr(attr) +
                            "', Prod's '" + node.Attr(attr) +
                            "': changing it is a londiste takeover or change-provider, which "
                            "pgtwin does not plan";
        }
      }
    }
    // Locations: all before create_node (it needs the provider's); on an existing node only
    // what is missing or different (on a root each call queues an event).
    for (const Object& location : node.children()) {
      if (location.kind() != ObjectKind::kPgqLocation) continue;
      const Object* seen = Child(observed, ObjectKind::kPgqLocation, location.name());
      if (!created && seen != nullptr && seen->Attr("location") == location.Attr("location") &&
          seen->Attr("dead") == location.Attr("dead")) {
        continue;
      }
      if (!created) work.reasons.push_back("location " + location.name());
      work.sql.push_back(Checked("pgq_node.register_location(" + q + ", " +
                                 QuoteLiteral(location.name()) + ", " +
                                 QuoteLiteral(location.Attr("location")) + ", " +
                                 (location.Attr("dead") == "true" ? "true" : "false") + ")"));
    }
    if (created) {
      work.op = ActionOp::kCreate;
      work.reasons.push_back("missing in Test");
      bool root = type == "root";
      work.sql.push_back(Checked(
          "pgq_node.create_node(" + q + ", " + QuoteLiteral(type) + ", " + QuoteLiteral(name) +
          ", " + QuoteLiteral(node.Attr("worker_name")) + ", " +
          (root ? "NULL" : QuoteLiteral(work.provider)) + ", " + (root ? "NULL" : "1") + ", " +
          LiteralOrNull(node.Attr("combined_queue")) + ")"));
    }
    PlanQueue(database, node, observed_db, work);
    PlanTables(node, observed, work);
    PlanSequences(node, observed, work);
    PlanSubscribers(node, observed, work);
    if (observed != nullptr) {
      for (const Object& child : observed->children()) {
        if ((child.kind() == ObjectKind::kPgqLocation ||
             child.kind() == ObjectKind::kPgqSubscriber) &&
            node.FindChild(child.kind(), child.name()) == nullptr) {
          Unmanaged(site, work.database, child.kind(), node.name() + "." + child.name());
        }
      }
    }
    if (!work.sql.empty() || !work.blocked_by.empty()) works_.push_back(std::move(work));
  }

  void PlanQueue(const Object& database, const Object& node, const Object* observed_db,
                 NodeWork& work) {
    const Object* queue = database.FindChild(ObjectKind::kPgqQueue, node.name());
    if (queue == nullptr) return;
    const Object* seen = Child(observed_db, ObjectKind::kPgqQueue, node.name());
    const std::string q = QuoteLiteral(node.name());
    Object defaults(ObjectKind::kPgqQueue, node.name());
    const Object& observed = seen == nullptr ? defaults : *seen;
    for (const auto& [setting, fallback] : QueueSettings()) {
      auto value = [&](const Object& o) {
        return o.HasAttr(setting) ? o.Attr(setting) : std::string(fallback);
      };
      std::string want = value(*queue);
      if (want == value(observed) || want.empty()) continue;
      work.reasons.push_back(std::string("queue setting ") + setting);
      work.sql.push_back("SELECT pgq.set_queue_config(" + q + ", " + QuoteLiteral(setting) + ", " +
                         QuoteLiteral(want) + ")");
    }
    for (const Object& consumer : queue->children()) {
      bool subscriber = false;
      for (const Object& child : node.children()) {
        subscriber |= child.kind() == ObjectKind::kPgqSubscriber &&
                      child.Attr("worker_name") == consumer.name();
      }
      if (subscriber || observed.FindChild(consumer.kind(), consumer.name()) != nullptr) continue;
      work.reasons.push_back("consumer " + consumer.name());
      work.sql.push_back("SELECT pgq.register_consumer(" + q + ", " +
                         QuoteLiteral(consumer.name()) + ")");
    }
    for (const Object& consumer : observed.children()) {
      if (queue->FindChild(consumer.kind(), consumer.name()) == nullptr) {
        Unmanaged(work.site, work.database, consumer.kind(), node.name() + "." + consumer.name());
      }
    }
  }

  void PlanTables(const Object& node, const Object* observed, NodeWork& work) {
    const std::string q = QuoteLiteral(node.name());
    const std::string& type = node.Attr("node_type");
    bool root = type == "root";
    for (const Object& table : node.children()) {
      if (table.kind() != ObjectKind::kLondisteTable) continue;
      if (Ignored(table.kind(), table.name(), node.name() + "." + table.name())) continue;
      const std::string t = QuoteLiteral(table.name());
      std::vector<std::string> args = TriggerArgs(table);
      std::string attrs = LiteralOrNull(TableAttrs(table));
      const Object* seen = Child(observed, ObjectKind::kLondisteTable, table.name());
      if (seen == nullptr) {
        work.reasons.push_back("table " + table.name());
        if (!root) {
          work.sql.push_back(Checked("londiste.global_add_table(" + q + ", " + t + ")"));
          args.push_back("expect_sync");
        }
        work.sql.push_back(Checked("londiste.local_add_table(" + q + ", " + t + ", " +
                                   TextArray(args) + ", " + attrs + ", " +
                                   LiteralOrNull(table.Attr("dest_table")) + ")"));
        continue;
      }
      if (seen->Attr("handler") != table.Attr("handler") ||
          !SameAttrsWithPrefix(table, *seen, "handler_arg.") ||
          !SameAttrsWithPrefix(table, *seen, "table_attr.")) {
        work.reasons.push_back("handler of table " + table.name());
        work.sql.push_back(Checked("londiste.local_change_handler(" + q + ", " + t + ", " +
                                   TextArray(args) + ", " + attrs + ")"));
      } else if (seen->Attr("trigger") != table.Attr("trigger") ||
                 seen->Attr("truncate_trigger") != table.Attr("truncate_trigger")) {
        work.reasons.push_back("triggers of table " + table.name());
        std::string dest = table.HasAttr("dest_table") ? table.Attr("dest_table") : table.name();
        // create_trigger adds a missing truncate trigger but never changes one: drop first.
        // drop_table_triggers returns void: nothing to check.
        work.sql.push_back("SELECT londiste.drop_table_triggers(" + q + ", " + t + ")");
        work.sql.push_back(Checked("londiste.create_trigger(" + q + ", " + t + ", " +
                                   TextArray(args) + ", " + QuoteLiteral(dest) + ", " +
                                   QuoteLiteral(type) + ")"));
      }
    }
    if (observed == nullptr) return;
    for (const Object& table : observed->children()) {
      if (table.kind() != ObjectKind::kLondisteTable ||
          node.FindChild(table.kind(), table.name()) != nullptr ||
          Ignored(table.kind(), table.name(), node.name() + "." + table.name())) {
        continue;
      }
      Unmanaged(work.site, work.database, table.kind(), node.name() + "." + table.name());
      if (!options_.prune ||
          !policy_.Protection(table.kind(), table.name()).empty()) {
        continue;
      }
      work.reasons.push_back("unmanaged table " + table.name());
      work.risk = Risk::kDestructive;
      work.sql.push_back(Checked("londiste.local_remove_table(" + q + ", " +
                                 QuoteLiteral(table.name()) + ")"));
    }
  }

  void PlanSequences(const Object& node, const Object* observed, NodeWork& work) {
    const std::string q = QuoteLiteral(node.name());
    bool root = node.Attr("node_type") == "root";
    for (const Object& seq : node.children()) {
      if (seq.kind() != ObjectKind::kLondisteSequence ||
          Child(observed, seq.kind(), seq.name()) != nullptr) {
        continue;
      }
      const std::string s = QuoteLiteral(seq.name());
      work.reasons.push_back("sequence " + seq.name());
      if (!root) {
        // The registry entry first, at the sequence's own value (the root's worker events
        // move it on).
        work.sql.push_back(Checked("londiste.global_update_seq(" + q + ", " + s +
                                   ", (SELECT last_value FROM " + ddl::QuoteDotted(seq.name()) +
                                   "))"));
      }
      work.sql.push_back(Checked("londiste.local_add_seq(" + q + ", " + s + ")"));
    }
    if (observed == nullptr) return;
    for (const Object& seq : observed->children()) {
      if (seq.kind() != ObjectKind::kLondisteSequence ||
          node.FindChild(seq.kind(), seq.name()) != nullptr) {
        continue;
      }
      Unmanaged(work.site, work.database, seq.kind(), node.name() + "." + seq.name());
      if (!options_.prune || !policy_.Protection(seq.kind(), seq.name()).empty()) continue;
      work.reasons.push_back("unmanaged sequence " + seq.name());
      work.risk = Risk::kDestructive;
      work.sql.push_back(Checked("londiste.local_remove_seq(" + q + ", " +
                                 QuoteLiteral(seq.name()) + ")"));
    }
  }

  void PlanSubscribers(const Object& node, const Object* observed, NodeWork& work) {
    const std::string q = QuoteLiteral(node.name());
    for (const Object& subscriber : node.children()) {
      if (subscriber.kind() != ObjectKind::kPgqSubscriber ||
          Child(observed, subscriber.kind(), subscriber.name()) != nullptr) {
        continue;
      }
      // Not idempotent: only when observation lacks it. Its location was registered above.
      work.reasons.push_back("subscriber " + subscriber.name());
      work.sql.push_back(Checked("pgq_node.register_subscriber(" + q + ", " +
                                 QuoteLiteral(subscriber.name()) + ", " +
                                 QuoteLiteral(subscriber.Attr("worker_name")) + ", NULL)"));
    }
  }

  // Orders the nodes (providers first), turns them into actions after the sites' actions.
  void Emit() {
    std::stable_sort(works_.begin(), works_.end(), [](const NodeWork& a, const NodeWork& b) {
      return a.depth < b.depth;
    });
    std::map<std::pair<std::string, std::string>, int> by_node;  // (queue, node) -> action id
    const size_t site_actions = plan_.actions.size();
    for (NodeWork& work : works_) {
      Action action;
      action.id = static_cast<int>(plan_.actions.size());
      action.site = sites_[work.site].site;
      action.database = work.database;
      action.op = work.op;
      action.kind = ObjectKind::kPgqNode;
      action.key = "pgq_node:" + work.queue;
      std::string reason;
      for (const std::string& part : work.reasons) reason += (reason.empty() ? "" : ", ") + part;
      action.reason = "node " + work.node_name + ": " + (reason.empty() ? "differs" : reason);
      action.risk = work.risk;
      action.sql = std::move(work.sql);
      action.blocked_by = work.blocked_by;
      for (size_t i = 0; i < site_actions; ++i) {
        const Action& before = plan_.actions[i];
        if (before.site == action.site && before.blocked_by.empty() &&
            (before.database.empty() || before.database == action.database)) {
          action.depends_on.push_back(before.id);
        }
      }
      auto provider = by_node.find({work.queue, work.provider});
      if (!work.provider.empty() && provider != by_node.end()) {
        action.depends_on.push_back(provider->second);
      }
      by_node[{work.queue, work.node_name}] = action.id;
      plan_.actions.push_back(std::move(action));
    }
  }

  const std::vector<SitePlanInput>& sites_;
  const PlanOptions& options_;
  PlanPolicy policy_;
  Plan& plan_;
  std::vector<NodeWork> works_;
};

}  // namespace

void PlanReplication(const std::vector<SitePlanInput>& sites, const PlanOptions& options,
                     Plan& plan) {
  ReplicationPlanner(sites, options, plan).Run();
}

}  // namespace pgtwin
