#include "reconciler/report/plan_text.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pgtwin {
namespace {

constexpr std::string_view kGreen = "\033[32m";
constexpr std::string_view kRed = "\033[31m";
constexpr std::string_view kYellow = "\033[33m";
constexpr std::string_view kMagenta = "\033[35m";
constexpr std::string_view kBold = "\033[1m";
constexpr std::string_view kReset = "\033[0m";

constexpr char kSqlIndent[] = "        ";

std::string_view OpColor(ActionOp op) {
  switch (op) {
    case ActionOp::kCreate:
      return kGreen;
    case ActionOp::kAlter:
      return kYellow;
    case ActionOp::kReplace:
      return kMagenta;
    case ActionOp::kDrop:
      return kRed;
  }
  return kReset;
}

// Wraps `text` in `code` when colouring.
std::string Paint(bool color, std::string_view code, std::string_view text) {
  if (!color) return std::string(text);
  return std::string(code) + std::string(text) + std::string(kReset);
}

// One statement, every line indented, ending with a semicolon.
void WriteStatement(const std::string& statement, std::ostream& out) {
  std::string text = statement;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty() || text.back() != ';') text += ';';
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out << kSqlIndent << std::string_view(text).substr(start, end - start) << '\n';
    start = end + 1;
  }
}

// What a daemon action does on this host, as shell-like lines.
void WriteDaemonStep(ActionOp op, const DaemonSpec& daemon, std::ostream& out) {
  if (op == ActionOp::kDrop) {
    out << kSqlIndent << "$ kill -TERM $(cat " << daemon.pid_file << "); rm "
        << daemon.config_file << '\n';
    return;
  }
  out << kSqlIndent << "# write " << daemon.config_file
      << (op == ActionOp::kAlter ? ", stop the running daemon" : "") << '\n';
  out << kSqlIndent << "$";
  for (const std::string& arg : DaemonCommand(daemon)) out << ' ' << arg;
  out << '\n';
}

void WriteAction(const Action& action, bool color, std::ostream& out) {
  std::string marker(ActionOpMarker(action.op));
  marker.resize(3, ' ');
  out << "    " << Paint(color, OpColor(action.op), marker + " " + action.key);
  if (action.risk == Risk::kDestructive) out << "  " << Paint(color, kRed, "[destructive]");
  if (!action.blocked_by.empty()) {
    out << "  "
        << Paint(color, std::string(kBold) + std::string(kRed),
                 "[blocked: " + action.blocked_by + "]");
  }
  out << '\n';
  if (!action.reason.empty()) out << kSqlIndent << "-- " << action.reason << '\n';
  for (const std::string& statement : action.sql) WriteStatement(statement, out);
  if (action.daemon) WriteDaemonStep(action.op, *action.daemon, out);
}

// The site's actions, cluster-wide ones first, then each database in order of appearance.
void WriteSiteActions(const std::vector<const Action*>& actions, bool color, std::ostream& out) {
  std::vector<std::string> databases;
  std::map<std::string, std::vector<const Action*>> by_database;
  for (const Action* action : actions) {
    auto& group = by_database[action->database];
    if (group.empty() && !action->database.empty()) databases.push_back(action->database);
    group.push_back(action);
  }
  if (by_database.count("") > 0) databases.insert(databases.begin(), "");
  for (const std::string& database : databases) {
    out << "  " << (database.empty() ? "cluster" : "database " + database) << '\n';
    for (const Action* action : by_database[database]) WriteAction(*action, color, out);
  }
}

void WriteUnmanaged(const std::vector<const UnmanagedObject*>& unmanaged, std::ostream& out) {
  if (unmanaged.empty()) return;
  out << "  unmanaged, kept\n";
  for (const UnmanagedObject* object : unmanaged) {
    out << "    " << object->key;
    if (!object->database.empty()) out << "  in database " << object->database;
    out << '\n';
  }
}

std::string SiteLocation(const Action& action) {
  return action.database.empty() ? action.site : action.site + "/" + action.database;
}

// What the apply's check found: "Verify: dc1 observed again: nothing left to do." or what is
// still different (as the plan shows it) and the sites that could not be observed again.
void WriteVerification(const ReconcileReport& report, bool color, std::ostream& out) {
  if (!report.verification) return;
  const Verification& verification = *report.verification;
  std::string names;
  for (const SiteResult& site : verification.sites) names += (names.empty() ? "" : ", ") + site.name;
  out << "\nVerify: " << names << " observed again: ";
  if (Verified(report)) {
    out << "nothing left to do.\n";
    return;
  }
  out << Paint(color, kRed, "still different") << '\n';
  for (const SiteResult& site : verification.sites) {
    if (!site.error.empty()) {
      out << "  site " << site.name << ": " << Paint(color, kRed, "not observed: " + site.error)
          << '\n';
      continue;
    }
    std::vector<const Action*> actions;
    for (const Action& action : verification.remaining.actions) {
      if (action.site == site.name) actions.push_back(&action);
    }
    if (actions.empty()) continue;
    out << "  site " << site.name << '\n';
    WriteSiteActions(actions, color, out);
  }
}

