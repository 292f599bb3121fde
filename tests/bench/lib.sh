# Shared helpers for pgtwin's benchmark scripts (sourced, not run).
#
# Callers set BENCH_DIR (instance directory under /var/tmp), BENCH_PORT (6650-6659) and
# BENCH_KEEP (1 keeps the instance and its generated databases for the next run) before calling
# BenchStartInstance.

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_SQL_DIR="$REPO_DIR/tests/bench"
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
BUILD_DIR=${BUILD_DIR:-$REPO_DIR/build-bench}
# How the measured processes — the commands and the instance's backends — are scheduled, so that
# other work on a shared machine disturbs the figures less:
#   rt    (default) SCHED_FIFO priority 10: near-idle conditions even when other sessions keep
#         the cores busy (nice does not reach across their cgroups); the kernel still leaves 5%
#         of each second to the rest. It makes each client/server round trip dearer, which
#         penalises pg_dump's ~21,000 round trips (~+35% wall) against pgtwin's few dozen.
#   nice  nice -20: fair to round trips, but only shields from work in the same cgroup.
#   none  normal priority.
BENCH_SCHED=${BENCH_SCHED:-rt}
case "$BENCH_SCHED" in
  rt | nice | none) ;;
  *) echo "bench: BENCH_SCHED must be rt, nice or none" >&2; exit 64 ;;
esac

Log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
Die() { echo "bench: $*" >&2; exit 1; }

# Psql DB ARGS...: runs psql quietly as postgres over the instance's unix socket.
Psql() {
  local db=$1; shift
  PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h "$BENCH_DIR" -p "$BENCH_PORT" -U postgres -d "$db" "$@"
}

# Conninfo DB: the libpq conninfo both pg_dump and pgtwin use (unix socket, same transport).
Conninfo() { echo "host=$BENCH_DIR port=$BENCH_PORT user=postgres dbname=$1"; }

# EnsurePgtwin: builds the Release `pgtwin` target in BUILD_DIR (unless PGTWIN names a binary)
# and sets PGTWIN to its path.
EnsurePgtwin() {
  if [ -n "${PGTWIN:-}" ]; then
    [ -x "$PGTWIN" ] || Die "PGTWIN=$PGTWIN is not an executable"
    return
  fi
  if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    local log=${TMPDIR:-/tmp}/pgtwin-bench-configure.log
    cmake -S "$REPO_DIR" -B "$BUILD_DIR" -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Release \
      >"$log" 2>&1 || Die "cmake configure failed (see $log)"
    rm -f "$log"
  fi
  grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$BUILD_DIR/CMakeCache.txt" \
    || Log "warning: $BUILD_DIR is not a Release build; figures will be slower than Release"
  make -C "$BUILD_DIR" -j2 pgtwin >"$BUILD_DIR/bench-build.log" 2>&1 \
    || Die "building pgtwin failed (see $BUILD_DIR/bench-build.log)"
  PGTWIN=$(find "$BUILD_DIR" -type f -name pgtwin -perm -u+x -print -quit)
  [ -n "$PGTWIN" ] || Die "no pgtwin binary under $BUILD_DIR"
}

# EnsureTimeTool: /usr/bin/time (Debian package `time`) measures peak RSS.
EnsureTimeTool() {
  [ -x /usr/bin/time ] && return
  Log "installing the Debian package 'time'"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; } \
    || Die "could not install the 'time' package"
}

