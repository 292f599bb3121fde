# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # the sourcing script's variables; eval'd conditions
# `pgtwin serve` on the sandbox: sourced at the end of tests/e2e/sandbox_reconcile_test.sh (Test
# reconciled by then), whose helpers it uses (step, fail, sql, $pgtwin, $spec, $work, $out,
# $src, $PGTWIN_SANDBOX_DIR, $PGTWIN_SANDBOX_PORT).
#   h1. serve the sandbox spec (plan-only at first, interval 3 s, a token, a json webhook on a
#       loopback receiver); the environment becomes Ready, which is no news (no message)
#   h2. an index dropped by hand on test-dc1: within an interval the API shows the environment
#       Drifted (PlanOnly, 1 index) and /metrics the drift gauge; the receiver hears "drift found"
#       once, and no more over two further passes; the index stays dropped (plan only)
#   h3. SIGHUP with policy apply: the next pass recreates the index; Ready; "converged" once
#   h4. test-dc2 stopped: Degraded (SiteUnreachable) naming site dc2; started again: Ready,
#       without a restart of serve; "failed" then "recovered"
#   h5. SIGTERM: exit 0; neither the token nor the webhook URL's path is in serve's log
# Every wait polls with a timeout; serve and the receiver are stopped on any exit, before the
# script's own cleanup purges the sandbox.

serve_dir="$work/serve"
mkdir -p "$serve_dir/specs"
serve_pid=""
receiver_pid=""
serve_steps_cleanup() {
  [ -z "$serve_pid" ] || kill -KILL "$serve_pid" 2>/dev/null || true
  [ -z "$receiver_pid" ] || kill "$receiver_pid" 2>/dev/null || true
  [ -z "$serve_pid" ] || wait "$serve_pid" 2>/dev/null || true
  [ -z "$receiver_pid" ] || wait "$receiver_pid" 2>/dev/null || true
}
# The EXIT trap set before (the script's cleanup: the sandbox purged) still runs, after this one,
# with the exit status.
eval "serve_steps_trap=($(trap -p EXIT))"   # (trap -- 'COMMAND' EXIT), unquoted
serve_steps_previous_exit=${serve_steps_trap[2]:-}
serve_steps_exit() {
  local rc=$?
  serve_steps_cleanup
  (exit $rc)
  eval "$serve_steps_previous_exit"
}
trap serve_steps_exit EXIT

