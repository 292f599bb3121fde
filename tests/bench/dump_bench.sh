#!/usr/bin/env bash
# Benchmark of `pgtwin dump` against `pg_dump --schema-only` (issue 2, "Benchmark"). Run as root:
#
#   tests/bench/dump_bench.sh [--keep]
#
# Starts its own PostgreSQL 15 in /var/tmp/pgtwin-bench-dump on port 6650, generates a database
# of 10,000 tables / 5,000 functions / 1,000 views (tests/bench/generate.sql) and one of 10
# tables, then measures, best of 3 each: pg_dump --schema-only > /dev/null, pgtwin dump --format
# json > /dev/null and pgtwin dump --output DIR. In a separate untimed run per database it counts
# on the server (log_statement = 'all') the statements pgtwin sent; the counts must be equal.
# Everything is stopped and removed at the end; --keep leaves the instance and its generated
# databases for a faster rerun (the next run reuses them).
# Environment: PGTWIN (binary; default: build target `pgtwin` in BUILD_DIR=build-bench, Release),
# RUNS (default 3), TABLES/FUNCTIONS/VIEWS (default 10000/5000/1000).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BENCH_DIR=/var/tmp/pgtwin-bench-dump
BENCH_PORT=6650
BENCH_KEEP=0
[ "${1:-}" = --keep ] && BENCH_KEEP=1
RUNS=${RUNS:-3}
TABLES=${TABLES:-10000}
FUNCTIONS=${FUNCTIONS:-5000}
VIEWS=${VIEWS:-1000}
OUT_DIR=$BENCH_DIR/snapshot
APP_NAME=pgtwin_bench_count

EnsurePgtwin
Log "pgtwin: $PGTWIN"
trap BenchCleanup EXIT
BenchStartInstance

GenerateDatabase bench_small 10 10 5 2
GenerateDatabase bench_big "$TABLES" "$FUNCTIONS" "$VIEWS" 5
small_desc=$(DescribeDatabase bench_small)
big_desc=$(DescribeDatabase bench_big)
Log "bench_small: $small_desc"
Log "bench_big:   $big_desc"

RunPgDump() { "$PG_BIN/pg_dump" --schema-only -d "$(Conninfo bench_big)" >/dev/null; }
RunPgtwinJson() { "$PGTWIN" dump --source "$(Conninfo bench_big)" --format json >/dev/null; }
RunPgtwinOutput() {
  rm -rf "$OUT_DIR"
  "$PGTWIN" dump --source "$(Conninfo bench_big)" --format json --output "$OUT_DIR" >/dev/null
}

# CountQueries DB: statements the server received from one untimed `pgtwin dump --stats` of DB,
# counted from the server log (log_statement = 'all'; simple-protocol "statement:" and
# extended-protocol "execute ...:" lines of the session named APP_NAME). Prints
# "<server count>|<pgtwin --stats line>".
CountQueries() {
  local db=$1 log=$BENCH_DIR/server.log start stats count
  Psql postgres -c "ALTER SYSTEM SET log_statement = 'all'" \
    -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] %q<%a> %u@%d '" -c "SELECT pg_reload_conf()" \
    >/dev/null
  sleep 1
  start=$(stat -c %s "$log")
  stats=$("$PGTWIN" dump --source "$(Conninfo "$db") application_name=$APP_NAME" --format json \
            --stats 2>&1 >/dev/null) || Die "pgtwin dump --stats of $db failed: $stats"
  sleep 1
  count=$(tail -c +"$((start + 1))" "$log" \
    | grep -cE "^[^<]*<$APP_NAME> .*LOG:  (statement|execute [^:]*): " || true)
  tail -c +"$((start + 1))" "$log" | grep -E "^[^<]*<$APP_NAME> " >"$BENCH_DIR/queries-$db.log" || true
  if ! grep -q "<$APP_NAME>" "$BENCH_DIR/queries-$db.log"; then
    Log "warning: no log line carries application_name $APP_NAME; counting every non-psql session"
    count=$(tail -c +"$((start + 1))" "$log" \
      | grep -vE "^[^<]*<psql> " | grep -cE "LOG:  (statement|execute [^:]*): " || true)
  fi
  Psql postgres -c "ALTER SYSTEM RESET log_statement" -c "ALTER SYSTEM RESET log_line_prefix" \
    -c "SELECT pg_reload_conf()" >/dev/null
  echo "$count|$(echo "$stats" | tr '\n' ' ')"
}

Log "counting queries (untimed runs, log_statement = 'all')"
IFS='|' read -r q_small stats_small <<<"$(CountQueries bench_small)"
IFS='|' read -r q_big stats_big <<<"$(CountQueries bench_big)"

Log "timing, best of $RUNS"
t_pg_dump=$(BestOf "$RUNS" RunPgDump)
t_json=$(BestOf "$RUNS" RunPgtwinJson)
t_output=$(BestOf "$RUNS" RunPgtwinOutput)
snapshot_size=$(du -sh "$OUT_DIR" | cut -f1)
rm -rf "$OUT_DIR"

r_json=$(Ratio "$t_json" "$t_pg_dump")
r_output=$(Ratio "$t_output" "$t_pg_dump")
Verdict() { awk -v r="$1" 'BEGIN { print (r <= 0.2 ? "met" : "MISSED") }'; }

Row() { printf '| %-44s | %9s | %9s | %-11s |\n' "$@"; }
same=MISSED
[ "$q_small" = "$q_big" ] && [ "$q_small" -gt 0 ] && same=met
echo
echo "pgtwin dump benchmark, $(date -u +%Y-%m-%d), $(nproc) cores," \
  "PostgreSQL $(Psql postgres -Atc 'SHOW server_version')"
echo "bench_big:   $big_desc"
echo "bench_small: $small_desc"
echo
Row "bench_big, best of $RUNS" "wall time" "× pg_dump" "goal ≤ 0.2×"
Row "--------------------------------------------" "---------" "---------" "-----------"
Row "pg_dump --schema-only > /dev/null" "$t_pg_dump s" "1.000" ""
Row "pgtwin dump --format json > /dev/null" "$t_json s" "$r_json" "$(Verdict "$r_json")"
Row "pgtwin dump --output DIR ($snapshot_size)" "$t_output s" "$r_output" "$(Verdict "$r_output")"
echo
Row "queries pgtwin sent, counted in server log" "count" "" "goal: same"
Row "--------------------------------------------" "---------" "---------" "-----------"
Row "bench_small (10 tables)" "$q_small" "" "$same"
Row "bench_big ($TABLES tables)" "$q_big" "" "$same"
echo
echo "pgtwin --stats, bench_small: $stats_small"
echo "pgtwin --stats, bench_big:   $stats_big"
