#include "providers/postgres/replication_reader.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "providers/postgres/query_runner.h"
#include "providers/postgres/replication_text.h"

namespace pgtwin {
namespace {

// Module tables are read directly (set-based, one query per module) rather than through the
// per-queue functions (pgq_node.get_node_info(q), londiste.get_table_list(q), ...).

// Queue settings, NULL where at pgq 3.x's column defaults; the queue's consumers.
constexpr char kQueuesSql[] =
    "SELECT q.queue_name, NULLIF(q.queue_ntables, 3) AS ntables, "
    "NULLIF(q.queue_rotation_period, interval '2 hours')::text AS rotation_period, "
    "q.queue_external_ticker, q.queue_disable_insert, q.queue_ticker_paused, "
    "NULLIF(q.queue_ticker_max_count, 500) AS ticker_max_count, "
    "NULLIF(q.queue_ticker_max_lag, interval '3 seconds')::text AS ticker_max_lag, "
    "NULLIF(q.queue_ticker_idle_period, interval '1 minute')::text AS ticker_idle_period, "
    "q.queue_per_tx_limit, array_to_string(q.queue_extra_maint, ', ') AS extra_maint, "
    "ARRAY(SELECT c.co_name FROM pgq.subscription s JOIN pgq.consumer c ON c.co_id = "
    "s.sub_consumer "
    "WHERE s.sub_queue = q.queue_id ORDER BY 1) AS consumers "
    "FROM pgq.queue q";

// The cascade nodes of this database (one per queue) with their worker's provider and pause.
constexpr char kNodesSql[] =
    "SELECT n.queue_name, n.node_type, n.node_name, n.worker_name, n.combined_queue, "
    "n.node_attrs, s.provider_node, s.paused "
    "FROM pgq_node.node_info n LEFT JOIN pgq_node.local_state s "
    "ON s.queue_name = n.queue_name AND s.consumer_name = n.worker_name";

// The member map (locations) and the direct children (subscribers) of each queue's node.
constexpr char kMembersSql[] =
    "SELECT 'l' AS what, l.queue_name, l.node_name, l.node_location AS value, l.dead "
    "FROM pgq_node.node_location l UNION ALL "
    "SELECT 's', s.queue_name, s.subscriber_node, s.worker_name, false "
    "FROM pgq_node.subscriber_info s";

// Tables replicated here, with Londiste's own triggers on their destination table: the row
// trigger `_londiste_<queue>` (`zzz__londiste_<queue>` with the skip flag) and the truncate
// trigger `_londiste_<queue>_truncate`.
constexpr char kTablesSql[] =
    "SELECT t.queue_name, t.table_name, t.merge_state, t.table_attrs, t.dest_table, "
    "g.row_trigger, g.row_enabled, g.truncate_trigger, g.truncate_enabled "
    "FROM londiste.table_info t "
    "CROSS JOIN LATERAL (SELECT coalesce(t.dest_table, t.table_name) AS name) d "
    "LEFT JOIN LATERAL (SELECT c.oid FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = split_part(d.name, '.', 1) "
    "AND c.relname = substr(d.name, strpos(d.name, '.') + 1)) r ON true "
    "LEFT JOIN LATERAL (SELECT "
    "min(pg_get_triggerdef(x.oid)) FILTER (WHERE x.tgname <> '_londiste_' || t.queue_name "
    "|| '_truncate') AS row_trigger, "
    "min(x.tgenabled::text) FILTER (WHERE x.tgname <> '_londiste_' || t.queue_name "
    "|| '_truncate') AS row_enabled, "
    "min(pg_get_triggerdef(x.oid)) FILTER (WHERE x.tgname = '_londiste_' || t.queue_name "
    "|| '_truncate') AS truncate_trigger, "
    "min(x.tgenabled::text) FILTER (WHERE x.tgname = '_londiste_' || t.queue_name "
    "|| '_truncate') AS truncate_enabled "
    "FROM pg_trigger x WHERE x.tgrelid = r.oid AND x.tgname IN ('_londiste_' || t.queue_name, "
    "'zzz__londiste_' || t.queue_name, '_londiste_' || t.queue_name || '_truncate')) g ON true "
    "WHERE t.local";

constexpr char kSequencesSql[] =
    "SELECT s.queue_name, s.seq_name FROM londiste.seq_info s WHERE s.local";

// PL/Proxy clusters defined over SQL/MED: the servers of the plproxy wrapper (role NULL) and
// their user mappings (one row each).
constexpr char kClustersSql[] =
    "SELECT s.srvname, NULL::text AS role, pg_get_userbyid(s.srvowner) AS owner, "
    "s.srvoptions AS options, "
    "CASE WHEN NOT (s.srvacl @> acldefault('S', s.srvowner) AND s.srvacl <@ "
    "acldefault('S', s.srvowner)) THEN array_to_string(ARRAY(SELECT x::text "
    "FROM unnest(s.srvacl) x ORDER BY x::text COLLATE \"C\"), ', ') END AS acl, "
    "obj_description(s.oid, 'pg_foreign_server') AS comment "
    "FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw "
    "WHERE w.fdwname = 'plproxy' UNION ALL "
    "SELECT m.srvname, m.usename, NULL, m.umoptions, NULL, NULL FROM pg_user_mappings m "
    "JOIN pg_foreign_server s ON s.oid = m.srvid "
    "JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw WHERE w.fdwname = 'plproxy'";

// partconf.conf (the Skytools convention, no fixed layout): each row's columns as
// (row number, column, value), rows numbered in the order of their text.
constexpr char kPartconfSql[] =
    "SELECT r.nr, e.key, e.value FROM (SELECT to_jsonb(c) AS j, "
    "row_number() OVER (ORDER BY c::text COLLATE \"C\") AS nr FROM partconf.conf c) r, "
    "jsonb_each_text(r.j) e";

// Function-configured PL/Proxy clusters: the names in `CLUSTER 'name'` of PL/Proxy functions
// that no SQL/MED server of the plproxy wrapper defines (PL/Proxy tries SQL/MED first), each
// with its partitions in order and its configuration (`config`: NULL here when there is no
// plproxy.get_cluster_config).
std::string FunctionClustersSql(bool with_config) {
  std::string config = with_config ? "ARRAY(SELECT g.key || '=' || g.val "
                                     "FROM plproxy.get_cluster_config(c.name) g)"
                                   : "NULL::text[]";
  return "SELECT c.name, ARRAY(SELECT plproxy.get_cluster_partitions(c.name)) AS partitions, " +
         config +
         " AS config FROM (SELECT DISTINCT m[1] AS name FROM pg_proc p "
         "JOIN pg_language l ON l.oid = p.prolang "
         "CROSS JOIN LATERAL regexp_matches(p.prosrc, 'cluster\\s+''([^'']+)''', 'gi') m "
         "WHERE l.lanname = 'plproxy') c "
         "WHERE NOT EXISTS (SELECT FROM pg_foreign_server s "
         "JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw "
         "WHERE w.fdwname = 'plproxy' AND s.srvname = c.name)";
}

// Consumers that are PgQ's or Londiste's own bookkeeping, not a subscription a DBA made:
// `.global_watermark`, `.<node>.watermark`, and a table copy's `<worker>.copy.<table>`.
bool IsInternalConsumer(const std::string& name) {
  return name.starts_with(".") || name.find(".copy.") != std::string::npos;
}

// merge_state without its volatile part: `ok`, `pending` (NULL: the copy has not started),
// or the phase of a copy in progress without its tick (`in-copy`, `catching-up`,
// `wanna-sync`, `do-sync`).
std::string MergeState(const pqxx::field& field) {
  if (field.is_null()) return "pending";
  std::string state = Text(field);
  size_t colon = state.find(':');
  return colon == std::string::npos ? state : state.substr(0, colon);
}

bool IsPartitionOption(const std::string& key) {
  std::string_view digits = key;
  if (digits.starts_with("partition_")) {
    digits.remove_prefix(10);
  } else if (digits.starts_with("p")) {
    digits.remove_prefix(1);
  } else {
    return false;
  }
  return !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
}

// A user mapping's options in sorted `key=value` form, the password's value withheld.
std::string MappingOptions(const pqxx::field& field) {
  std::map<std::string, std::string> options;
  for (auto& [key, value] : ConfigEntries(field)) {
    options[key] = key == "password" ? "(set)" : replication_text::RedactConnstr(value);
  }
  std::string text;
  for (const auto& [key, value] : options) {
    if (!text.empty()) text += ", ";
    text += key + "=" + value;
  }
  return text;
}

}  // namespace

std::string ReplicationReader::ProbeSql() {
  // Catalog lookups rather than to_regclass, which fails without USAGE on the schema; a module
  // whose tables this role may not read (or whose functions it may not call) counts as absent.
  return "WITH readable AS (SELECT n.nspname || '.' || c.relname AS name FROM pg_class c "
         "JOIN pg_namespace n ON n.oid = c.relnamespace "
         "WHERE n.nspname IN ('pgq', 'pgq_node', 'londiste', 'partconf') "
         "AND c.relkind IN ('r', 'p') AND has_schema_privilege(n.oid, 'USAGE') "
         "AND has_table_privilege(c.oid, 'SELECT')), "
         "callable AS (SELECT p.proname FROM pg_proc p "
         "JOIN pg_namespace n ON n.oid = p.pronamespace "
         "WHERE n.nspname = 'plproxy' "
         "AND p.proname IN ('get_cluster_partitions', 'get_cluster_config') "
         "AND p.proargtypes = '25'::oidvector AND has_schema_privilege(n.oid, 'USAGE') "
         "AND has_function_privilege(p.oid, 'EXECUTE')) "
         "SELECT (SELECT count(*) FROM readable WHERE name IN ('pgq.queue', 'pgq.consumer', "
         "'pgq.subscription')) = 3 AS pgq, "
         "(SELECT count(*) FROM readable WHERE name IN ('pgq_node.node_info', "
         "'pgq_node.local_state', 'pgq_node.node_location', 'pgq_node.subscriber_info')) = 4 "
         "AS pgq_node, "
         "(SELECT count(*) FROM readable WHERE name IN ('londiste.table_info', "
         "'londiste.seq_info')) = 2 AS londiste, "
         "EXISTS (SELECT FROM pg_foreign_data_wrapper w WHERE w.fdwname = 'plproxy') AS plproxy, "
         "EXISTS (SELECT FROM readable WHERE name = 'partconf.conf') AS partconf, "
         "EXISTS (SELECT FROM callable WHERE proname = 'get_cluster_partitions') "
         "AS plproxy_functions, "
         "EXISTS (SELECT FROM callable WHERE proname = 'get_cluster_config') AS plproxy_config";
}

void ReplicationReader::Queue(const pqxx::result& probe, QueryPool& pool) {
  const pqxx::row row = probe[0];
  if (Flag(row["pgq"])) queues_ = pool.Add("pgq queues", kQueuesSql);
  if (Flag(row["pgq_node"])) {
    nodes_ = pool.Add("pgq_node nodes", kNodesSql);
    members_ = pool.Add("pgq_node members", kMembersSql);
  }
  if (Flag(row["pgq_node"]) && Flag(row["londiste"])) {
    tables_ = pool.Add("londiste tables", kTablesSql);
    sequences_ = pool.Add("londiste sequences", kSequencesSql);
  }
  if (Flag(row["plproxy"])) clusters_ = pool.Add("plproxy clusters", kClustersSql);
  if (Flag(row["partconf"])) partconf_ = pool.Add("partconf", kPartconfSql);
  function_clusters_ = Flag(row["plproxy_functions"]);
  function_config_ = Flag(row["plproxy_config"]);
}

void ReplicationReader::ReadFunctionClusters(QueryRunner& runner, Object& database) {
  if (!function_clusters_) return;
  constexpr char kStep[] = "plproxy cluster functions";
  runner.Run(kStep, "SAVEPOINT pgtwin_plproxy_config");
  pqxx::result rows;
  try {
    rows = runner.Run(kStep, FunctionClustersSql(function_config_));
  } catch (const pqxx::sql_error&) {
    runner.Run(kStep, "ROLLBACK TO SAVEPOINT pgtwin_plproxy_config");
    return;
  }
  runner.Run(kStep, "RELEASE SAVEPOINT pgtwin_plproxy_config");
  for (const pqxx::row& row : rows) {
    Object cluster(ObjectKind::kPlproxyCluster, Text(row["name"]));
    cluster.SetAttr("config_source", "functions");
    for (auto& [key, value] : ConfigEntries(row["config"])) {
      cluster.SetAttr(key, replication_text::RedactConnstr(value));
    }
    int partitions = 0;
    pqxx::array_parser parser = row["partitions"].as_array();
    for (auto item = parser.get_next(); item.first != pqxx::array_parser::done;
         item = parser.get_next()) {
      if (item.first != pqxx::array_parser::string_value) continue;
      cluster.SetAttr("p" + std::to_string(partitions++),
                      replication_text::RedactConnstr(item.second));
    }
    if (partitions > 0) cluster.SetAttr("partitions", std::to_string(partitions));
    database.AddChild(std::move(cluster));
  }
}

void ReplicationReader::Decode(QueryPool& pool, const char*& step, Object& database) {
  if (queues_) {
    step = "pgq queues";
    for (const pqxx::row& row : pool.Take(*queues_)) {
      Object& queue = database.AddChild(ObjectKind::kPgqQueue, Text(row["queue_name"]));
      for (const char* attr : {"ntables", "rotation_period", "ticker_max_count", "ticker_max_lag",
                               "ticker_idle_period", "extra_maint"}) {
        queue.SetAttr(attr, Text(row[attr]));
      }
      queue.SetAttr("per_tx_limit", Text(row["queue_per_tx_limit"]));
      queue.SetFlag("external_ticker", Flag(row["queue_external_ticker"]));
      queue.SetFlag("disable_insert", Flag(row["queue_disable_insert"]));
      queue.SetFlag("ticker_paused", Flag(row["queue_ticker_paused"]));
      pqxx::array_parser parser = row["consumers"].as_array();
      for (auto item = parser.get_next(); item.first != pqxx::array_parser::done;
           item = parser.get_next()) {
        if (item.first != pqxx::array_parser::string_value) continue;
        if (!IsInternalConsumer(item.second)) queue.AddChild(ObjectKind::kPgqConsumer, item.second);
      }
    }
  }
  // Nodes are gathered by queue first: their members and tables arrive in other queries.
  std::map<std::string, Object> nodes;
  auto node_of = [&](const std::string& queue) -> Object& {
    auto it = nodes.find(queue);
    if (it == nodes.end()) it = nodes.emplace(queue, Object(ObjectKind::kPgqNode, queue)).first;
    return it->second;
  };
  if (nodes_) {
    step = "pgq_node nodes";
    for (const pqxx::row& row : pool.Take(*nodes_)) {
      Object& node = node_of(Text(row["queue_name"]));
      std::string name = Text(row["node_name"]);
      node.SetAttr("node_type", Text(row["node_type"]));
      node.SetAttr("worker_name", Text(row["worker_name"]));
      node.SetAttr("combined_queue", Text(row["combined_queue"]));
      node.SetAttr("node_attrs", Text(row["node_attrs"]));
      std::string provider = Text(row["provider_node"]);
      if (provider != name) node.SetAttr("provider_node", provider);
      node.SetFlag("worker_paused", Flag(row["paused"]));
      node.SetAttr("node_name", std::move(name));
    }
  }
  if (members_) {
    step = "pgq_node members";
    for (const pqxx::row& row : pool.Take(*members_)) {
      Object& node = node_of(Text(row["queue_name"]));
      if (Text(row["what"]) == "l") {
        Object& location = node.AddChild(ObjectKind::kPgqLocation, Text(row["node_name"]));
        location.SetAttr("location", replication_text::RedactConnstr(Text(row["value"])));
        location.SetFlag("dead", Flag(row["dead"]));
      } else {
        node.AddChild(ObjectKind::kPgqSubscriber, Text(row["node_name"]))
            .SetAttr("worker_name", Text(row["value"]));
      }
    }
  }
  if (tables_) {
    step = "londiste tables";
    for (const pqxx::row& row : pool.Take(*tables_)) {
      Object& table = node_of(Text(row["queue_name"]))
                          .AddChild(ObjectKind::kLondisteTable, Text(row["table_name"]));
      for (const auto& [key, value] : replication_text::UrlDecodePairs(Text(row["table_attrs"]))) {
        if (key != "handler") {
          table.SetAttr("table_attr." + key, value.empty() ? std::string("true") : value);
          continue;
        }
        replication_text::Handler handler = replication_text::ParseHandler(value);
        table.SetAttr("handler", handler.name);
        for (const auto& [arg, arg_value] : handler.args) {
          table.SetAttr("handler_arg." + arg, arg_value.empty() ? std::string("true") : arg_value);
        }
      }
      table.SetAttr("dest_table", Text(row["dest_table"]));
      table.SetAttr("merge_state", MergeState(row["merge_state"]));
      table.SetAttr("trigger", Text(row["row_trigger"]));
      table.SetAttr("truncate_trigger", Text(row["truncate_trigger"]));
      for (const char* enabled : {"row_enabled", "truncate_enabled"}) {
        std::string value = Text(row[enabled]);
        if (value == "O") value.clear();
        table.SetAttr(
            enabled == std::string("row_enabled") ? "trigger_enabled" : "truncate_trigger_enabled",
            value);
      }
    }
    step = "londiste sequences";
    for (const pqxx::row& row : pool.Take(*sequences_)) {
      node_of(Text(row["queue_name"]))
          .AddChild(ObjectKind::kLondisteSequence, Text(row["seq_name"]));
    }
  }
  for (auto& [queue, node] : nodes) database.AddChild(std::move(node));
  if (clusters_) {
    step = "plproxy clusters";
    pqxx::result rows = pool.Take(*clusters_);
    std::map<std::string, Object> clusters;
    std::map<std::string, std::vector<std::string>> mappings;
    for (const pqxx::row& row : rows) {
      std::string server = Text(row["srvname"]);
      if (!row["role"].is_null()) {
        mappings[server].push_back(Text(row["role"]) + "(" + MappingOptions(row["options"]) + ")");
        continue;
      }
      Object cluster(ObjectKind::kPlproxyCluster, server);
      cluster.SetAttr("owner", Text(row["owner"]));
      cluster.SetAttr("acl", Text(row["acl"]));
      cluster.SetAttr("comment", Text(row["comment"]));
      int partitions = 0;
      for (auto& [key, value] : ConfigEntries(row["options"])) {
        partitions += IsPartitionOption(key);
        cluster.SetAttr(key, replication_text::RedactConnstr(value));
      }
      if (partitions > 0) cluster.SetAttr("partitions", std::to_string(partitions));
      clusters.emplace(server, std::move(cluster));
    }
    for (auto& [server, cluster] : clusters) {
      std::vector<std::string>& list = mappings[server];
      std::sort(list.begin(), list.end());
      std::string text;
      for (const std::string& mapping : list) text += (text.empty() ? "" : "; ") + mapping;
      cluster.SetAttr("user_mappings", text);
      database.AddChild(std::move(cluster));
    }
  }
  if (partconf_) {
    step = "partconf";
    pqxx::result rows = pool.Take(*partconf_);
    std::map<int64_t, Object> confs;
    for (const pqxx::row& row : rows) {
      int64_t nr = Int(row["nr"]);
      auto it = confs.find(nr);
      if (it == confs.end()) {
        it = confs.emplace(nr, Object(ObjectKind::kPartconf, "")).first;
      }
      it->second.SetAttr(Text(row["key"]), Text(row["value"]));
    }
    for (auto& [nr, conf] : confs) {
      conf.set_name(confs.size() == 1 ? std::string("conf") : "conf." + std::to_string(nr));
      database.AddChild(std::move(conf));
    }
  }
}

}  // namespace pgtwin