serve_started=$SECONDS
step "h1. serve the sandbox spec: a webhook receiver on loopback, plan-only, interval 3 s"
# The receiver: every POST body appended to hooks.jsonl, one a line; answers 200.
cat > "$serve_dir/receiver.py" <<'PY'
import http.server, sys
out, port_file = sys.argv[1], sys.argv[2]
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(out, "ab") as f:
            f.write(body.replace(b"\n", b" ") + b"\n")
        with open(out + ".paths", "a") as f:
            f.write(self.path + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os; os.rename(port_file + ".tmp", port_file)
server.serve_forever()
PY
hooks="$serve_dir/hooks.jsonl"
: > "$hooks"
python3 "$serve_dir/receiver.py" "$hooks" "$serve_dir/receiver.port" &
receiver_pid=$!
for _ in $(seq 50); do [ -s "$serve_dir/receiver.port" ] && break; sleep 0.1; done
[ -s "$serve_dir/receiver.port" ] || fail "the webhook receiver did not start"
hook_secret="hk-$RANDOM$RANDOM"
token="tk-$RANDOM$RANDOM"
echo "$token" > "$serve_dir/token"
serve_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
serve_base="http://127.0.0.1:$serve_port"
cp "$spec" "$serve_dir/specs/sandbox.yaml"   # the environment "sandbox"; the snapshot path is absolute
write_serve_config() {
  cat > "$serve_dir/serve.yaml" <<YAML
specs: specs
interval: 3
listen: 127.0.0.1:$serve_port
token_file: token
lock_timeout: 20
backoff: { initial: 1, max: 3 }
notify:
  - { name: e2e-hook, url: "http://127.0.0.1:$(cat "$serve_dir/receiver.port")/hooks/$hook_secret", format: json }
environments:
  sandbox: { policy: $1 }
YAML
}
write_serve_config plan-only
"$pgtwin" serve --config "$serve_dir/serve.yaml" > "$serve_dir/serve.log" 2>&1 &
serve_pid=$!

# GET of an API path (body on stdout).
serve_get() { curl -s -m 10 "$serve_base$1"; }
# Prints a jq filter's value over the environment's detail (GET .../environments/sandbox); jq
# starts in milliseconds where python3 takes seconds on a busy host.
env_value() { serve_get /api/v1/environments/sandbox | jq -r "$1" 2>/dev/null; }
# The webhook messages about the environment received so far, as "headline new_state" lines.
hook_messages() {
  jq -r 'select(.environment == "sandbox") | .headline + " " + .new_state' "$hooks"
}
# Polls `CMD...` every 0.3 s until it succeeds; fails the step after TIMEOUT seconds.
wait_for() {
  local timeout=$1 what=$2 deadline=$((SECONDS + $1)); shift 2
  until "$@"; do
    if [ $SECONDS -ge $deadline ]; then
      echo "--- environment:"; serve_get /api/v1/environments/sandbox | head -c 3000; echo
      echo "--- serve log:"; tail -n 30 "$serve_dir/serve.log"
      fail "$what: not within $timeout s"
    fi
    sleep 0.3
  done
}
env_is() { [ "$(env_value '.state + " " + .reason')" = "$1" ]; }
passes_from() {
  local number
  number=$(env_value '.passes[0].number // 0')
  [ "${number:-0}" -ge "$1" ]
}
messages_are() { [ "$(hook_messages | paste -sd '|')" = "$1" ]; }

wait_for 20 "serve answers /healthz" eval '[ "$(serve_get /healthz)" != "" ]'
answering=$((SECONDS - serve_started))
wait_for 60 "the environment Ready (InSync)" env_is "Ready InSync"
[ "$(env_value .policy)" = plan-only ] || fail "policy is not plan-only"
printf '    API up in %d s, Ready %d s after the start of serve (passes took %s s)\n' \
  "$answering" $((SECONDS - serve_started)) \
  "$(env_value '[.passes | reverse[] | .duration_seconds * 10 | round / 10 | tostring] | join(", ")')"
[ ! -s "$hooks" ] || { cat "$hooks"; fail "a start finding the environment Ready was sent"; }

step "h2. an index dropped by hand on test-dc1: Drifted in the API and /metrics, one message"
# A plain index of clidb, a database only dc1 carries.
index=infodb_classificator.countries_name_idx
[ -n "$(sql test-dc1 clidb "SELECT to_regclass('$index')")" ] || fail "test-dc1 has no $index"
index_def=$(sql test-dc1 clidb "SELECT pg_get_indexdef('$index'::regclass)")
sql test-dc1 clidb "DROP INDEX $index" >/dev/null
dropped=$SECONDS
wait_for 15 "the environment Drifted (PlanOnly) after the drop of $index" env_is "Drifted PlanOnly"
printf '    drift seen in the API %d s after the change (interval 3 s)\n' $((SECONDS - dropped))
drift=$(env_value '.drift | tojson')
[ "$drift" = '{"index":1}' ] || fail "drift by kind is $drift, expected {\"index\":1}"
serve_get /metrics > "$out/serve-metrics-drift.txt"
grep -qxF 'pgtwin_drift_objects{environment="sandbox",kind="index"} 1' "$out/serve-metrics-drift.txt" \
  || { grep drift "$out/serve-metrics-drift.txt"; fail "/metrics has no index drift gauge of 1"; }
grep -qxF 'pgtwin_environment_ready{environment="sandbox"} 0' "$out/serve-metrics-drift.txt" \
  || fail "/metrics does not show the environment not ready"
wait_for 10 "one 'drift found' message" messages_are "drift found Drifted"
pass=$(env_value '.passes[0].number')
wait_for 20 "two further passes" passes_from $((pass + 2))
env_is "Drifted PlanOnly" || fail "no longer Drifted after two further passes"
messages_are "drift found Drifted" || { hook_messages; fail "the drift was told more than once"; }
[ -z "$(sql test-dc1 clidb "SELECT to_regclass('$index')")" ] \
  || fail "plan-only recreated $index"

step "h3. SIGHUP with policy apply: the next pass recreates the index, Ready, one message"
write_serve_config apply
kill -HUP "$serve_pid"
wait_for 10 "the policy apply after SIGHUP" eval '[ "$(env_value .policy)" = apply ]'
repaired() {
  [ "$(env_value '.state == "Ready" and any(.passes[]; .applied and .result == "converged"
    and .drift.index == 1 and .actions.done >= 1)')" = true ]
}
wait_for 30 "an applied pass repairing the index, the environment Ready" repaired
[ "$(sql test-dc1 clidb "SELECT pg_get_indexdef(to_regclass('$index'))")" = "$index_def" ] \
  || fail "$index is not back as it was: $index_def"
wait_for 10 "a 'converged' message" messages_are "drift found Drifted|converged Ready"

step "h4. test-dc2 stopped: Degraded naming site dc2; started again: Ready without a restart"
"$src/deploy/pg-instance.sh" stop "$PGTWIN_SANDBOX_DIR/test-dc2" >/dev/null
wait_for 20 "the environment Degraded (SiteUnreachable)" env_is "Degraded SiteUnreachable"
message=$(env_value .message)
[[ $message == *"site dc2"* ]] || fail "the reason does not name site dc2: $message"
"$src/deploy/pg-instance.sh" start "$PGTWIN_SANDBOX_DIR/test-dc2" $((PGTWIN_SANDBOX_PORT + 4)) \
  >/dev/null
wait_for 30 "the environment Ready again" eval 'env_is "Ready InSync" || env_is "Ready Converged"'
kill -0 "$serve_pid" 2>/dev/null || fail "serve is no longer running"
wait_for 10 "'failed' and 'recovered' messages" \
  messages_are "drift found Drifted|converged Ready|failed Degraded|recovered Ready"

step "h5. SIGTERM: serve exits 0; no secret in its log"
kill -TERM "$serve_pid"
serve_rc=0
wait "$serve_pid" || serve_rc=$?
serve_pid=""
[ "$serve_rc" -eq 0 ] || { tail -n 30 "$serve_dir/serve.log"; fail "serve exited $serve_rc"; }
grep -q "pgtwin serve: stopped" "$serve_dir/serve.log" || fail "serve did not log its stop"
for secret in "$token" "$hook_secret"; do
  ! grep -qF -- "$secret" "$serve_dir/serve.log" || fail "a secret is in serve's log"
  ! grep -qF -- "$secret" "$hooks" || fail "a secret is in a webhook message"
done
[ "$(sort -u "$hooks.paths")" = "/hooks/$hook_secret" ] || fail "a message went elsewhere"
printf '    serve steps took %d s\n' $((SECONDS - serve_started))
