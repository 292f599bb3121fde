# shellcheck shell=bash
# Where an e2e test's own sandbox goes; sourced by tests/e2e/sandbox_*_test.sh, which define
# fail(). Never the default sandbox's ports 6500-6504, never the pg fixture's 20000-29999.

# A base port whose five ports are free, from FIRST to LAST (a multiple of 5 apart), within
# 6510-6599: clear of the default sandbox, of the pg fixture (20000-29999) and of the ephemeral
# ports (32768 and up). Each test has a range of its own, so two running at once never pick the
# same base.
port_free() { ! ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }
free_base() {
  local first=$1 last=$2 base i ok
  for base in $(seq "$first" 5 "$last" | shuf); do
    ok=1
    for i in 0 1 2 3 4; do port_free $((base + i)) || { ok=0; break; }; done
    if [ $ok -eq 1 ]; then echo "$base"; return; fi
  done
  fail "no free base port in $first-$((last + 4))"
}

# Where the sandbox's files go (about 400 MB): TMPDIR when set, else /dev/shm when it has 2 GB
# free (on a disk, writing and deleting them takes most of the test's time), else /tmp.
temp_base() {
  local free_kb
  if [ -n "${TMPDIR:-}" ]; then echo "$TMPDIR"; return; fi
  free_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
  if [ -w /dev/shm ] && [ "${free_kb:-0}" -ge 2097152 ]; then echo /dev/shm; else echo /tmp; fi
}
