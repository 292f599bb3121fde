#!/usr/bin/env bash
# The pgtwin sandbox: five local PostgreSQL 15 instances on 127.0.0.1 standing in for a company's
# environments.
#
#   deploy/sandbox.sh up                 start every instance; load the Prod shape into a new one;
#                                        set up Prod's replication and RPC, start its daemons
#   deploy/sandbox.sh status             which instances and daemons run (exit 0 when all do)
#   deploy/sandbox.sh check              rows flow from prod-dc1 to prod-dc2, PL/Proxy routes
#   deploy/sandbox.sh check test         rows flow from test-dc1 to test-dc2 (once reconciled)
#   deploy/sandbox.sh down [--purge]     stop them; --purge also deletes the sandbox directory
#   deploy/sandbox.sh uri INSTANCE [DB]  print the connection URI of INSTANCE (database DB)
#   deploy/sandbox.sh spec               print specs/sandbox.yaml for this sandbox: its directory
#                                        and ports in place of the default instance's
#   deploy/sandbox.sh load CONNINFO [prod|int]
#                                        load the Prod shape (roles, databases, structures) into
#                                        the empty server CONNINFO names, e.g. a test server
#
# Instances (port = base port + offset):
#   prod-dc1  +0  Prod, primary site: the shape in deploy/sandbox/prod/
#   prod-dc2  +1  Prod, disaster-recovery site: the same shape
#                 Prod replicates every accountdb shard from dc1 (Londiste3 root) to dc2 (leaf),
#                 and proxydb routes to the shards over PL/Proxy: deploy/sandbox/replication/
#   int       +2  INT: the same shape with INT's own role passwords and confdb rows
#   test-dc1  +3  Test, first site: empty (only the postgres role and the default databases)
#   test-dc2  +4  Test, second site: empty
#
# Environment: PGTWIN_SANDBOX_DIR (default /var/tmp/pgtwin-sandbox), PGTWIN_SANDBOX_PORT (base
# port, default 6500). `up` is idempotent: running instances are left alone and the shape is
# loaded only into an instance that never had it. Every SQL error stops loading and fails `up`.
# The instances are started (and loaded), or stopped, at the same time.
# specs/sandbox.yaml is the spec of the default sandbox; with either variable set, give pgtwin
# the output of `spec` instead (deploy/quickstart.sh does).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pg_instance="$here/pg-instance.sh"
shape_dir="$here/sandbox/prod"
psql_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}/psql"

root=${PGTWIN_SANDBOX_DIR:-/var/tmp/pgtwin-sandbox}
root=${root%/}
stamp="$root/.pgtwin-sandbox"   # marks the directory as ours and records the base port

instances=(prod-dc1 prod-dc2 int test-dc1 test-dc2)
declare -A shape_env=([prod-dc1]=prod [prod-dc2]=prod [int]=int)

# shellcheck source-path=SCRIPTDIR source=sandbox/replication/replication.sh
. "$here/sandbox/replication/replication.sh"

usage() {
  sed -n '4,17p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 64
}

# Prints an error (and the recovery hint of the step under way, if any) and exits.
recovery_hint=""
die() {
  echo "sandbox: $*" >&2
  [ -z "$recovery_hint" ] || echo "sandbox: $recovery_hint" >&2
  exit 1
}

# The base port: the one recorded when the sandbox was created, else PGTWIN_SANDBOX_PORT or 6500.
base_port() {
  local recorded=""
  if [ -f "$stamp" ]; then recorded=$(sed -n 's/^base_port=//p' "$stamp"); fi
  echo "${recorded:-${PGTWIN_SANDBOX_PORT:-6500}}"
}
base=$(base_port)
if ! [[ $base =~ ^[0-9]+$ ]] || [ "$base" -lt 1024 ] || [ "$base" -gt 65530 ]; then
  die "base port '$base' is not a number between 1024 and 65530"
fi

port_of() {
  local name=$1 i
  for i in "${!instances[@]}"; do
    if [ "${instances[$i]}" = "$name" ]; then echo $((base + i)); return; fi
  done
  die "unknown instance '$name' (one of: ${instances[*]})"
}

uri_of() { echo "postgresql://postgres@127.0.0.1:$(port_of "$1")/${2:-postgres}"; }

is_running() { "$pg_instance" status "$root/$1" 2>/dev/null; }

contents_of() {
  case "${shape_env[$1]:-}" in
    prod) echo "Prod shape" ;;
    int) echo "Prod shape, INT passwords" ;;
    *) echo "empty" ;;
  esac
}

