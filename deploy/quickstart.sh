#!/usr/bin/env bash
# pgtwin in five steps on a fresh Debian 12 machine (as root):
#
#   1. installs the Debian packages (deploy/install-deps.sh)
#   2. builds the pgtwin CLI (CMake, Release, build/)
#   3. starts the sandbox: a scaled Prod on two sites, INT and an empty Test on two sites, all
#      local PostgreSQL 15 instances on 127.0.0.1 (deploy/sandbox.sh up)
#   4. dumps every Prod database into a snapshot, and prints the tree of one shard
#   5. diffs the Prod snapshot against the empty Test and shows what Test lacks
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

step 1/5 "Installing packages (deploy/install-deps.sh)"
deploy/install-deps.sh

step 2/5 "Building pgtwin (Release, build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs" --target pgtwin
[ -x "$pgtwin" ] || { echo "quickstart: the build did not produce $pgtwin" >&2; exit 1; }

step 3/5 "Starting the sandbox (deploy/sandbox.sh up)"
"$sandbox" up
prod=$("$sandbox" uri prod-dc1)
test_uri=$("$sandbox" uri test-dc1)
shard=$("$sandbox" uri prod-dc1 accountdb_p000)

step 4/5 "Dumping Prod (prod-dc1) into a snapshot"
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

step 5/5 "Diffing the Prod snapshot against the empty Test (test-dc1)"
echo "\$ pgtwin diff --source $snapshot --target $test_uri --all-databases"
diff_out="$root/prod-vs-test-dc1.diff"
rc=0
"$pgtwin" diff --source "$snapshot" --target "$test_uri" --all-databases > "$diff_out" || rc=$?
show "$diff_out"
echo
case $rc in
  0) echo "pgtwin diff: exit 0, Test has the same shape as Prod." ;;
  2) echo "pgtwin diff: exit 2, Test differs from Prod (expected: the sandbox Test starts empty)." ;;
  *) echo "quickstart: pgtwin diff failed with exit $rc" >&2; exit 1 ;;
esac

cat <<EOF

Done. The sandbox keeps running:
  deploy/sandbox.sh status           which instances are up, their ports and URIs
  $pgtwin diff --source $snapshot --target $("$sandbox" uri prod-dc2) --all-databases
                                     compare Prod dc1 (snapshot) with its DR site
  deploy/sandbox.sh down [--purge]   stop the sandbox (and delete it)
EOF
