#include "reconciler/serve/status_page.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>

#include "reconciler/report/reconcile_report.h"

namespace pgtwin {
namespace {

constexpr char kStyle[] =
    "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}"
    "h1{font-size:1.4em;margin:0 0 .2em}.meta{color:#666;margin:0 0 1em}"
    ".env{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6em 1em;"
    "margin:0 0 1em}"
    ".env h2{font-size:1.15em;margin:.2em 0}.state{padding:.1em .5em;border-radius:4px;"
    "color:#fff;font-size:.9em}"
    ".Ready{background:#2e7d32}.Drifted{background:#ef6c00}.Degraded{background:#c62828}"
    ".Stalled{background:#6a1b9a}.Pending,.Suspended{background:#757575}"
    ".Reconciling{background:#1565c0}.reason{color:#555;font-weight:normal}"
    "table{border-collapse:collapse}th{text-align:left;color:#666;font-weight:normal;"
    "padding:.1em 1em .1em 0;vertical-align:top}td{padding:.1em 0}"
    ".errors{color:#c62828}pre{background:#f4f4f4;padding:.4em .6em;margin:.3em 0;"
    "overflow-x:auto}.create{color:#2e7d32}.alter{color:#ef6c00}.replace{color:#6a1b9a}"
    ".drop{color:#c62828}.blocked{color:#c62828;font-weight:bold}"
    ".daemons td{padding:.1em 1em .1em 0}.running{color:#2e7d32}.stopped{color:#c62828}";

std::string UtcTime(WallTime time) { return FormatUtc(time, "%Y-%m-%d %H:%M:%S UTC"); }

// "12 s ago", "3 min ago", "in 5 s", "2 h ago".
std::string Relative(WallTime time, WallTime now) {
  long seconds = static_cast<long>(
      std::chrono::duration_cast<std::chrono::seconds>(now - time).count());
  bool future = seconds < 0;
  long magnitude = future ? -seconds : seconds;
  std::string amount = magnitude < 120    ? std::to_string(magnitude) + " s"
                       : magnitude < 7200 ? std::to_string(magnitude / 60) + " min"
                                          : std::to_string(magnitude / 3600) + " h";
  return future ? "in " + amount : amount + " ago";
}

std::string WhenText(WallTime time, WallTime now) {
  return UtcTime(time) + " (" + Relative(time, now) + ")";
}

std::string Seconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", seconds);
  return text;
}

// One row of an environment's table; `html` is already escaped.
void Row(std::string_view label, const std::string& html, std::string* out) {
  *out += "<tr><th>";
  *out += label;
  *out += "</th><td>" + html + "</td></tr>";
}

std::string DriftText(const std::map<std::string, size_t>& drift) {
  if (drift.empty()) return "none";
  std::string text;
  for (const auto& [kind, count] : drift) {
    if (!text.empty()) text += ", ";
    text += kind + " " + std::to_string(count);
  }
  return text;
}

std::string PassText(const PassRecord& pass, WallTime now) {
  std::string text = "#" + std::to_string(pass.number) + " " + WhenText(pass.started, now) +
                     ", " + std::string(PassResultName(pass.result)) + " in " +
                     Seconds(pass.duration_seconds) + " (" + pass.trigger + ", " +
                     (pass.applied ? "applied" : "planned only") + ")";
  if (!pass.summary.empty()) text += ": " + pass.summary;
  return text;
}

// One action as a plan line: "+ create table:app.t  [blocked: ...]  done".
std::string PlanLine(const Action& action, const ActionOutcome* outcome) {
  std::string line = std::string(ActionOpMarker(action.op)) + " " +
                     std::string(ActionOpName(action.op)) + " " + action.key;
  if (!action.site.empty()) line += "  (" + action.site;
  if (!action.site.empty() && !action.database.empty()) line += "/" + action.database;
  if (!action.site.empty()) line += ")";
  std::string html = "<span class=\"" + std::string(ActionOpName(action.op)) + "\">" +
                     HtmlEscape(line) + "</span>";
  if (action.risk == Risk::kDestructive) html += "  [destructive]";
  if (!action.blocked_by.empty()) {
    html += "  <span class=\"blocked\">[blocked: " + HtmlEscape(action.blocked_by) + "]</span>";
  }
  if (outcome != nullptr) html += "  " + std::string(ActionStateName(outcome->state));
  return html;
}

void WritePlan(const ReconcileReport& report, std::string* out) {
  const std::vector<Action>& actions = report.plan.actions;
  *out += "<h3>Last plan: ";
  if (actions.empty()) {
    *out += "no changes</h3>";
    return;
  }
  *out += std::to_string(actions.size()) + (actions.size() == 1 ? " action" : " actions") +
          (report.applied ? ", applied" : ", planned only") + "</h3><pre class=\"plan\">";
  std::map<int, const ActionOutcome*> outcomes;
  for (const ActionOutcome& outcome : report.outcomes) outcomes[outcome.action_id] = &outcome;
  size_t shown = std::min(actions.size(), kStatusPagePlanLines);
  for (size_t i = 0; i < shown; ++i) {
    auto found = outcomes.find(actions[i].id);
    *out += PlanLine(actions[i], found == outcomes.end() ? nullptr : found->second) + "\n";
  }
  if (actions.size() > shown) {
    *out += "\u2026 " + std::to_string(actions.size() - shown) + " more\n";
  }
  *out += "</pre>";
}

// The replication daemons of the last pass, one row each: name, site/database, running (pid)
// or not, lag, last seen, error.
void WriteDaemons(const std::vector<DaemonStatus>& daemons, std::string* out) {
  if (daemons.empty()) return;
  *out += "<h3>Daemons</h3><table class=\"daemons\">";
  for (const DaemonStatus& daemon : daemons) {
    std::string where = daemon.database.empty() ? daemon.site : daemon.site + "/" + daemon.database;
    *out += "<tr><td>" + HtmlEscape(daemon.name) + "</td><td>" + HtmlEscape(where) + "</td><td>";
    *out += daemon.running ? "<span class=\"running\">running (pid " + std::to_string(daemon.pid) +
                                 ")</span>"
                           : std::string("<span class=\"stopped\">not running</span>");
    *out += "</td><td>";
    if (daemon.lag_seconds) *out += "lag " + Seconds(*daemon.lag_seconds);
    *out += "</td><td>";
    if (daemon.last_seen_seconds) {
      *out += "last seen " + Seconds(*daemon.last_seen_seconds) + " ago";
    }
    *out += "</td><td class=\"errors\">" + HtmlEscape(daemon.error) + "</td></tr>";
  }
  *out += "</table>";
}

void WriteEnvironment(const EnvStatus& status, WallTime now, std::string* out) {
  std::string state(EnvStateName(status.state));
  *out += "<section class=\"env\" id=\"env-" + HtmlEscape(status.name) + "\"><h2>" +
          HtmlEscape(status.name) + " <span class=\"state " + state + "\">" + state + "</span>";
  if (status.reconciling) *out += " <span class=\"state Reconciling\">Reconciling</span>";
  if (!status.reason.empty()) {
    *out += " <span class=\"reason\">" + HtmlEscape(status.reason) + "</span>";
  }
  *out += "</h2>";
  // A Stalled environment's message is its first spec error: the list below says it all.
  if (!status.message.empty() && status.spec_errors.empty()) {
    *out += "<p class=\"message\">" + HtmlEscape(status.message) + "</p>";
  }
  if (!status.spec_errors.empty()) {
    *out += "<ul class=\"errors\">";
    for (const SpecError& error : status.spec_errors) {
      *out += "<li>" + HtmlEscape(error.ToString()) + "</li>";
    }
    *out += "</ul>";
  }
  *out += "<table>";
  Row("Spec", HtmlEscape(status.spec_file), out);
  Row("Policy", HtmlEscape(status.policy), out);
  Row("Drift", HtmlEscape(DriftText(status.drift)), out);
  Row("Last pass",
      status.passes.empty() ? "none yet" : HtmlEscape(PassText(status.passes.back(), now)), out);
  if (status.last_success) {
    Row("Last success", HtmlEscape(WhenText(*status.last_success, now)), out);
  }
  if (status.failures > 0) Row("Failures", std::to_string(status.failures) + " in a row", out);
  if (status.next_pass) Row("Next pass", HtmlEscape(WhenText(*status.next_pass, now)), out);
  *out += "</table>";
  if (status.last_report) WriteDaemons(status.last_report->daemons, out);
  if (status.last_report) WritePlan(*status.last_report, out);
  *out += "</section>\n";
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&#39;"; break;
      default: escaped += c;
    }
  }
  return escaped;
}

std::string RenderStatusPage(const std::vector<EnvStatus>& statuses, WallTime now) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"refresh\" content=\"10\"><title>pgtwin serve</title><style>";
  out += kStyle;
  out += "</style></head><body>\n<h1>pgtwin serve</h1><p class=\"meta\">";
  std::map<std::string_view, size_t> by_state;
  for (const EnvStatus& status : statuses) ++by_state[EnvStateName(status.state)];
  out += std::to_string(statuses.size()) +
         (statuses.size() == 1 ? " environment" : " environments");
  for (const auto& [state, count] : by_state) {
    out += ", " + std::to_string(count) + " " + std::string(state);
  }
  out += " \u00b7 " + UtcTime(now) + " \u00b7 refreshes every 10 s \u00b7 "
         "<a href=\"/api/v1/environments\">JSON</a> \u00b7 <a href=\"/metrics\">metrics</a></p>\n";
  if (statuses.empty()) out += "<p>No environment: the specs directory holds no spec.</p>\n";
  for (const EnvStatus& status : statuses) WriteEnvironment(status, now, &out);
  out += "</body></html>\n";
  return out;
}

}  // namespace pgtwin