// "1.2 s".
std::string Seconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", seconds);
  return text;
}

}  // namespace

void WritePlanText(const ReconcileReport& report, bool color, std::ostream& out) {
  out << "Environment " << report.environment << '\n';
  for (const SiteResult& site : report.sites) {
    out << '\n' << "Site " << site.name << " (" << site.server << ")\n";
    if (!site.error.empty()) {
      out << "  " << Paint(color, kRed, "not planned: " + site.error) << '\n';
      continue;
    }
    std::vector<const Action*> actions;
    for (const Action& action : report.plan.actions) {
      if (action.site == site.name) actions.push_back(&action);
    }
    std::vector<const UnmanagedObject*> unmanaged;
    for (const UnmanagedObject& object : report.plan.unmanaged) {
      if (object.site == site.name && IsKept(report.plan, object)) unmanaged.push_back(&object);
    }
    if (actions.empty()) out << "  no changes\n";
    WriteSiteActions(actions, color, out);
    WriteUnmanaged(unmanaged, out);
  }
  PlanCounts counts = CountPlan(report.plan);
  out << "\nPlan: " << counts.create << " to create, " << counts.alter << " to change, "
      << counts.replace << " to replace, " << counts.drop << " to drop; " << counts.unmanaged
      << " unmanaged kept; " << counts.blocked << " blocked.\n";
}

void WriteApplyText(const ReconcileReport& report, bool color, std::ostream& out) {
  std::map<int, const Action*> by_id;
  for (const Action& action : report.plan.actions) by_id[action.id] = &action;
  out << "\nApply:\n";
  for (const ActionOutcome& outcome : report.outcomes) {
    auto found = by_id.find(outcome.action_id);
    if (found == by_id.end()) continue;
    const Action& action = *found->second;
    std::string state(ActionStateName(outcome.state));
    state.resize(8, ' ');
    std::string_view state_color = outcome.state == ActionState::kDone     ? kGreen
                                   : outcome.state == ActionState::kFailed ? kRed
                                                                           : kYellow;
    std::string marker(ActionOpMarker(action.op));
    marker.resize(3, ' ');
    out << "  " << Paint(color, state_color, state) << ' ' << marker << ' ' << action.key << "  ("
        << SiteLocation(action) << ")\n";
    if (!outcome.error.empty()) out << "               " << outcome.error << '\n';
  }
  WriteVerification(report, color, out);
  OutcomeCounts counts = CountOutcomes(report.outcomes);
  size_t failed_sites = FailedSites(report);
  if (Converged(report)) {
    out << '\n'
        << Paint(color, kGreen,
                 "Converged: " + std::to_string(counts.done) + " done" +
                     (report.verification ? ", verified." : "."))
        << '\n';
    return;
  }
  std::string line = "Not converged: " + std::to_string(counts.done) + " done, " +
                     std::to_string(counts.failed) + " failed, " + std::to_string(counts.skipped) +
                     " skipped";
  if (failed_sites > 0) {
    line += "; " + std::to_string(failed_sites) + (failed_sites == 1 ? " site" : " sites") +
            " not planned";
  }
  if (report.verification && !Verified(report)) {
    size_t remaining = report.verification->remaining.actions.size();
    line += "; " + std::to_string(remaining) + " still different after apply";
  }
  out << '\n' << Paint(color, kRed, line + ".") << '\n';
}

void WriteDaemonsText(const ReconcileReport& report, bool color, std::ostream& out) {
  if (report.daemons.empty()) return;
  // The cells of each line: name, where, running, lag, last seen.
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> widths(5, 0);
  for (const DaemonStatus& daemon : report.daemons) {
    std::vector<std::string> row = {
        daemon.name,
        daemon.database.empty() ? daemon.site : daemon.site + "/" + daemon.database,
        daemon.running ? "running (pid " + std::to_string(daemon.pid) + ")" : "not running",
        daemon.lag_seconds ? "lag " + Seconds(*daemon.lag_seconds) : "",
        daemon.last_seen_seconds ? "last seen " + Seconds(*daemon.last_seen_seconds) + " ago"
                                 : ""};
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
    rows.push_back(std::move(row));
  }
  out << "\nDaemons:\n";
  for (size_t d = 0; d < rows.size(); ++d) {
    const DaemonStatus& daemon = report.daemons[d];
    std::string line = "  ";
    for (size_t i = 0; i < rows[d].size(); ++i) {
      if (widths[i] == 0) continue;
      std::string cell = rows[d][i];
      if (i == 2) cell = Paint(color, daemon.running ? kGreen : kRed, cell);
      line += cell + std::string(widths[i] - rows[d][i].size() + 2, ' ');
    }
    if (!daemon.error.empty()) line += Paint(color, kRed, "error: " + daemon.error);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  }
}

}  // namespace pgtwin