# Runs one SQL file through psql, stopping at the first error.
run_sql_file() {
  local conninfo=$1 db=$2 file=$3; shift 3
  PGOPTIONS='--client-min-messages=warning' "$psql_bin" -X -q -v ON_ERROR_STOP=1 "$@" \
    -d "$conninfo dbname=$db" -f "$file" >/dev/null \
    || die "loading ${file#"$here/"} into database $db failed (error above)"
}

# Loads the Prod shape into the server `conninfo` names: roles.sql and databases.sql once, then
# each other file into the database named after it, or into every shard <name>_pNNN of it.
load_shape() {
  local conninfo=$1 env=$2 file name db dbs
  run_sql_file "$conninfo" postgres "$shape_dir/roles.sql" -v env="$env"
  run_sql_file "$conninfo" postgres "$shape_dir/databases.sql" -v env="$env"
  for file in "$shape_dir"/*.sql; do
    name=$(basename "$file" .sql)
    case "$name" in roles | databases) continue ;; esac
    [[ $name =~ ^[a-z][a-z0-9_]*$ ]] || die "${file#"$here/"}: name is not a database name"
    dbs=$("$psql_bin" -X -A -t -d "$conninfo dbname=postgres" \
      -c "SELECT datname FROM pg_database WHERE datname ~ '^${name}(_p[0-9]{3})?\$' ORDER BY 1") \
      || die "cannot list the databases through '$conninfo'"
    [ -n "$dbs" ] || die "${file#"$here/"} has no database: create '$name' or '${name}_p000' in databases.sql"
    for db in $dbs; do
      if [[ $db =~ _p([0-9]{3})$ ]]; then
        run_sql_file "$conninfo" "$db" "$file" -v env="$env" -v shard=$((10#${BASH_REMATCH[1]}))
      else
        run_sql_file "$conninfo" "$db" "$file" -v env="$env"
      fi
    done
  done
}

print_table() {
  local name state
  printf '%-10s %-6s %-8s %-26s %s\n' INSTANCE PORT STATE CONTENTS URI
  for name in "${instances[@]}"; do
    if is_running "$name"; then state=running
    elif [ -d "$root/$name/data" ]; then state=stopped
    else state=absent; fi
    printf '%-10s %-6s %-8s %-26s %s\n' \
      "$name" "$(port_of "$name")" "$state" "$(contents_of "$name")" "$(uri_of "$name")"
  done
}

port_in_use() { ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }

# Starts instance `name` unless it runs, and loads the shape into it unless it ever had it.
up_one() {
  local name=$1 dir="$root/$1" port
  port=$(port_of "$name")
  if ! is_running "$name"; then
    echo "sandbox: starting $name on 127.0.0.1:$port"
    "$pg_instance" start "$dir" "$port" || exit 1
  fi
  if [ -n "${shape_env[$name]:-}" ] && [ ! -f "$dir/shape-loaded" ]; then
    echo "sandbox: loading the Prod shape into $name"
    recovery_hint="$name is half loaded; start over with 'deploy/sandbox.sh down --purge'"
    load_shape "host=$dir port=$port user=postgres" "${shape_env[$name]}"
    echo "${shape_env[$name]} $(date -u +%FT%TZ)" > "$dir/shape-loaded"
  fi
}

# Brings every instance up, all at the same time (initdb and loading take most of the time).
cmd_up() {
  local name port failed=()
  local -A jobs=()
  if [ -n "${PGTWIN_SANDBOX_PORT:-}" ] && [ "$PGTWIN_SANDBOX_PORT" != "$base" ]; then
    die "$root was created with base port $base, not PGTWIN_SANDBOX_PORT=$PGTWIN_SANDBOX_PORT" \
      "(run 'deploy/sandbox.sh down --purge' to start over on another port)"
  fi
  for name in "${instances[@]}"; do
    port=$(port_of "$name")
    if ! is_running "$name" && port_in_use "$port"; then
      die "port $port for $name is taken by another program" \
        "(set PGTWIN_SANDBOX_PORT to another base port)"
    fi
  done
  mkdir -p "$root"
  chmod 755 "$root"
  [ -f "$stamp" ] || echo "base_port=$base" > "$stamp"
  for name in "${instances[@]}"; do
    up_one "$name" &
    jobs[$name]=$!
  done
  for name in "${instances[@]}"; do wait "${jobs[$name]}" || failed+=("$name"); done
  [ ${#failed[@]} -eq 0 ] || die "not up: ${failed[*]} (errors above)"
  echo "sandbox: setting up Prod's replication (prod-dc1 -> prod-dc2) and PL/Proxy cluster"
  repl_up
  echo
  print_table
  repl_status || die "a replication daemon stopped right after its start (see $repl_dir/log)"
  echo
  echo "Databases on prod-dc1, prod-dc2 and int: accountdb_p000..accountdb_p003, clidb, confdb," \
    "proxydb. Connect as postgres, e.g. psql $(uri_of prod-dc1 accountdb_p000)"
}

cmd_status() {
  local name all=0
  if [ ! -d "$root" ]; then
    echo "sandbox: no sandbox in $root (run 'deploy/sandbox.sh up')"
    return 3
  fi
  print_table
  for name in "${instances[@]}"; do is_running "$name" || all=3; done
  repl_status --lag || all=3
  return $all
}

cmd_down() {
  local purge=${1:-} name failed=()
  local -A jobs=()
  case "$purge" in "" | --purge) ;; *) usage ;; esac
  if [ ! -d "$root" ]; then
    echo "sandbox: nothing in $root"
    return 0
  fi
  [ -f "$stamp" ] || die "$root is not a pgtwin sandbox (no $stamp); leaving it alone"
  repl_down
  for name in "${instances[@]}"; do   # all at the same time
    if is_running "$name"; then
      echo "sandbox: stopping $name"
      "$pg_instance" stop "$root/$name" &
      jobs[$name]=$!
    fi
  done
  for name in "${!jobs[@]}"; do wait "${jobs[$name]}" || failed+=("$name"); done
  [ ${#failed[@]} -eq 0 ] || die "could not stop: ${failed[*]} (errors above)"
  if [ "$purge" = --purge ]; then
    echo "sandbox: removing $root"
    rm -rf -- "$root"
  fi
}

# Prints specs/sandbox.yaml, the spec of the default sandbox (/var/tmp/pgtwin-sandbox, base port
# 6500), with this sandbox's directory and ports in their place: the snapshot path, INT's port,
# the two Test sites' ports and the workers directory. For the default sandbox that is the file
# itself, byte for byte.
# Fails when the file no longer has one of the values it rewrites, rather than print a spec that
# still points at the default sandbox.
cmd_spec() {
  local file="$here/../specs/sandbox.yaml" default_root=/var/tmp/pgtwin-sandbox text old new
  local -A rewrites=(
    ["prod: { snapshot: $default_root/"]="prod: { snapshot: $root/"
    ["@127.0.0.1:6502/"]="@127.0.0.1:$(port_of int)/"
    ["dc1: { host: 127.0.0.1, port: 6503,"]="dc1: { host: 127.0.0.1, port: $(port_of test-dc1),"
    ["dc2: { host: 127.0.0.1, port: 6504,"]="dc2: { host: 127.0.0.1, port: $(port_of test-dc2),"
    ["workers: { dir: $default_root/"]="workers: { dir: $root/"
  )
  [[ $root =~ ^[A-Za-z0-9_./+-]+$ ]] \
    || die "the sandbox directory '$root' has characters a spec cannot hold unquoted"
  text=$(cat "$file") || die "cannot read $file"
  for old in "${!rewrites[@]}"; do
    new=${rewrites[$old]}
    [[ $text == *"$old"* ]] || die "specs/sandbox.yaml has no '$old' to rewrite for this sandbox"
    text=${text//"$old"/"$new"}
  done
  if [ "$root" != "$default_root" ] || [ "$base" -ne 6500 ]; then
    echo "# Written by 'deploy/sandbox.sh spec' from specs/sandbox.yaml for the sandbox in $root" \
      "(base port $base)."
  fi
  printf '%s\n' "$text"
}

case "${1:-}" in
  up) [ $# -eq 1 ] || usage; cmd_up ;;
  status) [ $# -eq 1 ] || usage; cmd_status ;;
  check) [ $# -le 2 ] || usage; repl_check "${2:-prod}" ;;
  down) [ $# -le 2 ] || usage; cmd_down "${2:-}" ;;
  uri)
    if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage; fi
    port_of "$2" >/dev/null
    uri_of "$2" "${3:-}"
    ;;
  spec) [ $# -eq 1 ] || usage; cmd_spec ;;
  load)
    if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage; fi
    case "${3:-prod}" in prod | int) ;; *) usage ;; esac
    load_shape "$2" "${3:-prod}"
    ;;
  *) usage ;;
esac
