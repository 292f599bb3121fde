#!/usr/bin/env bash
# Starts, stops and reports one local PostgreSQL 15 instance for pgtwin's sandbox and tests.
#
#   deploy/pg-instance.sh start DIR PORT   initdb (as `postgres`) if DIR holds no cluster, then start
#   deploy/pg-instance.sh stop DIR         fast shutdown; no error when not running
#   deploy/pg-instance.sh status DIR       exit 0 when running
#
# The instance keeps its data in DIR/data, its unix socket in DIR and its log in DIR/server.log,
# and listens on 127.0.0.1:PORT. Authentication: local socket trust, postgres@127.0.0.1 trust,
# every other role over TCP scram-sha-256 (so password handling is exercised for real).
# initdb refuses to run as root, so as root everything runs as `postgres` through runuser.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

usage() { echo "usage: $0 start DIR PORT | stop DIR | status DIR" >&2; exit 64; }

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || usage
data="$dir/data"

case "$cmd" in
  start)
    port=${3:-}; [ -n "$port" ] || usage
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    if [ ! -s "$data/PG_VERSION" ]; then
      as_postgres "$PG_BIN/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { echo "pg-instance: initdb failed for $dir (see $dir/initdb.log)" >&2; exit 1; }
      as_postgres tee -a "$data/postgresql.conf" >/dev/null <<CONF
# pgtwin instance settings
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
max_prepared_transactions = 10
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
log_line_prefix = '%m [%p] %q%u@%d '
CONF
      as_postgres tee "$data/pg_hba.conf" >/dev/null <<HBA
local all all                 trust
host  all postgres 127.0.0.1/32 trust
host  all all      127.0.0.1/32 scram-sha-256
HBA
    fi
    if as_postgres "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      exit 0
    fi
    as_postgres "$PG_BIN/pg_ctl" -D "$data" -l "$dir/server.log" -o "-p $port" -w -t 60 start >/dev/null \
      || { echo "pg-instance: could not start $dir on port $port (see $dir/server.log)" >&2; exit 1; }
    ;;
  stop)
    [ -d "$data" ] || exit 0
    if as_postgres "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      as_postgres "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
    fi
    ;;
  status)
    [ -d "$data" ] && as_postgres "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1
    ;;
  *) usage ;;
esac
