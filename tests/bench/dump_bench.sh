#!/usr/bin/env bash
# Benchmark of `pgtwin dump` against `pg_dump --schema-only` (issue 2, "Benchmark"). Run as root:
#
#   tests/bench/dump_bench.sh [--keep]
#
# Starts its own PostgreSQL 15 in /var/tmp/pgtwin-bench-dump on port 6650, generates a database
# of 10,000 tables / 5,000 functions / 1,000 views (tests/bench/generate.sql) and one of 10
# tables, then measures, best of 3 each: pg_dump --schema-only > /dev/null, pgtwin dump --format
# json > /dev/null and pgtwin dump --output DIR. In a separate untimed run per database it counts
# on the server (log_statement = 'all') the statements pgtwin sent; the counts must be equal. The
# same logged runs (and one of pg_dump) sum the server time per statement to show where it goes.
# Everything is stopped and removed at the end; --keep leaves the instance and its generated
# databases for a faster rerun (the next run reuses them).
# Environment: PGTWIN (binary; default: build target `pgtwin` in BUILD_DIR=build-bench, Release),
# RUNS (default 3), TABLES/FUNCTIONS/VIEWS (default 10000/5000/1000), BENCH_SCHED
# (rt, the default, | nice | none: how the measured processes are scheduled, see lib.sh).
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
EnsureTimeTool
Log "pgtwin: $PGTWIN"
trap BenchCleanup EXIT
BenchStartInstance

GenerateDatabase bench_small 10 10 5 2
GenerateDatabase bench_big "$TABLES" "$FUNCTIONS" "$VIEWS" 5
small_desc=$(DescribeDatabase bench_small)
big_desc=$(DescribeDatabase bench_big)
Log "bench_small: $small_desc"
Log "bench_big:   $big_desc"

RunPgDump() { Measured "$PG_BIN/pg_dump" --schema-only -d "$(Conninfo bench_big)" >/dev/null; }
RunPgtwinJson() { Measured "$PGTWIN" dump --source "$(Conninfo bench_big)" --format json >/dev/null; }
RunPgtwinOutput() {
  rm -rf "$OUT_DIR"
  Measured "$PGTWIN" dump --source "$(Conninfo bench_big)" --output "$OUT_DIR" >/dev/null
}

# LoggedRun LABEL APP CMD...: runs CMD once (untimed) while the server logs every statement, its
# duration and the backend's CPU time for it (log_statement = 'all', log_min_duration_statement
# = 0, log_statement_stats = on). CMD must connect with application_name APP. Keeps that
# session's log lines in BENCH_DIR/log-LABEL.txt and writes to BENCH_DIR/result-LABEL.txt
# "<statements>|<server elapsed ms>|
# <server CPU ms>|<client CPU s>|<CMD's stderr, one line>", server figures summed over
# statements (and so over parallel connections). Statements are the simple-protocol
# "statement:" and extended-protocol "execute ...:" lines.
LoggedRun() {
  local label=$1 app=$2; shift 2
  local log=$BENCH_DIR/server.log start rc=0
  Psql postgres -c "ALTER SYSTEM SET log_statement = 'all'" \
    -c "ALTER SYSTEM SET log_min_duration_statement = 0" \
    -c "ALTER SYSTEM SET log_statement_stats = on" \
    -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] %q<%a> '" -c "SELECT pg_reload_conf()" \
    >/dev/null
  sleep 1
  start=$(stat -c %s "$log")
  Measured /usr/bin/time -f '%U %S' -o "$BENCH_DIR/cpu-$label.txt" "$@" >/dev/null \
    2>"$BENCH_DIR/stderr-$label.txt" || rc=$?
  sleep 1
  Psql postgres -c "ALTER SYSTEM RESET log_statement" \
    -c "ALTER SYSTEM RESET log_min_duration_statement" -c "ALTER SYSTEM RESET log_statement_stats" \
    -c "ALTER SYSTEM RESET log_line_prefix" -c "SELECT pg_reload_conf()" >/dev/null
  [ "$rc" -eq 0 ] || Die "$label: $* failed: $(cat "$BENCH_DIR/stderr-$label.txt")"
  # Prefixed lines start with the timestamp; continuation lines belong to the line before.
  tail -c +"$((start + 1))" "$log" \
    | awk -v app="<$app> " '/^[0-9][0-9][0-9][0-9]-/ { keep = index($0, app) > 0 } keep' \
    >"$BENCH_DIR/log-$label.txt"
  [ -s "$BENCH_DIR/log-$label.txt" ] || Die "$label: no server log line carries application_name $app"
  {
    SummariseLog "$BENCH_DIR/log-$label.txt" | awk '
      { n += $3; ms += $1; cpu += $2 } END { printf "%d|%.0f|%.0f|", n, ms, cpu }'
    awk '{ printf "%.2f|", $1 + $2 }' "$BENCH_DIR/cpu-$label.txt"
    tr '\n' ' ' <"$BENCH_DIR/stderr-$label.txt"
    echo
  } >"$BENCH_DIR/result-$label.txt"
}

