#!/usr/bin/env bash
# End to end on a sandbox of its own (ctest `sandbox_reconcile`, label e2e): issue 3's sandbox test.
#
#   tests/e2e/sandbox_reconcile_test.sh PGTWIN_BINARY
#
# Starts deploy/sandbox.sh in a new temporary directory (see temp_base) on free ports (never the
# default sandbox's 6500-6504, never the pg fixture's 20000-29999), and deletes it at the end,
# failed or not.
#   a. sandbox up; dump Prod (prod-dc1) into a snapshot; the spec is `deploy/sandbox.sh spec`
#   b. reconcile the empty Test: the dry run exits 2, the apply 0
#   c. `pgtwin diff` of the Prod snapshot against each Test site, with the spec's ignore rules:
#      only the databases the spec leaves out of that site are reported, nothing else
#   d. `pg_dump --schema-only` of every database Test carries equals Prod's (normalised below)
#   e. with log_statement = 'mod' on both Test instances, a second reconcile (dry run, then
#      apply) exits 0, plans nothing, and the servers log no statement from it
# Every failure names its step. PGTWIN_E2E_KEEP=1 stops the sandbox but keeps its directory.
set -Eeuo pipefail

pgtwin=${1:?usage: sandbox_reconcile_test.sh PGTWIN_BINARY}
src=$(cd "$(dirname "$0")/../.." && pwd)
sandbox="$src/deploy/sandbox.sh"
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
started=$SECONDS

current_step="setup"
step() { current_step=$1; printf '==> %s  (%ds)\n' "$1" $((SECONDS - started)); }
fail() {
  echo "sandbox_reconcile_test: FAILED in step '$current_step': $*" >&2
  exit 1
}
trap 'fail "command failed (exit $?, line $LINENO): $BASH_COMMAND"' ERR

[ -x "$pgtwin" ] || fail "no pgtwin binary at '$pgtwin'"

# shellcheck source=tests/e2e/sandbox_env.sh
. "$src/tests/e2e/sandbox_env.sh"   # free_base, temp_base
work=$(mktemp -d "$(temp_base)/pgtwin-e2e.XXXXXX")
chmod 755 "$work"   # as root the instances run as postgres, which must reach their directories
export PGTWIN_SANDBOX_DIR="$work/sandbox"
PGTWIN_SANDBOX_PORT=$(free_base 6510 6550)
export PGTWIN_SANDBOX_PORT
out="$work/out"
mkdir "$out"

cleanup() {
  local rc=$?
  trap - ERR
  if [ "${PGTWIN_E2E_KEEP:-}" = 1 ]; then
    "$sandbox" down >/dev/null 2>&1 || true
    echo "sandbox_reconcile_test: kept $work (sandbox stopped)"
  else
    "$sandbox" down --purge >/dev/null 2>&1 || true
    rm -rf -- "$work"
  fi
  echo "sandbox_reconcile_test: $([ $rc -eq 0 ] && echo passed || echo failed)" \
    "in $((SECONDS - started)) s"
}
trap cleanup EXIT
trap 'exit 143' TERM INT   # a ctest timeout or ^C still purges the sandbox

uri() { "$sandbox" uri "$@"; }
sql() { "$pg_bin/psql" -X -A -t -q -v ON_ERROR_STOP=1 -d "$(uri "$1" "$2")" -c "$3"; }

# Runs pgtwin with the given arguments into $out/NAME.out (stderr too); sets rc to its exit code.
run_pgtwin() {
  local name=$1; shift
  rc=0
  "$pgtwin" "$@" > "$out/$name.out" 2>&1 || rc=$?
}
expect_rc() {
  local name=$1 want=$2
  [ "$rc" -eq "$want" ] || { cat "$out/$name.out"; fail "pgtwin $name exited $rc, expected $want"; }
}

step "a. sandbox up (base port $PGTWIN_SANDBOX_PORT, $PGTWIN_SANDBOX_DIR)"
"$sandbox" up > "$out/up.log" 2>&1 || { cat "$out/up.log"; fail "deploy/sandbox.sh up failed"; }

