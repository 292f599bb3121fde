#!/usr/bin/env bash
# Benchmark of putting tables and sequences into Londiste3 replication (issue 4, "Benchmark").
# Run as root:
#
#   tests/bench/replication_bench.sh [--keep]
#
# Starts three PostgreSQL 15 instances: "Prod" (/var/tmp/pgtwin-bench-repl, port 6656) and the
# two sites of a Test environment, dc1 (port 6657) and dc2 (port 6658). Database `shard` holds
# TABLES tables (default 1,000) and SEQS sequences (default 100). On Prod it is the root of queue
# `shard` (node shard_dc1, worker l3_shard_dc1) with every table and sequence in replication
# and its leaf shard_dc2 (worker l3_shard_dc2) registered; it is dumped into a snapshot, and a
# spec puts the root on dc1 and the leaf on dc2.
#
# Each round starts from the same state, made untimed: `shard` on dc1 and dc2 made again from a
# template holding the structure, the root created on dc1 and the leaf on dc2 with the londiste
# CLI (create-root, create-leaf), no table or sequence in replication. Then one of:
#   londiste per table   one `londiste add-table` per table and one `add-seq` per sequence, on the
#                        root and then on the leaf (with --expect-sync, as pgtwin: Test holds no
#                        rows) — what generated command lists do
#   londiste batched     one `add-table` with every table and one `add-seq` with every sequence,
#                        on the root and then on the leaf
#   pgtwin reconcile     pgtwin reconcile SPEC (observe both sites, plan, apply: one transaction per
#                        node through pgq_node's and londiste's functions)
# Each result is checked: both nodes hold every table (merge state ok) and every sequence.
# The per-table CLI is slow: by default it is timed over its first CLI_SAMPLE tables and sequences
# in proportion (default 100 tables, 10 sequences) and scaled to the full count; since each call
# reads the whole table list, the scaled figure is a lower bound (CLI_SAMPLE=TABLES times it all).
# Environment: PGTWIN, RUNS (default 2), TABLES, SEQS, CLI_SAMPLE. Everything runs at normal
# priority (BENCH_SCHED does not apply).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BENCH_DIR=/var/tmp/pgtwin-bench-repl
BENCH_PORT=6656
DC1_DIR=/var/tmp/pgtwin-bench-repl-dc1
DC1_PORT=6657
DC2_DIR=/var/tmp/pgtwin-bench-repl-dc2
DC2_PORT=6658
BENCH_KEEP=0
[ "${1:-}" = --keep ] && BENCH_KEEP=1
RUNS=${RUNS:-2}
TABLES=${TABLES:-1000}
SEQS=${SEQS:-100}
CLI_SAMPLE=${CLI_SAMPLE:-100}
[ "$CLI_SAMPLE" -le "$TABLES" ] || CLI_SAMPLE=$TABLES
SAMPLE_SEQS=$(( (SEQS * CLI_SAMPLE + TABLES - 1) / TABLES ))
WORK=$BENCH_DIR/work
SNAPSHOT=$WORK/snapshot
SPEC=$WORK/bench.yaml

SitePsql() {  # SitePsql PORT DB ARGS...
  local port=$1 db=$2; shift 2
  PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$port" -U postgres -d "$db" "$@"
}
Dsn() { echo "host=127.0.0.1 port=$1 user=postgres dbname=shard"; }
Cleanup() {
  BenchCleanup
  if [ "$BENCH_KEEP" != 1 ]; then
    for dir in "$DC1_DIR" "$DC2_DIR"; do
      "$REPO_DIR/deploy/pg-instance.sh" stop "$dir" 2>/dev/null || true
      rm -rf "$dir"
    done
  fi
}

# The structure of `shard`: the PgQ extensions, TABLES tables, SEQS sequences.
StructureSql() {
  cat <<EOF
CREATE EXTENSION pgq; CREATE EXTENSION pgq_node; CREATE EXTENSION londiste;
SELECT format('CREATE TABLE public.t%s (id bigint PRIMARY KEY, v text)', lpad(i::text, 5, '0'))
  FROM generate_series(1, $TABLES) i \\gexec
SELECT format('CREATE SEQUENCE public.s%s', lpad(i::text, 4, '0'))
  FROM generate_series(1, $SEQS) i \\gexec
EOF
}
Tables() { seq -f 'public.t%05g' 1 "$1"; }
Sequences() { seq -f 'public.s%04g' 1 "$1"; }

