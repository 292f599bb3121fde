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
#      only the databases the spec leaves out of that site are reported, and what the cut to
#      2 shards changes by design: partconf's max_part, the PL/Proxy cluster's partitions
#   d. `pg_dump --schema-only` of every database Test carries equals Prod's (normalised below)
#   e. with log_statement = 'mod' on both Test instances, a second reconcile (dry run, then
#      apply) exits 0, plans nothing, and the servers log no statement from it
#   f. once the user mapping's password is set by hand (pgtwin cannot copy it), rpc.get_balance
#      through Test's proxydb answers from the Test shard the account hashes to (2 partitions)
#   g. rows flow in Test through the workers pgtwin runs; a killed one is started again
#      (sandbox_worker_steps.sh)
#   h. `pgtwin serve` on the sandbox (sandbox_serve_steps.sh)
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
# under it (so attribute lines go: attrs_under checks those). Test's replication differs from
# the Prod snapshot's by design in places: its locations are Test's connection strings, and the
# snapshot, dumped from prod-dc1, holds the roots' side only.
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
      $d += 2 if $line =~ /^ *[-+~] /;   # the marker stands in the indentation of its object
      next if $line =~ /^ *[^-+~ ]/ && $next_depth <= $d;
      unshift @out, $line; $next_depth = $d;
    }
    print @out;' "$2"
}
# The attribute names listed under each `~ KIND NAME` line of a diff output (file $1) whose
# kind matches $2: "KIND NAME: attr attr ...", one line per object.
attrs_under() {
  awk -v kinds="^($2)\$" '
    /^$/ || /^ *([-+~] )?[a-z_]+ [^ ]/ {   # an object line ("[marker] kind name") or the end
      if (obj != "") print obj ":" list
      obj = ""; list = ""
      if ($1 == "~" && $2 ~ kinds) obj = $2 " " $3
      next
    }
    obj != "" && /^ *[a-z_0-9.]+: / { sub(/^ */, ""); sub(/:.*/, ""); list = list " " $0 }
    END { if (obj != "") print obj ":" list }' "$1"
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

# Test keeps 2 of Prod's 4 accountdb shards, so by design (specs/README.md, "Replication") each
# kept shard's partconf row has max_part 1 where Prod's has 3 (part_nr, the shard's number,
# stays), and proxydb's PL/Proxy cluster has the partitions p0, p1 on Test's shards where Prod's
# has p0..p3 on its own: the differences must be these and no other attribute.
check_rpc_attrs() {
  local site=$1 expected=$2
  if [ "$(attrs_under "$out/diff-$site.out" 'partconf|plproxy_cluster')" != "$expected" ]; then
    cat "$out/diff-$site.out"
    fail "Prod vs Test $site: PL/Proxy and partconf should differ only as:"$'\n'"$expected"
  fi
}

step "c. diff the Prod snapshot against test-dc1: accountdb_p002/p003 missing, the cut's changes"
check_diff dc1 test-dc1 'pgq_location' "  database accountdb_p000
  ~ partconf conf
  database accountdb_p001
  ~ partconf conf
+ database accountdb_p002
+ database accountdb_p003
  database proxydb
  ~ plproxy_cluster accountdb"
check_rpc_attrs dc1 "partconf conf: max_part
partconf conf: max_part
plproxy_cluster accountdb: p0 p1 p2 p3 partitions"

step "c. diff the Prod snapshot against test-dc2: the databases dc2 does not carry, partconf"
check_diff dc2 test-dc2 'pgq_\w+|londiste_\w+' "  database accountdb_p000
  ~ partconf conf
  database accountdb_p001
  ~ partconf conf
+ database accountdb_p002
+ database accountdb_p003
+ database clidb
+ database confdb
+ database proxydb"
check_rpc_attrs dc2 "partconf conf: max_part
partconf conf: max_part"

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
# Replication is left out of both sides (step c checks Test's cascades): the schemas pgq,
# pgq_node and londiste (their event tables and sequences are created by pgq.create_queue,
# outside the extensions) and Londiste's triggers (_londiste_<queue>, _londiste_<queue>_truncate).
# Of the PL/Proxy cluster, the foreign server's own entry is left out — its partitions differ by
# design (Test's 2 shards on Test's sites; step c checks that nothing else differs, step f that
# calls route) — while its comment, user mapping and grants are compared (dump entries, each
# from its '-- Name:').
dump_schema() {
  "$pg_bin/pg_dump" --schema-only -N pgq -N pgq_node -N londiste -d "$(uri "$1" "$2")" \
    | perl -e '
        local $/;
        my $left_out = join "|", q{\S+ _londiste_\S+; Type: TRIGGER}, q{[^;]*; Type: SERVER};
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

step "f. rpc.get_balance through Test's proxydb answers from the Test shard the id hashes to"
# The sandbox's PL/Proxy connects as proxy_rpc; on Prod over the instance's socket (trust), on
# Test over 127.0.0.1 (Test's sites), where proxy_rpc needs its password: Test has INT's
# (roles.passwords: int; deploy/sandbox/prod/roles.sql). A user mapping's password is not
# copied by pgtwin (specs/README.md, "Replication"): set by hand here, as a DBA does.
sql test-dc1 proxydb "ALTER USER MAPPING FOR PUBLIC SERVER accountdb
  OPTIONS (ADD password 'proxy_rpc/int/Rp6c0')" >/dev/null
run_pgtwin plan-3 reconcile "$spec" --dry-run --no-color
expect_rc plan-3 0   # a password alone is not planned
# For each Test shard k, an account whose id hashes to k with 2 partitions but to k + 2 with
# Prod's 4: Prod's routing would miss it.
for k in 0 1; do
  id=$(sql test-dc1 accountdb_p000 "SELECT min(i) FROM generate_series(9000000000000,
    9000000000999) i WHERE hashint8(i) & 3 = $((k + 2))")
  [ -n "$id" ] || fail "no probe id hashing to partition $((k + 2))"
  sql test-dc1 "accountdb_p00$k" "WITH c AS (INSERT INTO account.customers (email, first_name,
      last_name, country) VALUES ('probe-$k@e2e', 'Probe', 'Check', 'EE') RETURNING customer_id)
    INSERT INTO account.accounts (account_id, customer_id, balance, status)
    SELECT $id, customer_id, $((100 + k)), 'active' FROM c" >/dev/null
  got=$(sql test-dc1 proxydb "SELECT string_agg(amount::int::text, ',')
    FROM rpc.get_balance($id::bigint)") || fail "rpc.get_balance($id) failed (above)"
  [ "$got" = $((100 + k)) ] \
    || fail "rpc.get_balance($id) gave '$got', expected $((100 + k)) from accountdb_p00$k"
done

. "$src/tests/e2e/sandbox_worker_steps.sh"
. "$src/tests/e2e/sandbox_serve_steps.sh"

step "passed"