# BenchStartInstance: starts (or reuses, with BENCH_KEEP=1) the benchmark's PostgreSQL 15.
# Without BENCH_KEEP any previous instance in BENCH_DIR is stopped and wiped first.
BenchStartInstance() {
  [ "$(id -u)" -eq 0 ] || Die "run as root (PostgreSQL is started as postgres through runuser)"
  case "$BENCH_DIR" in /var/tmp/*) ;; *) Die "BENCH_DIR must be under /var/tmp" ;; esac
  if [ "${BENCH_KEEP:-0}" != 1 ]; then
    BenchWipeInstance
  fi
  "$REPO_DIR/deploy/pg-instance.sh" start "$BENCH_DIR" "$BENCH_PORT"
  # pg_dump locks every table in one transaction: give the lock table room for 20k+ tables.
  if [ "$(Psql postgres -Atc 'SHOW max_locks_per_transaction')" != 512 ]; then
    Psql postgres -c 'ALTER SYSTEM SET max_locks_per_transaction = 512'
    "$REPO_DIR/deploy/pg-instance.sh" stop "$BENCH_DIR"
    "$REPO_DIR/deploy/pg-instance.sh" start "$BENCH_DIR" "$BENCH_PORT"
  fi
}

# InstancePriority on|off: schedules the instance's postmaster and every process it has forked so
# far per BENCH_SCHED (on) or normally (off); backends started later inherit it.
InstancePriority() {
  local pm pid
  pm=$(head -n 1 "$BENCH_DIR/data/postmaster.pid")
  for pid in "$pm" $(ps -o pid= --ppid "$pm"); do
    case "$1:$BENCH_SCHED" in
      on:rt) chrt -f -p 10 "$pid" ;;
      on:nice) renice -n -20 -p "$pid" >/dev/null ;;
      off:rt) chrt -o -p 0 "$pid" ;;
      off:nice) renice -n 0 -p "$pid" >/dev/null ;;
    esac 2>/dev/null || true  # a backend may have exited meanwhile
  done
}

# Measured CMD...: runs CMD scheduled per BENCH_SCHED.
Measured() {
  case "$BENCH_SCHED" in
    rt) chrt -f 10 "$@" ;;
    nice) nice -n -20 "$@" ;;
    none) "$@" ;;
  esac
}

# SchedulingNote: how the measured processes were scheduled, for the report.
SchedulingNote() {
  case "$BENCH_SCHED" in
    rt) echo "measured processes ran under SCHED_FIFO (BENCH_SCHED=rt)" ;;
    nice) echo "measured processes ran at nice -20 (BENCH_SCHED=nice)" ;;
    none) echo "measured processes ran at normal priority (BENCH_SCHED=none)" ;;
  esac
}

# BenchWipeInstance: stops the instance and removes its directory.
BenchWipeInstance() {
  "$REPO_DIR/deploy/pg-instance.sh" stop "$BENCH_DIR" 2>/dev/null || true
  rm -rf "$BENCH_DIR"
}

# BenchCleanup: the EXIT trap; keeps the instance running only with BENCH_KEEP=1.
BenchCleanup() {
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    Log "kept instance $BENCH_DIR on port $BENCH_PORT (stop: deploy/pg-instance.sh stop $BENCH_DIR)"
  else
    BenchWipeInstance
  fi
}

# GenerateDatabase DB TABLES FUNCTIONS VIEWS SCHEMAS: creates DB and fills it with generate.sql.
# With BENCH_KEEP=1 a database already generated with the same parameters is reused.
GenerateDatabase() {
  local db=$1 tables=$2 functions=$3 views=$4 schemas=$5
  local signature="pgtwin bench: tables=$tables functions=$functions views=$views schemas=$schemas"
  local existing
  existing=$(Psql postgres -Atc \
    "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$db'")
  if [ "$existing" = "$signature" ]; then
    Log "reusing database $db ($signature)"
    return
  fi
  Log "generating database $db: $tables tables, $functions functions, $views views"
  Psql postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  local t0; t0=$(date +%s%N)
  Psql "$db" -v tables="$tables" -v functions="$functions" -v views="$views" \
    -v schemas="$schemas" -f "$BENCH_SQL_DIR/generate.sql"
  Psql "$db" -c "VACUUM ANALYZE" -c "COMMENT ON DATABASE $db IS '$signature'"
  Log "generated $db in $(Seconds "$t0") s"
}

# DescribeDatabase DB: one line with the counts that matter for the benchmark goals.
DescribeDatabase() {
  Psql "$1" -Atc "
    WITH rel AS (
      SELECT c.oid, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname LIKE 'bench_s%')
    SELECT format('%s tables (%s partitioned), %s columns, %s indexes (%s beyond primary keys),'
                  ' %s foreign keys, %s checks, %s functions, %s views',
      (SELECT count(*) FROM rel WHERE relkind IN ('r', 'p')),
      (SELECT count(*) FROM rel WHERE relkind = 'p'),
      (SELECT count(*) FROM pg_attribute a JOIN rel ON rel.oid = a.attrelid
       WHERE rel.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped),
      (SELECT count(*) FROM pg_index i JOIN rel ON rel.oid = i.indexrelid),
      (SELECT count(*) FROM pg_index i JOIN rel ON rel.oid = i.indexrelid WHERE NOT i.indisprimary),
      (SELECT count(*) FROM pg_constraint c JOIN rel ON rel.oid = c.conrelid WHERE contype = 'f'),
      (SELECT count(*) FROM pg_constraint c JOIN rel ON rel.oid = c.conrelid WHERE contype = 'c'),
      (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname LIKE 'bench_s%'),
      (SELECT count(*) FROM rel WHERE relkind = 'v'))"
}

# Seconds T0_NS: seconds elapsed since T0_NS (from `date +%s%N`), 3 decimals.
Seconds() {
  local now; now=$(date +%s%N)
  awk -v a="$1" -v b="$now" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
}

# BestOfInterleaved N FUNCTION...: runs the FUNCTIONs (no arguments) in turn, N rounds, so that
# a change in the machine's load hits all of them alike; sets BEST[FUNCTION] to each one's best
# wall time in seconds. A FUNCTION must fail (non-zero) on error.
declare -A BEST
BestOfInterleaved() {
  local n=$1; shift
  local r f t0 s
  for ((r = 1; r <= n; r++)); do
    for f in "$@"; do
      t0=$(date +%s%N)
      "$f" || Die "$f failed (round $r of $n)"
      s=$(Seconds "$t0")
      Log "  round $r: $f $s s"
      if [ -z "${BEST[$f]:-}" ] || awk -v a="$s" -v b="${BEST[$f]}" 'BEGIN { exit !(a < b) }'; then
        BEST[$f]=$s
      fi
    done
  done
}

# Ratio A B: A / B with 3 decimals.
Ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
