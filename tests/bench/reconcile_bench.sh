#!/usr/bin/env bash
# Benchmark: `pgtwin reconcile specs/sandbox.yaml` on the sandbox (deploy/sandbox.sh up, a Prod
# snapshot in /var/tmp/pgtwin-sandbox/snapshots/prod as deploy/quickstart.sh writes it) against
# what a DBA runs instead, `pg_dump --schema-only | psql` of the same databases into empty ones,
# measured in the same run:
#   full build  Test's databases dropped, then one reconcile (roles already there, as for
#               pg_dump | psql, which does not copy roles)
#   no-op       a reconcile of the converged Test (best of 3)
# Usage: tests/bench/reconcile_bench.sh [PGTWIN_BINARY]   (default build/reconciler/cli/pgtwin)
set -euo pipefail
cd "$(dirname "$0")/../.."
pgtwin=${1:-build/reconciler/cli/pgtwin}
spec=specs/sandbox.yaml
prod=$(deploy/sandbox.sh uri prod-dc1)
prod=${prod%/postgres}
declare -A site_dbs=(
  [$(deploy/sandbox.sh uri test-dc1)]="accountdb_p000 accountdb_p001 clidb confdb proxydb"
  [$(deploy/sandbox.sh uri test-dc2)]="accountdb_p000 accountdb_p001")

Seconds() { local start=$EPOCHREALTIME; "$@" >/dev/null 2>&1 || true; awk -v a="$EPOCHREALTIME" -v b="$start" 'BEGIN { print a - b }'; }
DropTest() {
  local uri db
  for uri in "${!site_dbs[@]}"; do
    for db in ${site_dbs[$uri]}; do
      psql -X -q "$uri" -c "DROP DATABASE IF EXISTS $db" -c "DROP DATABASE IF EXISTS bench_$db" \
        2>/dev/null
    done
  done
}
DumpRestore() {
  local uri db
  for uri in "${!site_dbs[@]}"; do
    for db in ${site_dbs[$uri]}; do
      psql -X -q "$uri" -c "CREATE DATABASE bench_$db TEMPLATE template0"
      pg_dump --schema-only "$prod/$db" | psql -X -q "${uri%/postgres}/bench_$db" >/dev/null 2>&1
    done
  done
}

"$pgtwin" reconcile "$spec" >/dev/null  # roles in place for both tools
DropTest
restore=$(Seconds DumpRestore)
DropTest
build=$(Seconds "$pgtwin" reconcile "$spec")
noop=$(for _ in 1 2 3; do Seconds "$pgtwin" reconcile "$spec"; done | sort -n | head -1)
DropTest
"$pgtwin" reconcile "$spec" >/dev/null
printf 'pg_dump -s | psql (7 databases)  %6.2f s\n' "$restore"
printf 'pgtwin full build               %6.2f s   ratio %.2fx\n' "$build" "$(awk -v a="$build" -v b="$restore" 'BEGIN { print a / b }')"
printf 'pgtwin no-op reconcile          %6.2f s\n' "$noop"