WriteIni() {  # WriteIni NAME PORT
  cat > "$WORK/$1.ini" <<EOF
[londiste]
job_name = l3_$1
db = $(Dsn "$2")
queue_name = shard
logfile = $WORK/$1.log
pidfile = $WORK/$1.pid
EOF
}

# ResetTest: `shard` on dc1 and dc2 again from the template, root and leaf made by the CLI.
ResetTest() {
  local port
  for port in $DC1_PORT $DC2_PORT; do
    SitePsql "$port" postgres -c "DROP DATABASE IF EXISTS shard WITH (FORCE)" \
      -c "CREATE DATABASE shard TEMPLATE shard_tpl"
  done
  londiste -q "$WORK/shard_dc1.ini" create-root shard_dc1 "$(Dsn $DC1_PORT)"
  londiste -q "$WORK/shard_dc2.ini" create-leaf shard_dc2 "$(Dsn $DC2_PORT)" \
    --provider="$(Dsn $DC1_PORT)"
}

# CheckReplicated WHAT TABLES SEQS: both nodes hold that many tables (merge state ok) and sequences.
CheckReplicated() {
  local port got want="$2 $3"
  for port in $DC1_PORT $DC2_PORT; do
    got=$(SitePsql "$port" shard -Atc "SELECT
        (SELECT count(*) FROM londiste.get_table_list('shard') WHERE local AND merge_state = 'ok')
        || ' ' || (SELECT count(*) FROM londiste.get_seq_list('shard') WHERE local)")
    [ "$got" = "$want" ] || Die "$1: port $port has '$got' tables and sequences, expected '$want'"
  done
}

Calc() { awk "BEGIN { printf \"%.3f\", $1 }"; }
# Timed NAME FUNCTION...: runs FUNCTION (at normal priority: the CLI rounds are thousands of
# processes), prints its wall time in seconds.
Timed() {
  local name=$1 start end; shift
  start=$(date +%s.%N)
  "$@" >"$WORK/$name.out" 2>&1 || { cat "$WORK/$name.out" >&2; Die "$name failed"; }
  end=$(date +%s.%N)
  Calc "$end - $start"
}
PerTable() {  # PerTable TABLES SEQS: one CLI call per object, root then leaf
  local node t s extra
  for node in shard_dc1 shard_dc2; do
    extra=(); [ "$node" = shard_dc2 ] && extra=(--expect-sync)
    for t in $(Tables "$1"); do londiste -q "$WORK/$node.ini" add-table "${extra[@]}" "$t"; done
    for s in $(Sequences "$2"); do londiste -q "$WORK/$node.ini" add-seq "$s"; done
  done
}
Batched() {
  local node extra
  for node in shard_dc1 shard_dc2; do
    extra=(); [ "$node" = shard_dc2 ] && extra=(--expect-sync)
    # shellcheck disable=SC2046
    londiste -q "$WORK/$node.ini" add-table "${extra[@]}" $(Tables "$TABLES")
    # shellcheck disable=SC2046
    londiste -q "$WORK/$node.ini" add-seq $(Sequences "$SEQS")
  done
}
Reconcile() { "$PGTWIN" reconcile "$SPEC" --no-color; }

command -v londiste >/dev/null || Die "londiste is not installed (deploy/install-deps.sh)"
EnsurePgtwin
Log "pgtwin: $PGTWIN"
trap Cleanup EXIT
BenchStartInstance
BENCH_DIR=$DC1_DIR BENCH_PORT=$DC1_PORT BenchStartInstance
BENCH_DIR=$DC2_DIR BENCH_PORT=$DC2_PORT BenchStartInstance
rm -rf "$WORK"; mkdir -p "$WORK"

Log "Prod: shard with $TABLES tables and $SEQS sequences, the root of queue shard"
SitePsql $BENCH_PORT postgres -c "DROP DATABASE IF EXISTS shard" -c "CREATE DATABASE shard"
StructureSql | SitePsql $BENCH_PORT shard -f -
SitePsql $BENCH_PORT shard -o /dev/null <<EOF
SELECT * FROM pgq_node.register_location('shard', 'shard_dc1', 'host=prod-db1 dbname=shard', false);
SELECT * FROM pgq_node.create_node('shard', 'root', 'shard_dc1', 'l3_shard_dc1', NULL, NULL, NULL);
SELECT count(*) FROM (SELECT (londiste.local_add_table('shard', t)).ret_code FROM
  (SELECT format('public.t%s', lpad(i::text, 5, '0')) t FROM generate_series(1, $TABLES) i) x) y;
SELECT count(*) FROM (SELECT (londiste.local_add_seq('shard', s)).ret_code FROM
  (SELECT format('public.s%s', lpad(i::text, 4, '0')) s FROM generate_series(1, $SEQS) i) x) y;
SELECT * FROM pgq_node.register_location('shard', 'shard_dc2', 'host=prod-db2 dbname=shard', false);
SELECT * FROM pgq_node.register_subscriber('shard', 'shard_dc2', 'l3_shard_dc2', NULL);
EOF
"$PGTWIN" dump --source "host=127.0.0.1 port=$BENCH_PORT user=postgres dbname=shard" \
  --output "$SNAPSHOT" >/dev/null
cat > "$SPEC" <<EOF
environment: replbench
prod: { snapshot: $SNAPSHOT }
sites:
  dc1: { host: 127.0.0.1, port: $DC1_PORT, user: postgres }
  dc2: { host: 127.0.0.1, port: $DC2_PORT, user: postgres }
databases:
  - { name: shard, sites: [dc1, dc2] }
roles: { passwords: none }
ignore: ["role:.*", "schema:^pgq\$"]
EOF
for port in $DC1_PORT $DC2_PORT; do
  SitePsql "$port" postgres -c "DROP DATABASE IF EXISTS shard_tpl" -c "CREATE DATABASE shard_tpl"
  StructureSql | SitePsql "$port" shard_tpl -f -
done
WriteIni shard_dc1 $DC1_PORT
WriteIni shard_dc2 $DC2_PORT

Log "checking pgtwin once (untimed): reconcile converges, a dry run then plans nothing"
ResetTest
Reconcile >"$WORK/check.log" 2>&1 || { cat "$WORK/check.log" >&2; Die "pgtwin reconcile failed"; }
CheckReplicated "pgtwin reconcile" "$TABLES" "$SEQS"
"$PGTWIN" reconcile "$SPEC" --dry-run --no-color >"$WORK/check-again.log" 2>&1 \
  || { cat "$WORK/check-again.log" >&2; Die "a dry run after pgtwin's reconcile plans something"; }

best_per_table='' best_batched='' best_pgtwin=''
Min() { if [ -z "$1" ] || [ "$(Calc "$2 < $1")" = 1.000 ]; then echo "$2"; else echo "$1"; fi; }
for round in $(seq "$RUNS"); do
  ResetTest
  t=$(Timed per-table PerTable "$CLI_SAMPLE" "$SAMPLE_SEQS")
  CheckReplicated "londiste per table" "$CLI_SAMPLE" "$SAMPLE_SEQS"
  scaled=$(Calc "$t * ($TABLES + $SEQS) / ($CLI_SAMPLE + $SAMPLE_SEQS)")
  Log "round $round: londiste per table: ${t}s for $CLI_SAMPLE tables + $SAMPLE_SEQS sequences, ${scaled}s scaled"
  best_per_table=$(Min "$best_per_table" "$scaled")

  ResetTest
  t=$(Timed batched Batched)
  CheckReplicated "londiste batched" "$TABLES" "$SEQS"
  Log "round $round: londiste batched: ${t}s"
  best_batched=$(Min "$best_batched" "$t")

  ResetTest
  t=$(Timed pgtwin Reconcile)
  CheckReplicated "pgtwin reconcile" "$TABLES" "$SEQS"
  Log "round $round: pgtwin reconcile: ${t}s"
  best_pgtwin=$(Min "$best_pgtwin" "$t")
done

echo "Replication benchmark: $TABLES tables and $SEQS sequences on a root and a leaf, best of $RUNS"
echo "(normal priority; per-table CLI timed over $CLI_SAMPLE tables + $SAMPLE_SEQS sequences, scaled)"
printf '%-22s %10s %10s\n' "" "seconds" "vs pgtwin"
for row in "londiste per table:$best_per_table" "londiste batched:$best_batched" \
    "pgtwin reconcile:$best_pgtwin"; do
  printf '%-22s %10.2f %9.1fx\n' "${row%%:*}" "${row#*:}" "$(Calc "${row#*:} / $best_pgtwin")"
done
