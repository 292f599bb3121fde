#!/usr/bin/env bash
# Benchmark of `pgtwin reconcile` on a large schema (issue 3, "Benchmark", beyond the sandbox's
# small one). Run as root:
#
#   tests/bench/reconcile_big_bench.sh [--keep]
#
# Starts two PostgreSQL 15 instances, "Prod" in /var/tmp/pgtwin-bench-reconcile (port 6652) and
# "Test" in /var/tmp/pgtwin-bench-reconcile-test (port 6653), generates bench_big on Prod
# (tests/bench/generate.sql: 10,000 tables, 5,000 functions, 1,000 views by default), dumps it
# into a snapshot and writes a one-site spec for Test. Then, RUNS rounds (default 2), each with
# Test's databases dropped beforehand (untimed):
#   pg_dump -s | psql        pg_dump --schema-only of Prod's bench_big piped into psql (autocommit,
#                            statement by statement: what a DBA types)
#   pg_dump -s | psql -1     the same in one transaction (psql --single-transaction)
#   pgtwin full build        pgtwin reconcile SPEC from an empty Test (one transaction per action)
#   pgtwin no-op             pgtwin reconcile SPEC again (converged: observe, plan nothing)
# and reports the best of each. Before timing, one untimed build is checked: pgtwin diff of the
# snapshot against Test exits 0 and a --dry-run plans nothing.
# Environment: PGTWIN, RUNS, TABLES/FUNCTIONS/VIEWS, BENCH_SCHED (see lib.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BENCH_DIR=/var/tmp/pgtwin-bench-reconcile
BENCH_PORT=6652
TEST_DIR=/var/tmp/pgtwin-bench-reconcile-test
TEST_PORT=6653
BENCH_KEEP=0
[ "${1:-}" = --keep ] && BENCH_KEEP=1
RUNS=${RUNS:-2}
TABLES=${TABLES:-10000}
FUNCTIONS=${FUNCTIONS:-5000}
VIEWS=${VIEWS:-1000}
SNAPSHOT=$BENCH_DIR/snapshot
SPEC=$BENCH_DIR/bench.yaml

TestPsql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$TEST_DIR" -p "$TEST_PORT" -U postgres "$@"; }
Cleanup() {
  BenchCleanup
  if [ "$BENCH_KEEP" != 1 ]; then
    "$REPO_DIR/deploy/pg-instance.sh" stop "$TEST_DIR" 2>/dev/null || true
    rm -rf "$TEST_DIR"
  fi
}

EnsurePgtwin
Log "pgtwin: $PGTWIN"
trap Cleanup EXIT
BenchStartInstance
# Test gets the same lock table room: psql --single-transaction creates 10,000 tables in one.
BENCH_DIR=$TEST_DIR BENCH_PORT=$TEST_PORT BenchStartInstance
GenerateDatabase bench_big "$TABLES" "$FUNCTIONS" "$VIEWS" 5
desc=$(DescribeDatabase bench_big)
Log "bench_big: $desc"

rm -rf "$SNAPSHOT"
"$PGTWIN" dump --source "$(Conninfo bench_big)" --output "$SNAPSHOT" >/dev/null
cat >"$SPEC" <<EOF
environment: bench
prod: { snapshot: $SNAPSHOT }
sites:
  dc1: { host: 127.0.0.1, port: $TEST_PORT, user: postgres }
databases:
  - { name: bench_big }
roles: { from: prod, passwords: none, skip: ["^pg_", "^postgres\$"] }
EOF

DropTest() { TestPsql -d postgres -c 'SET client_min_messages = warning' \
  -c 'DROP DATABASE IF EXISTS bench_big' \
  -c 'DROP DATABASE IF EXISTS bench_restore'; }
