#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reconciler/serve/env_status.h"

namespace pgtwin {

// `text` with & < > " ' replaced by character references: safe in HTML text and in a quoted
// attribute value.
std::string HtmlEscape(std::string_view text);

// The most plan lines the status page shows per environment; the rest are counted.
inline constexpr size_t kStatusPagePlanLines = 50;

// The status page of `pgtwin serve` (GET /, docs/cli.md "serve"): one HTML document, no
// script, refreshing itself every 10 s. Per environment (in the given order): its name, state
// (coloured; "Reconciling" beside it while a pass runs), reason, message (a Stalled one's spec
// errors instead), spec file, policy, drift by kind, last pass (time, trigger, result,
// duration, summary), last success, failures, next pass, the replication daemons of the last
// pass (a row each: name, site/database, running (pid) or not, lag, last seen, error) and its
// last plan, one line per action
// ("+ create table:app.t", capped at kStatusPagePlanLines with "… N more"). Every value is
// HTML-escaped. No SQL, so no secret placeholder or password: it shows what the JSON API
// shows. `now` stamps the page.
std::string RenderStatusPage(const std::vector<EnvStatus>& statuses, WallTime now);

}  // namespace pgtwin
