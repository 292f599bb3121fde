#pragma once

#include "providers/http/http_server.h"
#include "reconciler/serve/supervisor.h"

namespace pgtwin {

// The REST API of `pgtwin serve` (docs/cli.md, "serve"): / (the HTML status page),
// /healthz, /metrics,
// /api/v1/environments[/{name}[/plan|/reconcile]] and /api/v1/summary?format=slack|teams|json
// (every environment in a chat message's shape, linking under the config's LinkBase; 400 on
// another format). Errors are JSON {"error": "..."} with a
// 4xx status (401 without the bearer token, 404 unknown, 405 wrong method); secrets (the
// token, password hashes) never appear in an answer. Thread-safe.
HttpResponse HandleApiRequest(Supervisor& supervisor, const HttpRequest& request);

}  // namespace pgtwin