# SummariseLog FILE: per distinct statement (its first 70 characters) of a LoggedRun log:
# "<elapsed ms> <CPU ms> <count> <text>", most elapsed first.
SummariseLog() {
  awk '/^[0-9][0-9][0-9][0-9]-/ && match($0, /\[[0-9]+\]/) { pid = substr($0, RSTART, RLENGTH) }
       match($0, /LOG:  (statement|execute [^:]*): /) {
         t = substr($0, RSTART + RLENGTH, 70); text[pid] = t; calls[t]++ }
       match($0, /LOG:  duration: [0-9.]+ ms/) { ms[text[pid]] += substr($0, RSTART + 16, RLENGTH - 19) }
       /^\t!\t[0-9.]+ s user, [0-9.]+ s system/ { split($0, f, " "); cpu[text[pid]] += (f[2] + f[5]) * 1000 }
       END { for (t in calls) printf "%.1f %.1f %d %s\n", ms[t], cpu[t], calls[t], t }' "$1" \
    | sort -rn
}

# TopStatements LABEL N: the N statements of a LoggedRun with the most server time.
TopStatements() {
  printf '  %10s %10s %6s  %s\n' "elapsed ms" "CPU ms" "calls" "statement (first 70 characters)"
  # awk reads to the end (no `head`): an early close would kill sort with SIGPIPE under pipefail.
  SummariseLog "$BENCH_DIR/log-$1.txt" | awk -v n="$2" 'NR <= n {
    t = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", t); printf "  %10.1f %10.1f %6d  %s\n", $1, $2, $3, t }'
}

InstancePriority on
Log "logged runs (untimed): statements, server time, client CPU"
LoggedRun pgtwin_small "$APP_NAME" \
  "$PGTWIN" dump --source "$(Conninfo bench_small) application_name=$APP_NAME" --format json --stats
LoggedRun pgtwin_big "$APP_NAME" \
  "$PGTWIN" dump --source "$(Conninfo bench_big) application_name=$APP_NAME" --format json --stats
LoggedRun pg_dump pg_dump_bench \
  "$PG_BIN/pg_dump" --schema-only -d "$(Conninfo bench_big) application_name=pg_dump_bench"
IFS='|' read -r q_small ms_small scpu_small cpu_small stats_small <"$BENCH_DIR/result-pgtwin_small.txt"
IFS='|' read -r q_big ms_big scpu_big cpu_big stats_big <"$BENCH_DIR/result-pgtwin_big.txt"
IFS='|' read -r q_pg_dump ms_pg_dump scpu_pg_dump cpu_pg_dump _ <"$BENCH_DIR/result-pg_dump.txt"

Log "timing, best of $RUNS, interleaved"
BestOfInterleaved "$RUNS" RunPgDump RunPgtwinJson RunPgtwinOutput
t_pg_dump=${BEST[RunPgDump]}
t_json=${BEST[RunPgtwinJson]}
t_output=${BEST[RunPgtwinOutput]}
InstancePriority off
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
echo
echo "Where the time goes: one logged, untimed run each on bench_big; server figures summed over"
echo "statements (elapsed includes waiting for a core; CPU is the backend's user+system time):"
Row5() { printf '| %-30s | %10s | %12s | %12s | %11s |\n' "$@"; }
Row5 "run" "statements" "server ms" "server CPU ms" "client CPU"
Row5 "------------------------------" "----------" "------------" "------------" "-----------"
Row5 "pg_dump --schema-only" "$q_pg_dump" "$ms_pg_dump" "$scpu_pg_dump" "$cpu_pg_dump s"
Row5 "pgtwin dump --format json" "$q_big" "$ms_big" "$scpu_big" "$cpu_big s"
cpu_total_pg_dump=$(awk -v s="$scpu_pg_dump" -v c="$cpu_pg_dump" 'BEGIN { printf "%.2f", s / 1000 + c }')
cpu_total_big=$(awk -v s="$scpu_big" -v c="$cpu_big" 'BEGIN { printf "%.2f", s / 1000 + c }')
echo "CPU, server + client: pg_dump $cpu_total_pg_dump s, pgtwin $cpu_total_big s," \
  "ratio $(Ratio "$cpu_total_big" "$cpu_total_pg_dump") (independent of load and parallelism)"
echo "pgtwin's statements with the most server time (summed over its parallel connections):"
TopStatements pgtwin_big 8
echo "pg_dump's statements with the most server time:"
TopStatements pg_dump 8
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the machine has $(nproc) cores);" \
  "$(SchedulingNote)"
