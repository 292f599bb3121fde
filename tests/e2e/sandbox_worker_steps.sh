# shellcheck shell=bash disable=SC2154  # sandbox, spec, out, PGTWIN_SANDBOX_DIR: set by the caller
# Issue 4's worker steps of the sandbox e2e test, sourced by sandbox_reconcile_test.sh after
# Test is reconciled (which started Test's londiste workers and pgqd: specs/sandbox.yaml,
# `workers`); uses its step, fail, run_pgtwin and expect_rc.
#   g1. `deploy/sandbox.sh check test`: in every kept shard a row inserted on Test's root
#       (test-dc1) reaches its leaf (test-dc2) and its delete follows, sequences follow, and the
#       part handler keeps on the leaf only the account of its partition (2 partitions now)
#   g2. a Test worker killed (SIGKILL): the dry run plans it (exit 2, "not running"), the apply
#       starts it again (a new pid), converges and lists it running with that pid, and rows
#       flow again; a dry run then lists every daemon running, the leaf workers with their lag

workers_dir="$PGTWIN_SANDBOX_DIR/test-workers"

# The last lines each Test daemon logged (for a failure's cause).
daemon_logs() {
  local log
  for log in "$workers_dir"/log/*; do
    echo "--- $log"
    tail -n 5 "$log"
  done
}

step "g1. rows flow in Test: deploy/sandbox.sh check test"
"$sandbox" check test > "$out/check-test.log" 2>&1 \
  || { cat "$out/check-test.log"; fail "rows do not flow from test-dc1 to test-dc2"; }

step "g2. a killed Test worker is started again by the next reconcile"
worker=l3_accountdb_p001_dc2
pid_file="$workers_dir/pid/$worker.pid"
killed=$(cat "$pid_file") || fail "no pid file $pid_file: pgtwin did not start $worker"
tr '\0' ' ' < "/proc/$killed/cmdline" | grep -qF "$workers_dir/conf/$worker.ini" \
  || fail "pid $killed of $pid_file is not $worker"
kill -KILL "$killed"
for _ in $(seq 50); do [ -d "/proc/$killed" ] || break; sleep 0.1; done
run_pgtwin plan-workers reconcile "$spec" --dry-run --no-color
expect_rc plan-workers 2
grep -A1 -F "daemon:$worker" "$out/plan-workers.out" | grep -q "not running" \
  || { cat "$out/plan-workers.out"; fail "the dry run does not plan $worker as not running"; }
run_pgtwin apply-workers reconcile "$spec" --no-color
expect_rc apply-workers 0
restarted=$(cat "$pid_file") || fail "no pid file $pid_file after the apply"
[ "$restarted" != "$killed" ] && [ -d "/proc/$restarted" ] \
  || fail "$worker is not running again (pid file: $restarted, killed: $killed)"
grep -qE "^  $worker +dc2/accountdb_p001 +running \(pid $restarted\)" "$out/apply-workers.out" \
  || { cat "$out/apply-workers.out"; daemon_logs
       fail "the apply does not list $worker running as pid $restarted"; }
"$sandbox" check test > "$out/check-test-2.log" 2>&1 \
  || { cat "$out/check-test-2.log"; fail "rows do not flow in Test after the restart"; }
run_pgtwin status-workers reconcile "$spec" --dry-run --no-color
expect_rc status-workers 0
daemons=$(sed -n '/^Daemons:/,$p' "$out/status-workers.out")
for name in pgqd_dc1 l3_accountdb_p000_dc1 l3_accountdb_p000_dc2 l3_accountdb_p001_dc1 \
    l3_accountdb_p001_dc2; do
  grep -qE "^  $name +dc[12](/accountdb_p00[01])? +running \(pid [0-9]+\)" <<<"$daemons" \
    || { cat "$out/status-workers.out"; daemon_logs
         fail "the dry run does not list $name running"; }
done
grep -qE "^  l3_accountdb_p000_dc2 .* lag [0-9.]+ s +last seen [0-9.]+ s ago" <<<"$daemons" \
  || { cat "$out/status-workers.out"; fail "the dry run shows no lag of l3_accountdb_p000_dc2"; }
