#!/usr/bin/env bash
# Benchmark: the REST API of `pgtwin serve` under a bounded burst of concurrent requests while a
# reconcile pass runs. A PostgreSQL 15 of its own (/var/tmp/pgtwin-bench-serve, port 6654) holds
# a generated database that is both the Prod snapshot's source and the Test environment; serve
# watches a spec of it (interval one hour: only the start and the POSTed passes run). Each round
# drops one of Test's schemas, POSTs .../reconcile and, once the pass is running, starts CLIENTS
# curl processes at once, each sending REQUESTS requests one after the other on one connection
# (a mix of /api/v1/environments, /api/v1/environments/bench, /metrics, /healthz and
# /api/v1/summary?format=slack). Prints errors (any answer but 200), p50, p99 and max latency
# and how much of the burst ran during the pass; exits 1 on an error or when Test did not
# converge afterwards.
# Usage: [PGTWIN=path] [CLIENTS=20] [REQUESTS=50] [ROUNDS=3] [TABLES=600] [BENCH_KEEP=1]
#        tests/bench/serve_bench.sh            (as root, like the other benchmarks)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BENCH_DIR=/var/tmp/pgtwin-bench-serve
BENCH_PORT=6654
API_PORT=${API_PORT:-6664}
CLIENTS=${CLIENTS:-20}
REQUESTS=${REQUESTS:-50}
ROUNDS=${ROUNDS:-3}
TABLES=${TABLES:-600}
DB=bench_serve
base=http://127.0.0.1:$API_PORT
work=$(mktemp -d /var/tmp/pgtwin-bench-serve-work.XXXXXX)
serve_pid=
Cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  rm -rf "$work"
  BenchCleanup
}
trap Cleanup EXIT

# Get PATH: the body of a GET (fails on an HTTP error).
Get() { curl -sf -m 10 "$base$1"; }
# Field PATH EXPR: a jq-free JSON field read with python3.
Field() { Get "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"; }
WaitFor() {  # WaitFor SECONDS COMMAND...: polls COMMAND every 0.1 s
  local until=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$until" ] || return 1
    sleep 0.1
  done
}
StateIs() { [ "$(Field /api/v1/environments/bench "d['state']")" = "$1" ]; }
Reconciling() { [ "$(Field /api/v1/environments/bench "d['reconciling']")" = True ]; }
LastPass() { Field /api/v1/environments/bench "d['passes'][0]['number'] if d['passes'] else 0"; }

EnsurePgtwin
BenchStartInstance
GenerateDatabase "$DB" "$TABLES" $((TABLES / 3)) $((TABLES / 10)) 3
Log "$(DescribeDatabase "$DB")"
"$PGTWIN" dump --source "$(Conninfo "$DB")" --output "$work/prod" >/dev/null
# Prod and Test are one instance here: the snapshot forgets its source's system identifier, or
# reconcile would refuse to write to the source (the integration tests' fixture does the same).
sed -i -E 's/"system_identifier": *"[0-9]+", *//' "$work/prod/cluster.json"
grep -q system_identifier "$work/prod/cluster.json" && Die "system identifier left in the snapshot"
mkdir "$work/specs"
cat >"$work/specs/bench.yaml" <<EOF
environment: bench
prod: { snapshot: $work/prod }
sites:
  dc1: { host: 127.0.0.1, port: $BENCH_PORT, user: postgres }
databases:
  - { name: $DB }
roles: { passwords: none }
EOF
head -c 24 /dev/urandom | base64 >"$work/token"
cat >"$work/serve.yaml" <<EOF
specs: specs
interval: 3600
listen: 127.0.0.1:$API_PORT
token_file: token
EOF
"$PGTWIN" serve --config "$work/serve.yaml" 2>"$work/serve.log" &
serve_pid=$!
WaitFor 20 Get /healthz || Die "serve did not answer (see the log: $(tail -3 "$work/serve.log"))"
WaitFor 120 StateIs Ready || Die "bench not Ready after the first pass: $(tail -3 "$work/serve.log")"

paths=(/api/v1/environments /api/v1/environments/bench /metrics /healthz
  "/api/v1/summary?format=slack")
# Client N: REQUESTS requests on one connection; one "code seconds" line each.
Client() {
  local args=() i
  for ((i = 0; i < REQUESTS; i++)); do
    args+=(-o /dev/null "$base${paths[$(((i + $1) % ${#paths[@]}))]}")
  done
  curl -s -m 30 -w '%{http_code} %{time_total} %{url_effective}\n' "${args[@]}" || true
}

: >"$work/times"
for ((round = 1; round <= ROUNDS; round++)); do
  Psql "$DB" -c "DROP SCHEMA bench_s$((round % 3)) CASCADE"
  before=$(LastPass)
  curl -sf -m 10 -X POST -H "Authorization: Bearer $(cat "$work/token")" \
    "$base/api/v1/environments/bench/reconcile" >/dev/null || Die "POST reconcile failed"
  WaitFor 30 Reconciling || Die "no pass started"
  t0=$(date +%s%N)
  for ((c = 0; c < CLIENTS; c++)); do Client "$c" >"$work/client.$c" & done
  wait $(jobs -p | grep -v "^$serve_pid$")
  burst=$(Seconds "$t0")
  during=no
  Reconciling && during=yes
  cat "$work"/client.* >>"$work/times"
  WaitFor 300 bash -c "[ \$(curl -sf $base/api/v1/environments/bench | python3 -c \
    'import json,sys; d=json.load(sys.stdin); print(d[\"passes\"][0][\"number\"] > $before \
    and not d[\"reconciling\"])') = True ]" || Die "the pass did not end"
  pass=$(Field /api/v1/environments/bench \
    "'%s, %.2f s, %s actions done' % (d['state'], d['passes'][0]['duration_seconds'], d['passes'][0]['actions']['done'])")
  Log "round $round: burst $burst s (pass still running at its end: $during); pass: $pass"
  StateIs Ready || Die "Test did not converge: $pass"
done

Log "answer sizes: /api/v1/environments/bench $(Get /api/v1/environments/bench | wc -c) bytes" \
  "(its last_run holds the last pass's plan), /metrics $(Get /metrics | wc -c) bytes"
python3 - "$work/times" "$CLIENTS" "$REQUESTS" "$ROUNDS" <<'EOF'
import sys
path, clients, requests, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rows = [line.split() for line in open(path) if line.strip()]
errors = sum(1 for code, t, url in rows if code != "200")
expected = clients * requests * rounds
def line(label, times):
    times = sorted(times)
    pct = lambda p: times[min(len(times) - 1, int(len(times) * p / 100))]
    print(f"{label:<42} {len(times):>5}  p50 {pct(50):7.1f} ms  p99 {pct(99):7.1f} ms"
          f"  max {times[-1]:7.1f} ms")
print(f"{len(rows)} of {expected} requests answered ({clients} clients x {requests} requests"
      f" x {rounds} rounds), {errors} errors")
line("all", [float(t) * 1000 for code, t, url in rows])
for path in sorted({url.split("/", 3)[3] for code, t, url in rows}):
    line("/" + path, [float(t) * 1000 for code, t, url in rows if url.split("/", 3)[3] == path])
sys.exit(1 if errors or len(rows) != expected else 0)
EOF
