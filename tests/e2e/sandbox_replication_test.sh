#!/usr/bin/env bash
# End to end on a sandbox of its own (ctest `sandbox_replication`, label e2e): the sandbox Prod's
# replication and RPC setup (deploy/sandbox/replication/) works and `deploy/sandbox.sh` manages
# its daemons.
#
#   tests/e2e/sandbox_replication_test.sh
#
# Starts deploy/sandbox.sh in a new temporary directory on free ports (tests/e2e/sandbox_env.sh)
# and deletes it at the end, failed or not.
#   a. sandbox up; status exits 0 and shows both pgqd and the four leaf workers running
#   b. sandbox check: a row inserted on each dc1 root reaches its dc2 leaf (and its delete);
#      the part handler keeps on the leaf only its partition's accounts; rpc.get_balance in
#      proxydb answers from the shard the account_id hashes to
#   c. a killed leaf worker: check and status fail; `up` again starts it and changes nothing in
#      the cascades (nodes, locations, subscriptions, tables, sequences); check passes again
#   d. down stops every daemon; up after it starts them all again and rows flow (check)
# Every failure names its step. PGTWIN_E2E_KEEP=1 stops the sandbox but keeps its directory.
set -Eeuo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
sandbox="$src/deploy/sandbox.sh"
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
started=$SECONDS

current_step="setup"
step() { current_step=$1; printf '==> %s  (%ds)\n' "$1" $((SECONDS - started)); }
fail() {
  echo "sandbox_replication_test: FAILED in step '$current_step': $*" >&2
  exit 1
}
trap 'fail "command failed (exit $?, line $LINENO): $BASH_COMMAND"' ERR

# shellcheck source=tests/e2e/sandbox_env.sh
. "$src/tests/e2e/sandbox_env.sh"   # free_base, temp_base
work=$(mktemp -d "$(temp_base)/pgtwin-e2e-repl.XXXXXX")
chmod 755 "$work"   # as root the instances run as postgres, which must reach their directories
export PGTWIN_SANDBOX_DIR="$work/sandbox"
PGTWIN_SANDBOX_PORT=$(free_base 6555 6595)
export PGTWIN_SANDBOX_PORT
out="$work/out"
mkdir "$out"
daemons="$PGTWIN_SANDBOX_DIR/replication"

cleanup() {
  local rc=$?
  trap - ERR
  if [ "${PGTWIN_E2E_KEEP:-}" = 1 ]; then
    "$sandbox" down >/dev/null 2>&1 || true
    echo "sandbox_replication_test: kept $work (sandbox stopped)"
  else
    "$sandbox" down --purge >/dev/null 2>&1 || true
    rm -rf -- "$work"
  fi
  echo "sandbox_replication_test: $([ $rc -eq 0 ] && echo passed || echo failed)" \
    "in $((SECONDS - started)) s"
}
trap cleanup EXIT
trap 'exit 143' TERM INT   # a ctest timeout or ^C still purges the sandbox

sql() {
  "$pg_bin/psql" -X -A -t -q -v ON_ERROR_STOP=1 -d "$("$sandbox" uri "$1" "$2")" -c "$3"
}
# Runs `deploy/sandbox.sh ARGS` into $out/NAME.out; sets rc to its exit code.
run_sandbox() {
  local name=$1; shift
  rc=0
  "$sandbox" "$@" > "$out/$name.out" 2>&1 || rc=$?
}
expect_rc() {
  local name=$1 want=$2
  [ "$rc" -eq "$want" ] || { cat "$out/$name.out"; fail "sandbox.sh $name exited $rc, expected $want"; }
}
shards=(accountdb_p000 accountdb_p001 accountdb_p002 accountdb_p003)
expected_daemons="pgqd_prod-dc1 pgqd_prod-dc2 l3_accountdb_p000_dc2 l3_accountdb_p001_dc2
l3_accountdb_p002_dc2 l3_accountdb_p003_dc2"

# The cascades' state on both sites, to show that `up` again changes nothing in them.
cascade_state() {
  local db instance
  for db in "${shards[@]}"; do
    for instance in prod-dc1 prod-dc2; do
      sql "$instance" "$db" "
        SELECT node_type, node_name, worker_name FROM pgq_node.node_info;
        SELECT consumer_name, provider_node FROM pgq_node.local_state ORDER BY 1;
        SELECT node_name, node_location, dead FROM pgq_node.node_location ORDER BY 1;
        SELECT subscriber_node, worker_name FROM pgq_node.subscriber_info ORDER BY 1;
        SELECT table_name, local, merge_state, table_attrs FROM londiste.get_table_list('$db') ORDER BY 1;
        SELECT seq_name, local FROM londiste.get_seq_list('$db') ORDER BY 1;
        SELECT tgrelid::regclass || ' ' || tgname FROM pg_trigger WHERE tgname LIKE '\_londiste\_%'
         ORDER BY 1;"
    done
  done
}

step "a. sandbox up (base port $PGTWIN_SANDBOX_PORT, $PGTWIN_SANDBOX_DIR)"
up_started=$SECONDS
run_sandbox up up
expect_rc up 0
echo "    up took $((SECONDS - up_started)) s"
run_sandbox status status
expect_rc status 0
for name in $expected_daemons; do
  grep -qE "^$name +running +[0-9]+" "$out/status.out" \
    || { cat "$out/status.out"; fail "status does not show $name running"; }
done

step "b. sandbox check: rows flow dc1 -> dc2, the part handler filters, PL/Proxy routes"
run_sandbox check-1 check
expect_rc check-1 0

step "c. a killed leaf worker: check and status fail, up starts it again and changes nothing"
cascade_state > "$out/state-before.txt"
pid=$(cat "$daemons/pid/l3_accountdb_p002_dc2.pid")
kill -TERM "$pid"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$pid" 2>/dev/null || fail "the worker $pid did not stop on SIGTERM"
run_sandbox check-killed check
[ "$rc" -ne 0 ] || { cat "$out/check-killed.out"; fail "check passed with a worker stopped"; }
run_sandbox status-killed status
expect_rc status-killed 3
grep -qE '^l3_accountdb_p002_dc2 +stopped' "$out/status-killed.out" \
  || { cat "$out/status-killed.out"; fail "status does not show the stopped worker"; }
run_sandbox up-2 up
expect_rc up-2 0
cascade_state > "$out/state-after.txt"
diff -u "$out/state-before.txt" "$out/state-after.txt" \
  || fail "the second up changed the cascades (diff above)"
run_sandbox check-2 check
expect_rc check-2 0

step "d. down stops every daemon; up again starts them"
pids=$(cat "$daemons"/pid/*.pid)
run_sandbox down down
expect_rc down 0
for pid in $pids; do
  ! kill -0 "$pid" 2>/dev/null || fail "daemon $pid still runs after down"
done
run_sandbox status-down status
expect_rc status-down 3
run_sandbox up-3 up
expect_rc up-3 0
run_sandbox check-3 check
expect_rc check-3 0

step "passed"
