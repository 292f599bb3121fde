#include "reconciler/report/plan_json.h"

#include <nlohmann/json.hpp>
#include <string>

namespace pgtwin {
namespace {

using Json = nlohmann::ordered_json;

Json OrNull(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

Json ActionJson(const Action& action) {
  Json json;
  json["id"] = action.id;
  json["site"] = action.site;
  json["database"] = OrNull(action.database);
  json["op"] = ActionOpName(action.op);
  json["kind"] = KindName(action.kind);
  json["key"] = action.key;
  json["reason"] = action.reason;
  json["risk"] = RiskName(action.risk);
  json["sql"] = action.sql;
  json["in_transaction"] = action.in_transaction;
  json["depends_on"] = action.depends_on;
  json["blocked_by"] = OrNull(action.blocked_by);
  return json;
}

Json SummaryJson(const Plan& plan) {
  PlanCounts counts = CountPlan(plan);
  Json json;
  json["create"] = counts.create;
  json["alter"] = counts.alter;
  json["replace"] = counts.replace;
  json["drop"] = counts.drop;
  json["unmanaged"] = counts.unmanaged;
  json["blocked"] = counts.blocked;
  return json;
}

Json OutcomesJson(const std::vector<ActionOutcome>& outcomes) {
  Json json = Json::array();
  for (const ActionOutcome& outcome : outcomes) {
    Json entry;
    entry["id"] = outcome.action_id;
    entry["state"] = ActionStateName(outcome.state);
    entry["error"] = OrNull(outcome.error);
    json.push_back(std::move(entry));
  }
  return json;
}

Json SitesJson(const std::vector<SiteResult>& sites) {
  Json json = Json::array();
  for (const SiteResult& site : sites) {
    json.push_back({{"name", site.name},
                    {"server", site.server},
                    {"planned", site.error.empty()},
                    {"error", OrNull(site.error)}});
  }
  return json;
}

Json VerificationJson(const std::optional<Verification>& verification) {
  if (!verification) return nullptr;
  Json json;
  json["sites"] = SitesJson(verification->sites);
  json["remaining"] = Json::array();
  for (const Action& action : verification->remaining.actions) {
    json["remaining"].push_back(ActionJson(action));
  }
  return json;
}

Json DaemonsJson(const std::vector<DaemonStatus>& daemons) {
  Json json = Json::array();
  for (const DaemonStatus& daemon : daemons) {
    Json entry;
    entry["name"] = daemon.name;
    entry["site"] = daemon.site;
    entry["database"] = OrNull(daemon.database);
    entry["running"] = daemon.running;
    entry["pid"] = daemon.running ? Json(daemon.pid) : Json(nullptr);
    entry["lag_seconds"] = daemon.lag_seconds ? Json(*daemon.lag_seconds) : Json(nullptr);
    entry["last_seen_seconds"] =
        daemon.last_seen_seconds ? Json(*daemon.last_seen_seconds) : Json(nullptr);
    entry["error"] = OrNull(daemon.error);
    json.push_back(std::move(entry));
  }
  return json;
}

}  // namespace

void WriteReconcileJson(const ReconcileReport& report, std::ostream& out) {
  Json json;
  json["version"] = 1;
  json["environment"] = report.environment;
  json["applied"] = report.applied;
  json["sites"] = SitesJson(report.sites);
  json["summary"] = SummaryJson(report.plan);
  json["actions"] = Json::array();
  for (const Action& action : report.plan.actions) json["actions"].push_back(ActionJson(action));
  json["unmanaged"] = Json::array();
  for (const UnmanagedObject& object : report.plan.unmanaged) {
    json["unmanaged"].push_back({{"site", object.site},
                                 {"database", OrNull(object.database)},
                                 {"kind", KindName(object.kind)},
                                 {"key", object.key},
                                 {"kept", IsKept(report.plan, object)}});
  }
  json["daemons"] = DaemonsJson(report.daemons);
  if (report.applied) {
    json["outcomes"] = OutcomesJson(report.outcomes);
    json["verification"] = VerificationJson(report.verification);
    OutcomeCounts counts = CountOutcomes(report.outcomes);
    json["result"] = {{"done", counts.done},
                      {"failed", counts.failed},
                      {"skipped", counts.skipped},
                      {"remaining", report.verification
                                        ? report.verification->remaining.actions.size()
                                        : 0},
                      {"verified", Verified(report)},
                      {"converged", Converged(report)}};
  }
  out << json.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace pgtwin