step "a. dump Prod (prod-dc1) into a snapshot"
snapshot="$PGTWIN_SANDBOX_DIR/snapshots/prod"
mkdir -p "$(dirname "$snapshot")"
run_pgtwin dump dump --source "$(uri prod-dc1)" --all-databases --output "$snapshot"
expect_rc dump 0

step "a. spec for this sandbox (deploy/sandbox.sh spec)"
spec="$PGTWIN_SANDBOX_DIR/sandbox.yaml"
"$sandbox" spec > "$spec" || fail "deploy/sandbox.sh spec failed"
for want in "snapshot: $snapshot }" "127.0.0.1:$((PGTWIN_SANDBOX_PORT + 2))/" \
    "port: $((PGTWIN_SANDBOX_PORT + 3))," "port: $((PGTWIN_SANDBOX_PORT + 4)),"; do
  grep -qF -- "$want" "$spec" || { cat "$spec"; fail "the spec has no '$want'"; }
done
run_pgtwin validate validate "$spec"
expect_rc validate 0
# The spec's ignore rules, passed to `pgtwin diff` as well: the lines `  - "KIND:REGEX"` of its
# `ignore:` list (a rule needing YAML escapes would need a YAML parser here: refused).
ignores=()
while IFS= read -r line; do
  [[ $line =~ ^\ +-\ \"([^\"\\]+)\"\ *(#.*)?$ ]] || fail "cannot read the ignore rule: $line"
  ignores+=(--ignore "${BASH_REMATCH[1]}")
done < <(sed -n '/^ignore:/,/^[^ ]/{/^ /p}' "$spec" | grep -v '^ *#' | grep -v '^ *$')
[ ${#ignores[@]} -gt 0 ] || fail "found no ignore rules in the spec"

step "b. reconcile the empty Test: dry run (exit 2), then apply (exit 0)"
run_pgtwin plan-1 reconcile "$spec" --dry-run --no-color
expect_rc plan-1 2
run_pgtwin apply-1 reconcile "$spec" --no-color
expect_rc apply-1 0
grep -qE '^Converged: [1-9][0-9]* done[.,]' "$out/apply-1.out" \
  || { cat "$out/apply-1.out"; fail "the apply did not report 'Converged: N done.'"; }

# c. Prints the body of a `pgtwin diff` text output (file $1): the lines between the header and
# the summary (the objects that differ), without the objects whose kind matches $2 (with
# everything below them), and without a line that changes nothing itself once nothing is left
# under it. Test's replication differs from the Prod snapshot's by design in places: its
# locations are Test's connection strings, the PL/Proxy cluster and partconf are not planned yet
# (a later step of issue 4), and the snapshot, dumped from prod-dc1, holds the roots' side only.
diff_body() {
  awk 'NR > 3 && /^$/ { exit } NR > 3' "$1" | perl -e '
    my $left_out = shift;
    my @lines = <STDIN>; my @kept; my $skip = -1;
    for (@lines) {
      my ($indent) = /^( *)/; my $depth = length $indent;
      next if $skip >= 0 && $depth > $skip;
      $skip = -1;
      if (/^ *[-+~] (?:$left_out) /) { $skip = $depth; next; }
      push @kept, $_;
    }
    my @out; my $next_depth = -1;   # from the end: a line without +, - or ~ needs a deeper one
    for my $line (reverse @kept) {
      my $d = length(($line =~ /^( *)/)[0]);
      next if $line =~ /^ *[^-+~ ]/ && $next_depth <= $d;
      unshift @out, $line; $next_depth = $d;
    }
    print @out;' "$2"
}
check_diff() {
  local site=$1 instance=$2 left_out=$3 expected=$4 name="diff-$1"
  run_pgtwin "$name" diff --source "$snapshot" --target "$(uri "$instance")" --all-databases \
    --no-color "${ignores[@]}"
  expect_rc "$name" 2
  if [ "$(diff_body "$out/$name.out" "$left_out")" != "$expected" ]; then
    cat "$out/$name.out"
    fail "Prod vs Test $site: expected only these differences:"$'\n'"$expected"
  fi
}

step "c. diff the Prod snapshot against test-dc1: only accountdb_p002/p003 are missing"
check_diff dc1 test-dc1 'pgq_location|plproxy_cluster|partconf' "+ database accountdb_p002
+ database accountdb_p003"

step "c. diff the Prod snapshot against test-dc2: only the databases dc2 does not carry"
check_diff dc2 test-dc2 'pgq_\w+|londiste_\w+|plproxy_cluster|partconf' "+ database accountdb_p002
+ database accountdb_p003
+ database clidb
+ database confdb
+ database proxydb"

step "c. Test's cascades: a root on test-dc1 and its leaf on test-dc2 per kept shard, tables in sync"
for db in accountdb_p000 accountdb_p001; do
  root=$(sql test-dc1 "$db" "SELECT node_type || ' ' || node_name FROM pgq_node.get_node_info('$db')")
  leaf=$(sql test-dc2 "$db" "SELECT node_type || ' ' || node_name || ' <- ' || provider_node
                             FROM pgq_node.get_node_info('$db')")
  [ "$root" = "root ${db}_dc1" ] || fail "$db on test-dc1: node '$root', expected 'root ${db}_dc1'"
  [ "$leaf" = "leaf ${db}_dc2 <- ${db}_dc1" ] \
    || fail "$db on test-dc2: node '$leaf', expected 'leaf ${db}_dc2 <- ${db}_dc1'"
  tables=$(sql test-dc2 "$db" "SELECT count(*) FILTER (WHERE merge_state = 'ok') || '/' || count(*)
                               FROM londiste.get_table_list('$db') WHERE local")
  [ "${tables%/*}" = "${tables#*/}" ] && [ "${tables#*/}" -gt 0 ] \
    || fail "$db on test-dc2: tables in sync/replicated $tables"
done

# d. Normalises a `pg_dump --schema-only` text for comparison; nothing else is changed:
# - the \restrict / \unrestrict key, random in every dump (pg_dump 15.14 and later);
# - the order of reloptions in WITH (...) of tables, indexes and views: pgtwin's model keeps
#   them sorted (docs/model.md, `options`), and PostgreSQL keeps them in the order given;
# - the order of the GRANTs on one object: pg_dump prints them in the order of the aclitems in
#   the ACL, which is the order of the GRANTs that built it; the model keeps the ACL as a sorted
#   set (docs/model.md, `acl`), so pgtwin grants in name order.
normalise_dump() {
  perl -ne '
    s/^(\\(?:un)?restrict) \S+$/$1 KEY/;
    if (/^(?:WITH \(|CREATE (?:UNIQUE )?INDEX .* WITH \(|CREATE (?:MATERIALIZED )?VIEW .* WITH \()/) {
      s{WITH \(([^()]*)\)}{my @o = split(/, /, $1); "WITH (" . join(", ", sort @o) . ")"}e;
    }
    if (/^GRANT /) { push @grants, $_; next; }
    print sort @grants; @grants = ();
    print;
    END { print sort @grants; }
  ' "$1"
}
# Replication and RPC are left out of both sides (step c checks Test's cascades; the PL/Proxy
# cluster is not planned yet, a later step of issue 4): the schemas pgq, pgq_node and londiste (their event
# tables and sequences are created by pgq.create_queue, outside the extensions), Londiste's
# triggers (_londiste_<queue>, _londiste_<queue>_truncate) and the PL/Proxy cluster's foreign
# server with its comment, user mapping and grants (dump entries, each from its '-- Name:').
dump_schema() {
  "$pg_bin/pg_dump" --schema-only -N pgq -N pgq_node -N londiste -d "$(uri "$1" "$2")" \
    | perl -e '
        local $/;
        my $left_out = join "|", q{\S+ _londiste_\S+; Type: TRIGGER}, q{[^;]*; Type: SERVER},
          q{[^;]*; Type: USER MAPPING}, q{SERVER [^;]*; Type: COMMENT},
          q{FOREIGN SERVER [^;]*; Type: ACL};
        for (split /(?=^--\n-- Name: )/m, <STDIN>) {
          my $skip = /\A--\n-- Name: (?:$left_out);/;
          # a left-out entry keeps the SET lines pg_dump put after it for the entries that follow
          print $skip ? (/(^SET .*)\z/ms ? $1 : "") : $_;
        }
      ' > "$3" || fail "pg_dump of $1/$2 failed"
}

step "d. pg_dump --schema-only of each database Test carries equals Prod's"
# Test's two sites follow one Prod snapshot, taken from prod-dc1 (prod-dc2 holds the same shape),
# so both compare with prod-dc1.
mismatched=()
for pair in test-dc1:accountdb_p000 test-dc1:accountdb_p001 test-dc1:clidb test-dc1:confdb \
    test-dc1:proxydb test-dc2:accountdb_p000 test-dc2:accountdb_p001; do
  instance=${pair%%:*} db=${pair#*:}
  dump_schema prod-dc1 "$db" "$out/prod-$db.raw.sql"
  dump_schema "$instance" "$db" "$out/$instance-$db.raw.sql"
  normalise_dump "$out/prod-$db.raw.sql" > "$out/prod-$db.sql"
  normalise_dump "$out/$instance-$db.raw.sql" > "$out/$instance-$db.sql"
  if ! diff -u --label "prod-dc1/$db" --label "$instance/$db" \
      "$out/prod-$db.sql" "$out/$instance-$db.sql" > "$out/$instance-$db.diff"; then
    cat "$out/$instance-$db.diff"
    mismatched+=("$instance/$db")
  fi
done
[ ${#mismatched[@]} -eq 0 ] || fail "schema dumps differ from Prod's: ${mismatched[*]} (diffs above)"

step "e. log_statement = 'mod' on test-dc1 and test-dc2"
declare -A log_start
for instance in test-dc1 test-dc2; do
  sql "$instance" postgres "ALTER SYSTEM SET log_statement = 'mod'" >/dev/null
  sql "$instance" postgres "SELECT pg_reload_conf()" >/dev/null
  for _ in $(seq 50); do   # a new session sees the setting once the postmaster has reloaded
    [ "$(sql "$instance" postgres "SHOW log_statement")" = mod ] && break
    sleep 0.1
  done
  [ "$(sql "$instance" postgres "SHOW log_statement")" = mod ] \
    || fail "log_statement did not become 'mod' on $instance"
  log_start[$instance]=$(stat -c %s "$PGTWIN_SANDBOX_DIR/$instance/server.log")
done

step "e. second reconcile: dry run and apply exit 0, plan nothing"
no_changes='Plan: 0 to create, 0 to change, 0 to replace, 0 to drop; 0 unmanaged kept; 0 blocked.'
run_pgtwin plan-2 reconcile "$spec" --dry-run --no-color
expect_rc plan-2 0
grep -qxF "$no_changes" "$out/plan-2.out" \
  || { cat "$out/plan-2.out"; fail "the second dry run plans something"; }
run_pgtwin apply-2 reconcile "$spec" --no-color
expect_rc apply-2 0
if ! grep -qxF "$no_changes" "$out/apply-2.out" \
    || ! grep -qE '^Converged: 0 done[.,]' "$out/apply-2.out"; then
  cat "$out/apply-2.out"
  fail "the second reconcile planned or did something"
fi

step "e. the Test servers logged no statement from the second reconcile"
for instance in test-dc1 test-dc2; do
  log="$PGTWIN_SANDBOX_DIR/$instance/server.log"
  tail -c +$((log_start[$instance] + 1)) "$log" > "$out/$instance-reconcile.log"
  if grep -E 'LOG:  (statement|execute [^:]*):' "$out/$instance-reconcile.log"; then
    fail "$instance logged the statements above (log_statement = 'mod') during the second reconcile"
  fi
  # The check can fail: a statement that writes is logged.
  sql "$instance" postgres "CREATE TEMP TABLE pgtwin_e2e_probe (i int)" >/dev/null
  tail -c +$((log_start[$instance] + 1)) "$log" \
    | grep -q 'LOG:  statement: CREATE TEMP TABLE pgtwin_e2e_probe' \
    || fail "$instance did not log a CREATE TABLE: log_statement = 'mod' is not in effect"
done

step "passed"
