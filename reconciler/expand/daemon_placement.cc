#include "reconciler/expand/daemon_placement.h"

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace pgtwin {
namespace {

// The modules of python3-londiste 3.11 that define handlers it does not load by default
// (londiste/handlers/*.py, `handler_name`); `londiste` and `nop` are built in.
const std::map<std::string_view, std::string_view>& HandlerModules() {
  static const std::map<std::string_view, std::string_view> modules = {
      {"applyfn", "londiste.handlers.applyfn"},   {"bulk", "londiste.handlers.bulk"},
      {"dispatch", "londiste.handlers.dispatch"}, {"multimaster", "londiste.handlers.multimaster"},
      {"obfuscate", "londiste.handlers.obfuscate"}, {"qtable", "londiste.handlers.qtable"},
      {"qsplitter", "londiste.handlers.qtable"},  {"shard", "londiste.handlers.shard"},
      {"part", "londiste.handlers.shard"},        {"vtable", "londiste.handlers.vtable"},
      {"fake_local", "londiste.handlers.vtable"},
  };
  return modules;
}

// The shard handler reads (shard_nr, shard_mask, shard_count) from partconf.conf; a partconf
// with the Skytools layout has part_nr and max_part (the mask) instead.
bool LegacyPartconf(const Object& database) {
  for (const Object& child : database.children()) {
    if (child.kind() == ObjectKind::kPartconf && child.HasAttr("max_part") &&
        !child.HasAttr("shard_count")) {
      return true;
    }
  }
  return false;
}

// Where daemon `name`'s files go under the workers directory: absolute paths, as a running
// daemon's command line names its ini file (ObserveDaemons matches them).
void SetFiles(const std::string& dir, DaemonSpec& daemon) {
  std::error_code ignored;
  std::filesystem::path root = std::filesystem::absolute(dir, ignored).lexically_normal();
  daemon.config_file = (root / "conf" / (daemon.name + ".ini")).string();
  daemon.pid_file = (root / "pid" / (daemon.name + ".pid")).string();
  daemon.log_file = (root / "log" / (daemon.name + ".log")).string();
}

std::string Header(const std::string& what, const std::string& environment) {
  return "; " + what + "\n; written by pgtwin for environment " + environment +
         ": rewritten, and the daemon restarted, when it differs\n";
}

// The site holding node `node_name` of `queue` in `database`, or "".
std::string SiteOfNode(const std::vector<SiteState>& sites, const std::string& database,
                       const std::string& queue, const std::string& node_name) {
  for (const SiteState& site : sites) {
    const Object* db = site.desired.FindChild(ObjectKind::kDatabase, database);
    const Object* node = db ? db->FindChild(ObjectKind::kPgqNode, queue) : nullptr;
    if (node != nullptr && node->Attr("node_name") == node_name) return site.site.name;
  }
  return "";
}

DaemonSpec Worker(const EnvironmentSpec& spec, const std::vector<SiteState>& sites,
                  const SiteState& site, const Object& database, const Object& node) {
  DaemonSpec worker;
  worker.name = node.Attr("worker_name");
  worker.program = DaemonProgram::kLondisteWorker;
  worker.site = site.site.name;
  worker.database = database.name();
  worker.queue = node.name();
  if (node.HasAttr("provider_node")) {
    worker.provider_site =
        SiteOfNode(sites, database.name(), node.name(), node.Attr("provider_node"));
  }
  SetFiles(spec.workers.dir, worker);
  std::set<std::string_view> modules;
  for (const Object& table : node.children()) {
    if (table.kind() != ObjectKind::kLondisteTable) continue;
    auto module = HandlerModules().find(table.Attr("handler"));
    if (module != HandlerModules().end()) modules.insert(module->second);
  }
  std::string& ini = worker.config;
  ini = Header("londiste worker of node " + node.Attr("node_name") + " (" + site.site.name +
                   "/" + database.name() + ")",
               spec.environment);
  ini += "[londiste]\njob_name = " + worker.name + "\n";
  ini += "db = " + site.site.Conninfo(database.name()) + "\n";
  ini += "queue_name = " + worker.queue + "\n";
  ini += "logfile = " + worker.log_file + "\npidfile = " + worker.pid_file + "\n";
  if (!modules.empty()) {
    ini += "handler_modules =";
    const char* separator = " ";
    for (std::string_view module : modules) {
      ini += separator;
      ini += module;
      separator = ", ";
    }
    ini += "\n";
  }
  if (modules.count("londiste.handlers.shard") > 0 && LegacyPartconf(database)) {
    ini += "shard_info_sql = select part_nr, max_part, max_part + 1 from partconf.conf\n";
  }
  return worker;
}

DaemonSpec Ticker(const EnvironmentSpec& spec, const SiteState& site,
                  const std::vector<std::string>& databases) {
  DaemonSpec pgqd;
  pgqd.name = "pgqd_" + site.site.name;
  pgqd.program = DaemonProgram::kPgqd;
  pgqd.site = site.site.name;
  SetFiles(spec.workers.dir, pgqd);
  std::string list;
  for (const std::string& database : databases) list += (list.empty() ? "" : ", ") + database;
  pgqd.config = Header("pgqd of site " + site.site.name + ": ticks and maintains its PgQ queues",
                       spec.environment);
  pgqd.config += "[pgqd]\nbase_connstr = " + site.site.Conninfo("") + "\n";
  pgqd.config += "initial_database = " + databases.front() + "\n";
  pgqd.config += "database_list = " + list + "\n";
  pgqd.config += "logfile = " + pgqd.log_file + "\npidfile = " + pgqd.pid_file + "\n";
  return pgqd;
}

}  // namespace

std::vector<DaemonSpec> PlaceDaemons(const EnvironmentSpec& spec,
                                     const std::vector<SiteState>& sites) {
  std::vector<DaemonSpec> daemons;
  if (spec.workers.dir.empty()) return daemons;
  for (const SiteState& site : sites) {
    std::vector<std::string> queue_databases;
    for (const Object& database : site.desired.children()) {
      if (database.kind() != ObjectKind::kDatabase) continue;
      bool has_queue = false;
      for (const Object& child : database.children()) {
        has_queue = has_queue || child.kind() == ObjectKind::kPgqQueue;
        if (child.kind() == ObjectKind::kPgqNode && child.HasAttr("worker_name")) {
          daemons.push_back(Worker(spec, sites, site, database, child));
        }
      }
      if (has_queue) queue_databases.push_back(database.name());
    }
    if (!queue_databases.empty()) daemons.push_back(Ticker(spec, site, queue_databases));
  }
  return daemons;
}

}  // namespace pgtwin