Restore() {
  TestPsql -d postgres -c 'CREATE DATABASE bench_restore TEMPLATE template0'
  Measured "$PG_BIN/pg_dump" --schema-only -d "$(Conninfo bench_big)" \
    | Measured "$PG_BIN/psql" -X -q -h "$TEST_DIR" -p "$TEST_PORT" -U postgres "$@" \
      -v ON_ERROR_STOP=1 -d bench_restore >/dev/null 2>"$BENCH_DIR/restore.err"
}
# CheckRestore: the restored database has as many relations and functions as Prod's (untimed).
Census() { echo "SELECT (SELECT count(*) FROM pg_class WHERE relnamespace::regnamespace::text
  LIKE 'bench_s%'), (SELECT count(*) FROM pg_proc WHERE pronamespace::regnamespace::text
  LIKE 'bench_s%')"; }
CheckRestore() {
  local want got
  want=$(Psql bench_big -Atc "$(Census)")
  got=$(TestPsql -d bench_restore -Atc "$(Census)")
  [ "$want" = "$got" ] || Die "pg_dump | psql restored $got relations|functions of $want:" \
    "$(grep -m 3 ERROR "$BENCH_DIR/restore.err")"
}
Build() { Measured "$PGTWIN" reconcile "$SPEC" >"$BENCH_DIR/reconcile.out"; }
Timed() {
  local t0; t0=$(date +%s%N)
  "$@" || Die "$* failed"
  Seconds "$t0"
}
Best() { printf '%s\n' "$@" | sort -n | head -n 1; }

Log "checking one build (untimed)"
DropTest
Build || Die "reconcile failed: $(tail -n 5 "$BENCH_DIR/reconcile.out")"
actions=$(grep -o '^Converged: [0-9]* done' "$BENCH_DIR/reconcile.out" | grep -o '[0-9]*')
"$PGTWIN" diff --source "$SNAPSHOT/databases/bench_big.json" \
  --target "host=127.0.0.1 port=$TEST_PORT user=postgres dbname=bench_big" >/dev/null \
  || Die "pgtwin diff of the snapshot against the built Test is not clean"
"$PGTWIN" reconcile "$SPEC" --dry-run >/dev/null || Die "a second --dry-run plans changes"

InstancePriority on
BENCH_DIR=$TEST_DIR InstancePriority on  # both servers scheduled alike
declare -a t_restore t_single t_build t_noop
for ((r = 1; r <= RUNS; r++)); do
  DropTest
  t_restore+=("$(Timed Restore)")
  CheckRestore
  DropTest
  t_single+=("$(Timed Restore --single-transaction)")
  CheckRestore
  DropTest
  t_build+=("$(Timed Build)")
  t_noop+=("$(Timed Build)")
  Log "round $r: pg_dump|psql ${t_restore[-1]} s, pg_dump|psql -1 ${t_single[-1]} s," \
    "pgtwin build ${t_build[-1]} s, no-op ${t_noop[-1]} s"
done
InstancePriority off
BENCH_DIR=$TEST_DIR InstancePriority off

restore=$(Best "${t_restore[@]}")
single=$(Best "${t_single[@]}")
build=$(Best "${t_build[@]}")
noop=$(Best "${t_noop[@]}")
echo
echo "pgtwin reconcile benchmark (large schema), $(date -u +%Y-%m-%d), $(nproc) cores," \
  "PostgreSQL $(Psql postgres -Atc 'SHOW server_version'); $(SchedulingNote); best of $RUNS"
echo "bench_big: $desc; the full build applies $actions actions"
printf '| %-32s | %9s | %-22s |\n' "measurement" "seconds" "pgtwin / pg_dump|psql"
printf '| %-32s | %9s | %-22s |\n' "pg_dump -s | psql" "$restore" ""
printf '| %-32s | %9s | %-22s |\n' "pg_dump -s | psql --single-transaction" "$single" ""
printf '| %-32s | %9s | %-22s |\n' "pgtwin reconcile, full build" "$build" \
  "$(Ratio "$build" "$restore")x (-1: $(Ratio "$build" "$single")x)"
printf '| %-32s | %9s | %-22s |\n' "pgtwin reconcile, no-op" "$noop" ""
