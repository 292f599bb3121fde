#!/usr/bin/env bash
# pgtwin in eight steps on a fresh Debian 12 machine (as root):
#
#   1. installs the Debian packages (deploy/install-deps.sh)
#   2. builds the pgtwin CLI (CMake, Release, build/)
#   3. starts the sandbox: a scaled Prod on two sites, INT and an empty Test on two sites, all
#      local PostgreSQL 15 instances on 127.0.0.1 (deploy/sandbox.sh up); Prod replicates each
#      shard from dc1 to dc2 with Londiste3 and routes calls over PL/Proxy, which
#      `deploy/sandbox.sh check` shows
#   4. dumps every Prod database into a snapshot, and prints the tree of one shard
#   5. diffs the Prod snapshot against Test and shows what Test lacks
#   6. reconciles Test from its spec (specs/sandbox.yaml): validate, preview with --dry-run,
#      apply (which also starts Test's londiste workers and pgqd, listed with their lag), then
#      a second --dry-run that plans nothing
#   7. diffs Prod against Test again: the shards the spec does not carry, the replication
#      locations (Test's own), and what keeping 2 of 4 shards changes by design: partconf's
#      max_part and the PL/Proxy cluster's partitions (specs/README.md, "Replication")
#   8. shows rows flowing in Test: `deploy/sandbox.sh check test` inserts a row on each Test
#      root (test-dc1) and waits for it on the leaf (test-dc2), and checks the part handler
#      keeps on a leaf only the accounts of its partition
#
# PGTWIN_SANDBOX_DIR and PGTWIN_SANDBOX_PORT put the sandbox elsewhere (deploy/sandbox.sh); step 6
# then reconciles from `deploy/sandbox.sh spec`, written to sandbox.yaml in the sandbox directory.
#
# Run it again at any time: each step leaves what is already there alone, and the snapshot is
# taken afresh. Stop the sandbox with `deploy/sandbox.sh down` (`--purge` deletes it).
set -euo pipefail

cd "$(dirname "$0")/.."
jobs=$(nproc)
sandbox=deploy/sandbox.sh
root=${PGTWIN_SANDBOX_DIR:-/var/tmp/pgtwin-sandbox}
root=${root%/}
snapshot="$root/snapshots/prod"
pgtwin=build/reconciler/cli/pgtwin

started=$SECONDS
step() { printf '\n==> [%s] %s  (%ds)\n\n' "$1" "$2" $((SECONDS - started)); }

# Prints a command's saved output: in full when short, else its head and tail.
show() {
  local file=$1 lines
  lines=$(wc -l < "$file")
  if [ "$lines" -le 100 ]; then
    cat "$file"
  else
    head -n 60 "$file"
    printf '    ... %d more lines (all of them in %s) ...\n' $((lines - 90)) "$file"
    tail -n 30 "$file"
  fi
}

step 1/8 "Installing packages (deploy/install-deps.sh)"
deploy/install-deps.sh

step 2/8 "Building pgtwin (Release, build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs" --target pgtwin
[ -x "$pgtwin" ] || { echo "quickstart: the build did not produce $pgtwin" >&2; exit 1; }

step 3/8 "Starting the sandbox (deploy/sandbox.sh up)"
"$sandbox" up
echo
echo "\$ deploy/sandbox.sh check   # Prod: rows flow from dc1 to dc2, PL/Proxy routes by key"
"$sandbox" check
prod=$("$sandbox" uri prod-dc1)
test_uri=$("$sandbox" uri test-dc1)
shard=$("$sandbox" uri prod-dc1 accountdb_p000)

step 4/8 "Dumping Prod (prod-dc1) into a snapshot"
echo "\$ pgtwin dump --source $prod --all-databases --output $snapshot"
rm -rf "$snapshot"
mkdir -p "$(dirname "$snapshot")"
"$pgtwin" dump --source "$prod" --all-databases --output "$snapshot"
echo
echo "Snapshot files:"
(cd "$snapshot" && find . -type f | sort | sed 's|^\./|  |')
echo
echo "\$ pgtwin dump --source $shard | head -60"
"$pgtwin" dump --source "$shard" > "$root/accountdb_p000.tree"
head -n 60 "$root/accountdb_p000.tree"
echo "    ... ($(wc -l < "$root/accountdb_p000.tree") lines in all: $root/accountdb_p000.tree)"

