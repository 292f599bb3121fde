#!/usr/bin/env bash
# Benchmark of `pgtwin diff` on two large snapshots (issue 2, "Benchmark"). Run as root:
#
#   tests/bench/diff_bench.sh [--keep]
#
# Starts its own PostgreSQL 15 in /var/tmp/pgtwin-bench-diff on port 6651, generates a database
# of 20,000 tables / 5,000 functions / 1,000 views (tests/bench/generate.sql), copies it and
# changes about 1% of the copy's objects (tests/bench/mutate.sql), dumps both with
# `pgtwin dump --output`, then times `pgtwin diff --source SNAP1 --target SNAP2 --format json >
# /dev/null` (best of 3) and measures its peak RSS with /usr/bin/time -v, reported per object of
# both snapshots. Everything is stopped and removed at the end; --keep leaves the instance and
# its two generated databases for a faster rerun (the next run reuses them).
# Environment: PGTWIN (binary; default: build target `pgtwin` in BUILD_DIR=build-bench, Release),
# RUNS (default 3), TABLES/FUNCTIONS/VIEWS (default 20000/5000/1000), BENCH_SCHED
# (rt, the default, | nice | none: how the measured processes are scheduled, see lib.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BENCH_DIR=/var/tmp/pgtwin-bench-diff
BENCH_PORT=6651
BENCH_KEEP=0
[ "${1:-}" = --keep ] && BENCH_KEEP=1
RUNS=${RUNS:-3}
TABLES=${TABLES:-20000}
FUNCTIONS=${FUNCTIONS:-5000}
VIEWS=${VIEWS:-1000}
SCHEMAS=5
SNAP1=$BENCH_DIR/snap1
SNAP2=$BENCH_DIR/snap2

EnsurePgtwin
EnsureTimeTool
Log "pgtwin: $PGTWIN"
trap BenchCleanup EXIT
BenchStartInstance

GenerateDatabase bench_diff1 "$TABLES" "$FUNCTIONS" "$VIEWS" "$SCHEMAS"
mutated_sig="pgtwin bench: bench_diff1 ($TABLES/$FUNCTIONS/$VIEWS) mutated by mutate.sql"
if [ "$(Psql postgres -Atc "SELECT shobj_description(oid, 'pg_database') FROM pg_database
                            WHERE datname = 'bench_diff2'")" != "$mutated_sig" ]; then
  Log "copying bench_diff1 to bench_diff2 and changing ~1% of its objects"
  Psql postgres -c "DROP DATABASE IF EXISTS bench_diff2" \
    -c "CREATE DATABASE bench_diff2 TEMPLATE bench_diff1"
  Psql bench_diff2 -v tables="$TABLES" -v functions="$FUNCTIONS" -v views="$VIEWS" \
    -v schemas="$SCHEMAS" -f "$BENCH_SQL_DIR/mutate.sql"
  Psql bench_diff2 -c "COMMENT ON DATABASE bench_diff2 IS '$mutated_sig'"
fi

# DumpAs DB SNAP: snapshots DB under the name bench_diff, so that both snapshots hold the same
# database and are compared object by object.
DumpAs() {
  local db=$1 snap=$2 t0
  Psql postgres -c "ALTER DATABASE $db RENAME TO bench_diff"
  t0=$(date +%s%N)
  "$PGTWIN" dump --source "$(Conninfo bench_diff)" --output "$snap" >/dev/null \
    || { Psql postgres -c "ALTER DATABASE bench_diff RENAME TO $db"; Die "pgtwin dump of $db failed"; }
  Log "  $db dumped to $snap in $(Seconds "$t0") s"
  Psql postgres -c "ALTER DATABASE bench_diff RENAME TO $db"
}
Log "dumping both databases with pgtwin dump --output"
Psql postgres -c "DROP DATABASE IF EXISTS bench_diff"
rm -rf "$SNAP1" "$SNAP2"
DumpAs bench_diff1 "$SNAP1"
DumpAs bench_diff2 "$SNAP2"

# CountObjects SNAP: the objects of a snapshot directory: every node with a "kind" in its JSON
# files (roles and databases included, the cluster itself not).
CountObjects() {
  /usr/bin/python3 - "$1" <<'PY'
import glob, json, sys

def count(node):
    return 1 + sum(count(child) for child in node.get("children", []))

snap = sys.argv[1]
total = count(json.load(open(f"{snap}/cluster.json"))) - 1
for path in glob.glob(f"{snap}/databases/*.json"):
    total += count(json.load(open(path)))
print(total)
PY
}
objects1=$(CountObjects "$SNAP1")
objects2=$(CountObjects "$SNAP2")

RunDiff() {
  local rc=0
  Measured "$PGTWIN" diff --source "$SNAP1" --target "$SNAP2" --format json >/dev/null || rc=$?
  [ "$rc" -eq 2 ] || { Log "pgtwin diff exited $rc, expected 2 (different)"; return 1; }
}
Log "timing pgtwin diff, best of $RUNS"
BestOfInterleaved "$RUNS" RunDiff
t_diff=${BEST[RunDiff]}

rc=0
Measured /usr/bin/time -v "$PGTWIN" diff --source "$SNAP1" --target "$SNAP2" --format json \
  >"$BENCH_DIR/diff.json" 2>"$BENCH_DIR/time.txt" || rc=$?
[ "$rc" -eq 2 ] || Die "pgtwin diff exited $rc (see $BENCH_DIR/time.txt)"
rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$BENCH_DIR/time.txt")
cpu_split=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 }
                        END { printf "%.2f user + %.2f system", u, s }' "$BENCH_DIR/time.txt")
cpu=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f s", t }' "$BENCH_DIR/time.txt")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$BENCH_DIR/time.txt")
differences=$(/usr/bin/python3 - "$BENCH_DIR/diff.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
kinds = "; ".join(f"{kind}: {c['source_only']} source only, {c['target_only']} target only, "
                  f"{c['changed']} changed" for kind, c in doc["summary"].items() if kind != "ignored")
print(f"{len(doc['differences'])} ({kinds})")
PY
)
snap_size=$(du -sh "$SNAP1" | cut -f1)
per_object=$(awk -v kb="$rss_kb" -v n="$((objects1 + objects2))" \
  'BEGIN { printf "%.0f", kb * 1024 / n }')

Row() { printf '| %-56s | %15s | %-13s |\n' "$@"; }
echo
echo "pgtwin diff benchmark, $(date -u +%Y-%m-%d), $(nproc) cores"
echo "bench_diff1: $(DescribeDatabase bench_diff1)"
echo "bench_diff2: $(DescribeDatabase bench_diff2)"
echo
Row "measurement" "value" "goal"
Row "--------------------------------------------------------" "---------------" "-------------"
Row "objects in snapshot 1 / snapshot 2 ($snap_size each)" "$objects1 / $objects2" ""
Row "pgtwin diff --format json > /dev/null, best of $RUNS" "$t_diff s" \
  "< 1 s: $(awk -v t="$t_diff" 'BEGIN { print (t < 1 ? "met" : "MISSED") }')"
Row "peak RSS (/usr/bin/time -v)" "$((rss_kb / 1024)) MiB" ""
Row "CPU of that run ($cpu_split; wall $wall)" "$cpu" ""
Row "peak RSS per object (both snapshots)" "$per_object B" ""
echo
echo "differences reported: $differences"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the machine has $(nproc) cores);" \
  "$(SchedulingNote)"
