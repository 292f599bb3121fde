#include "reconciler/serve/serve_api.h"

#include <ctime>
#include <nlohmann/json.hpp>
#include <sstream>

#include "reconciler/notify/chat_message.h"
#include "reconciler/report/plan_json.h"
#include "reconciler/serve/status_page.h"

namespace pgtwin {
namespace {

using nlohmann::json;

constexpr char kPrefix[] = "/api/v1/environments";

std::string IsoTime(WallTime time) { return FormatUtc(time, "%Y-%m-%dT%H:%M:%SZ"); }

json OptionalTime(const std::optional<WallTime>& time) {
  return time ? json(IsoTime(*time)) : json(nullptr);
}

std::string Dump(const json& value) {
  return value.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

HttpResponse Json(int status, const json& body) { return {status, "application/json", Dump(body)}; }

HttpResponse Error(int status, const std::string& message) {
  return Json(status, json{{"error", message}});
}

json PassJson(const PassRecord& pass) {
  return json{{"number", pass.number},
              {"trigger", pass.trigger},
              {"started", IsoTime(pass.started)},
              {"duration_seconds", pass.duration_seconds},
              {"applied", pass.applied},
              {"result", PassResultName(pass.result)},
              {"summary", pass.summary},
              {"drift", pass.drift},
              {"unmanaged", pass.unmanaged},
              {"actions", json{{"done", pass.outcomes.done},
                               {"failed", pass.outcomes.failed},
                               {"skipped", pass.outcomes.skipped}}}};
}

json ReportJson(const ReconcileReport& report) {
  std::ostringstream out;
  WriteReconcileJson(report, out);
  return json::parse(out.str(), nullptr, false);
}

json Condition(const char* type, bool status, const std::string& reason,
               const std::string& message) {
  return json{{"type", type}, {"status", status}, {"reason", reason}, {"message", message}};
}

json SummaryJson(const EnvStatus& status) {
  return json{{"name", status.name},
              {"state", EnvStateName(status.state)},
              {"reason", status.reason},
              {"message", status.message},
              {"policy", status.policy},
              {"reconciling", status.reconciling},
              {"drift", status.drift},
              {"last_success", OptionalTime(status.last_success)},
              {"last_pass", status.passes.empty() ? json(nullptr) : PassJson(status.passes.back())}};
}

json DetailJson(const EnvStatus& status) {
  json detail = SummaryJson(status);
  detail["spec"] = status.spec_file;
  detail["failures"] = status.failures;
  detail["last_transition"] = OptionalTime(status.last_transition);
  detail["next_pass"] = OptionalTime(status.next_pass);
  bool ready = status.state == EnvState::kReady;
  bool degraded = status.state == EnvState::kDegraded;
  bool stalled = status.state == EnvState::kStalled;
  detail["conditions"] = json::array(
      {Condition("Ready", ready, status.reason, status.message),
       Condition("Reconciling", status.reconciling, status.reconciling ? "PassRunning" : "Idle",
                 status.reconciling_since ? "since " + IsoTime(*status.reconciling_since) : ""),
       Condition("Degraded", degraded, degraded ? status.reason : "",
                 degraded ? status.message : ""),
       Condition("Stalled", stalled, stalled ? status.reason : "", stalled ? status.message : "")});
  json errors = json::array();
  for (const SpecError& error : status.spec_errors) errors.push_back(error.ToString());
  detail["spec_errors"] = errors;
  detail["last_run"] = status.last_report ? ReportJson(*status.last_report) : json(nullptr);
  // The replication daemons as the last pass found them (as in last_run), at the top level.
  const json& last_run = detail["last_run"];
  detail["daemons"] = last_run.is_object() && last_run.contains("daemons") ? last_run["daemons"]
                                                                           : json::array();
  json passes = json::array();
  for (auto it = status.passes.rbegin(); it != status.passes.rend(); ++it) {
    passes.push_back(PassJson(*it));
  }
  detail["passes"] = passes;
  return detail;
}

HttpResponse Plan(Supervisor& supervisor, const std::string& name) {
  StatusOr<RunResult> result = supervisor.DryRun(name);
  if (!result.ok()) {
    if (result.status().code() == StatusCode::kNotFound) return Error(404, result.status().message());
    return Error(502, result.status().message());
  }
  if (!result->spec_errors.empty()) {
    json errors = json::array();
    for (const SpecError& error : result->spec_errors) errors.push_back(error.ToString());
    return Json(422, json{{"error", "the spec does not validate"}, {"spec_errors", errors}});
  }
  return Json(200, ReportJson(result->report));
}

// The value of `key` in a raw query string ("format=slack&x=1"), or nullopt when absent.
std::optional<std::string> QueryValue(const std::string& query, const std::string& key) {
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string pair = query.substr(start, end - start);
    size_t equals = pair.find('=');
    if (pair.substr(0, equals) == key) {
      return equals == std::string::npos ? "" : pair.substr(equals + 1);
    }
    start = end + 1;
  }
  return std::nullopt;
}

HttpResponse Summary(Supervisor& supervisor, const HttpRequest& request) {
  if (request.method != "GET") return Error(405, "use GET on " + request.path);
  std::string text = QueryValue(request.query, "format").value_or("json");
  std::optional<ChatFormat> format = ParseChatFormat(text);
  if (!format) return Error(400, "format '" + text + "' is not slack, teams or json");
  std::string body = SummaryMessage(supervisor.Statuses(false), *format,
                                    supervisor.LinkBase() + kPrefix);
  return {200, "application/json", body + "\n"};
}

HttpResponse Environment(Supervisor& supervisor, const HttpRequest& request,
                         const std::string& rest) {
  size_t slash = rest.find('/');
  std::string name = rest.substr(0, slash);
  std::string action = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (name.empty()) return Error(404, "no such resource: " + request.path);
  if (action.empty()) {
    if (request.method != "GET") return Error(405, "use GET on " + request.path);
    std::optional<EnvStatus> status = supervisor.StatusOf(name);
    if (!status) return Error(404, "no environment '" + name + "'");
    return Json(200, DetailJson(*status));
  }
  if (action == "plan") {
    if (request.method != "GET") return Error(405, "use GET on " + request.path);
    return Plan(supervisor, name);
  }
  if (action == "reconcile") {
    if (request.method != "POST") return Error(405, "use POST on " + request.path);
    if (!supervisor.Authorized(request.authorization)) {
      return Error(401, "a valid bearer token is required (Authorization: Bearer TOKEN)");
    }
    Status status = supervisor.Trigger(name);
    if (status.code() == StatusCode::kNotFound) return Error(404, status.message());
    if (!status.ok()) return Error(409, status.message());
    return Json(202, json{{"environment", name}, {"accepted", true}});
  }
  return Error(404, "no such resource: " + request.path);
}

}  // namespace

HttpResponse HandleApiRequest(Supervisor& supervisor, const HttpRequest& request) {
  const std::string& path = request.path;
  if (path == "/") {
    if (request.method != "GET") return Error(405, "use GET on /");
    return {200, "text/html; charset=utf-8",
            RenderStatusPage(supervisor.Statuses(true), std::chrono::system_clock::now())};
  }
  if (path == "/healthz") {
    if (request.method != "GET") return Error(405, "use GET on /healthz");
    return Json(200, json{{"status", "ok"}});
  }
  if (path == "/metrics") {
    if (request.method != "GET") return Error(405, "use GET on /metrics");
    return {200, "text/plain; version=0.0.4",
            supervisor.metrics().Render(supervisor.Statuses(false))};
  }
  if (path == "/api/v1/summary") return Summary(supervisor, request);
  std::string prefix = kPrefix;
  if (path == prefix || path == prefix + "/") {
    if (request.method != "GET") return Error(405, "use GET on " + path);
    json list = json::array();
    for (const EnvStatus& status : supervisor.Statuses(false)) list.push_back(SummaryJson(status));
    return Json(200, json{{"environments", list}});
  }
  if (path.compare(0, prefix.size() + 1, prefix + "/") == 0) {
    return Environment(supervisor, request, path.substr(prefix.size() + 1));
  }
  return Error(404, "no such resource: " + path);
}

}  // namespace pgtwin