step 5/8 "Diffing the Prod snapshot against Test (test-dc1)"
echo "\$ pgtwin diff --source $snapshot --target $test_uri --all-databases"
diff_out="$root/prod-vs-test-dc1.diff"
rc=0
"$pgtwin" diff --source "$snapshot" --target "$test_uri" --all-databases > "$diff_out" || rc=$?
show "$diff_out"
echo
case $rc in
  0) echo "pgtwin diff: exit 0, Test has the same shape as Prod." ;;
  2) echo "pgtwin diff: exit 2, Test differs from Prod (expected on the first run: Test starts empty)." ;;
  *) echo "quickstart: pgtwin diff failed with exit $rc" >&2; exit 1 ;;
esac

spec=specs/sandbox.yaml
if [ -n "${PGTWIN_SANDBOX_DIR:-}" ] || [ -n "${PGTWIN_SANDBOX_PORT:-}" ]; then
  spec="$root/sandbox.yaml"
fi
step 6/8 "Reconciling Test from its spec ($spec)"
if [ "$spec" != specs/sandbox.yaml ]; then
  echo "\$ deploy/sandbox.sh spec > $spec   # specs/sandbox.yaml for this sandbox's directory and ports"
  "$sandbox" spec > "$spec"
  echo
fi
echo "\$ pgtwin validate $spec"
"$pgtwin" validate "$spec"
echo
echo "\$ pgtwin reconcile $spec --dry-run"
plan_out="$root/sandbox.plan"
rc=0
"$pgtwin" reconcile "$spec" --dry-run > "$plan_out" || rc=$?
show "$plan_out"
case $rc in
  0|2) ;;
  *) echo "quickstart: pgtwin reconcile --dry-run failed with exit $rc" >&2; exit 1 ;;
esac
echo
echo "\$ pgtwin reconcile $spec"
apply_out="$root/sandbox.apply"
"$pgtwin" reconcile "$spec" > "$apply_out" || {
  show "$apply_out"; echo "quickstart: pgtwin reconcile did not converge" >&2; exit 1; }
sed -n '/^Converged\|^Not converged/p; /^Daemons:/,$p' "$apply_out"
echo
echo "\$ pgtwin reconcile $spec --dry-run   # a second pass plans nothing"
rc=0
"$pgtwin" reconcile "$spec" --dry-run > "$plan_out" || rc=$?
sed -n "/^Plan:/p" "$plan_out"
[ "$rc" -eq 0 ] || { show "$plan_out"; echo "quickstart: the second pass is not in sync (exit $rc)" >&2; exit 1; }

step 7/8 "Diffing Prod against the reconciled Test (test-dc1)"
# With the spec's ignore rules (its `ignore:` lines `  - "KIND:REGEX"`), as reconcile compares.
ignores=()
while IFS= read -r rule; do ignores+=(--ignore "$rule"); done \
  < <(sed -n '/^ignore:/,/^[^ ]/s/^ *- "\([^"]*\)".*$/\1/p' "$spec")
echo "\$ pgtwin diff --source $snapshot --target $test_uri --all-databases ${ignores[*]}"
rc=0
"$pgtwin" diff --source "$snapshot" --target "$test_uri" --all-databases "${ignores[@]}" \
  > "$diff_out" || rc=$?
show "$diff_out"
[ "$rc" -le 2 ] || { echo "quickstart: pgtwin diff failed with exit $rc" >&2; exit 1; }
echo
echo "Test carries 2 of Prod's 4 accountdb shards (specs/sandbox.yaml): the other two differ, and"
echo "by design Test's replication locations, each shard's partconf max_part (1, not 3) and"
echo "proxydb's PL/Proxy partitions (p0, p1 on Test's shards, not p0..p3 on Prod's)."

step 8/8 "Rows flow in Test (the workers pgtwin started)"
echo "\$ deploy/sandbox.sh check test"
"$sandbox" check test

cat <<EOF

Done. The sandbox keeps running:
  deploy/sandbox.sh status           which instances are up, their ports and URIs
  $pgtwin render $spec --site dc2
                                     what the spec asks of Test's second site
  $pgtwin reconcile $spec --dry-run
                                     preview what a reconcile would change (exit 2: changes)
  deploy/sandbox.sh check test       rows flow in Test (and \`check\`: in Prod)
  deploy/sandbox.sh down [--purge]   stop the sandbox, Test's workers too (and delete it)
EOF
