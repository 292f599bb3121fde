# shellcheck shell=bash disable=SC2154  # root, here, psql_bin: set by deploy/sandbox.sh
# Prod's replication and RPC setup in the sandbox; sourced by deploy/sandbox.sh, which defines
# root, here, psql_bin, port_of, die and is_running.
#
# Every accountdb shard is a Londiste3 cascade of its own (accountdb.sql beside this file: queue
# accountdb_pNNN, root node accountdb_pNNN_dc1 on prod-dc1, leaf accountdb_pNNN_dc2 on prod-dc2),
# replayed by one londiste worker per leaf; one pgqd per Prod instance ticks and maintains the
# queues. proxydb on each site gets the `accountdb` PL/Proxy cluster over that site's shards
# (proxydb.sql). Worker and pgqd ini files, pid files and logs live in $root/replication/.

repl_sql_dir="$here/sandbox/replication"
repl_dir="$root/replication"
# Test's daemons: pgtwin runs them (specs/sandbox.yaml, `workers`); `down` stops them too.
repl_test_dir="$root/test-workers"

# Prints the daemons of DIR (default Prod's, $repl_dir) as "NAME INI" lines: each pgqd, then
# the workers.
repl_daemons() {
  local ini dir=${1:-$repl_dir}
  for ini in "$dir"/conf/pgqd_*.ini "$dir"/conf/l3_*.ini; do
    [ -f "$ini" ] && echo "$(basename "$ini" .ini) $ini"
  done
  return 0
}

# Prints the pid of daemon NAME when it runs: its pid file (pid/NAME.pid beside the ini file's
# conf/) names a live process started from its ini file.
repl_pid() {
  local name=$1 ini=$2 pid
  pid=$(cat "$(dirname "$(dirname "$ini")")/pid/$name.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null \
    | grep -qF -- "$ini" && echo "$pid"
}

repl_psql() { "$psql_bin" -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

# The accountdb shards of INSTANCE (default prod-dc1), one per line.
repl_shards() {
  repl_psql -d "host=127.0.0.1 port=$(port_of "${1:-prod-dc1}") user=postgres dbname=postgres" \
    -c "SELECT datname FROM pg_database WHERE datname ~ '^accountdb_p[0-9]{3}\$' ORDER BY 1"
}

# Builds the cascade of shard DB: the root on prod-dc1, then the leaf on prod-dc2.
repl_setup_shard() {
  local db=$1 dc1 dc2 out gwm seqs
  dc1=$(port_of prod-dc1) dc2=$(port_of prod-dc2)
  local args=(-v queue="$db" -v shard=$((10#${db##*_p}))
    -v root_node="${db}_dc1" -v root_worker="l3_${db}_dc1"
    -v root_location="host=127.0.0.1 port=$dc1 dbname=$db user=postgres"
    -v leaf_node="${db}_dc2" -v leaf_worker="l3_${db}_dc2"
    -v leaf_location="host=127.0.0.1 port=$dc2 dbname=$db user=postgres")
  out=$(repl_psql "${args[@]}" -v root=true -f "$repl_sql_dir/accountdb.sql" \
    -d "host=127.0.0.1 port=$dc1 user=postgres dbname=$db") \
    || die "setting up the Londiste root of $db on prod-dc1 failed (error above)"
  gwm=$(sed -n 's/^gwm=//p' <<<"$out")
  seqs=$(sed -n 's/^seq=//p' <<<"$out" | paste -sd, -)
  [ -n "$gwm" ] || die "the root of $db on prod-dc1 has no subscription for its leaf"
  repl_psql "${args[@]}" -v root=false -v gwm="$gwm" -v seqs="$seqs" \
    -f "$repl_sql_dir/accountdb.sql" -d "host=127.0.0.1 port=$dc2 user=postgres dbname=$db" \
    || die "setting up the Londiste leaf of $db on prod-dc2 failed (error above)"
  cat > "$repl_dir/conf/l3_${db}_dc2.ini" <<EOF
; Londiste worker of the leaf ${db}_dc2 (written by deploy/sandbox.sh up)
[londiste]
job_name = l3_${db}_dc2
db = host=127.0.0.1 port=$dc2 dbname=$db user=postgres
queue_name = $db
logfile = $repl_dir/log/%(job_name)s.log
pidfile = $repl_dir/pid/%(job_name)s.pid
; the part handler (account.accounts) lives in the shard module since londiste 3.11
handler_modules = londiste.handlers.shard
; partconf.conf has the Skytools layout (part_nr, max_part)
shard_info_sql = select part_nr, max_part, max_part + 1 from partconf.conf
loop_delay = 0.5
EOF
}

# The `accountdb` PL/Proxy cluster in proxydb of INSTANCE, over that instance's shards.
repl_setup_proxy() {
  local instance=$1 port i args=()
  port=$(port_of "$instance")
  for i in 0 1 2 3; do
    args+=(-v "p$i=host=$root/$instance port=$port dbname=accountdb_p00$i")
  done
  repl_psql "${args[@]}" -f "$repl_sql_dir/proxydb.sql" \
    -d "host=127.0.0.1 port=$port user=postgres dbname=proxydb" \
    || die "creating the PL/Proxy cluster in proxydb on $instance failed (error above)"
}

repl_write_pgqd_ini() {
  local instance=$1
  cat > "$repl_dir/conf/pgqd_$instance.ini" <<EOF
; pgqd of $instance: ticks and maintains every PgQ database (written by deploy/sandbox.sh up)
[pgqd]
base_connstr = host=127.0.0.1 port=$(port_of "$instance") user=postgres
initial_database = postgres
logfile = $repl_dir/log/pgqd_$instance.log
pidfile = $repl_dir/pid/pgqd_$instance.pid
EOF
}

# Starts daemon NAME from INI unless it runs. A pid file left behind is removed first: its pid
# may belong to another process by now, which the daemon would take for itself running.
repl_start() {
  local name=$1 ini=$2
  repl_pid "$name" "$ini" >/dev/null && return 0
  rm -f "$repl_dir/pid/$name.pid"
  case "$name" in
    pgqd_*) pgqd -q -d "$ini" ;;
    *) londiste -q -d "$ini" worker ;;
  esac > "$repl_dir/log/$name.start.log" 2>&1 \
    || die "could not start $name: $(cat "$repl_dir/log/$name.start.log")"
}

# Sets up replication and RPC in Prod (idempotent: only what is missing is created) and starts
# the daemons that are not running: both pgqd at once, each shard's worker once its cascade is
# built, all shards at the same time.
repl_up() {
  local db name failed=0
  local -a jobs=()
  if ! command -v londiste >/dev/null || ! command -v pgqd >/dev/null; then
    die "londiste and pgqd are not installed (deploy/install-deps.sh)"
  fi
  mkdir -p "$repl_dir"/{conf,log,pid}
  for name in prod-dc1 prod-dc2; do
    repl_write_pgqd_ini "$name"
    repl_start "pgqd_$name" "$repl_dir/conf/pgqd_$name.ini" & jobs+=($!)
    repl_setup_proxy "$name" & jobs+=($!)
  done
  for db in $(repl_shards); do
    { repl_setup_shard "$db" && repl_start "l3_${db}_dc2" "$repl_dir/conf/l3_${db}_dc2.ini"; } &
    jobs+=($!)
  done
  for name in "${jobs[@]}"; do wait "$name" || failed=1; done
  [ $failed -eq 0 ] || die "replication setup of Prod failed (errors above)"
}

# Stops the daemons, Prod's and Test's (SIGTERM to the pid in each pid file), waits until they
# are gone and removes their pid files (a worker killed by SIGTERM leaves its own behind).
repl_down() {
  local name ini pid pids=() i dir
  for dir in "$repl_dir" "$repl_test_dir"; do
    [ -d "$dir/conf" ] || continue
    while read -r name ini; do
      if pid=$(repl_pid "$name" "$ini"); then
        echo "sandbox: stopping $name ($([ "$dir" = "$repl_dir" ] && echo Prod || echo Test))"
        kill -TERM "$pid" 2>/dev/null || true
        pids+=("$pid")
      fi
    done < <(repl_daemons "$dir")
  done
  for i in $(seq 100); do
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && break; pid=""; done
    if [ -z "${pid:-}" ]; then
      rm -f "$repl_dir"/pid/*.pid "$repl_test_dir"/pid/*.pid
      return 0
    fi
    sleep 0.1
  done
  die "replication daemons still running after 10 s: ${pids[*]}"
}

# Prints one line per daemon, with --lag each leaf worker's lag behind its root; returns 3 when
# one of them is not running.
# shellcheck disable=SC2120  # deploy/sandbox.sh status passes --lag
repl_status() {
  local with_lag=${1:-} name ini pid state all=0 lag
  [ -d "$repl_dir/conf" ] || return 0
  echo
  printf '%-24s %-8s %-8s %s\n' DAEMON STATE PID "$([ "$with_lag" = --lag ] && echo \
    'LAG (of a leaf worker: behind its root) AND LAST ERROR')"
  while read -r name ini; do
    lag=""
    if pid=$(repl_pid "$name" "$ini"); then state=running; else state=stopped pid=- all=3; fi
    if [ "$with_lag" = --lag ] && [[ $name == l3_* ]] && [ $state = running ]; then
      local db=${name#l3_}; db=${db%_dc2}
      lag=$(repl_psql -d "host=127.0.0.1 port=$(port_of prod-dc1) user=postgres dbname=$db" \
        -c "SELECT 'lag ' || coalesce(extract(epoch FROM lag)::int || ' s', '?') || ', last seen ' \
              || coalesce(extract(epoch FROM last_seen)::int || ' s', '?') \
              || ' ago' FROM pgq.get_consumer_info('$db', '$name')" 2>/dev/null) || lag="?"
      lag+=$(repl_psql -d "host=127.0.0.1 port=$(port_of prod-dc2) user=postgres dbname=$db" \
        -c "SELECT ', error: ' || cur_error FROM pgq_node.get_consumer_info('$db')
             WHERE consumer_name = '$name' AND cur_error IS NOT NULL" 2>/dev/null) || true
    fi
    printf '%-24s %-8s %-8s %s\n' "$name" "$state" "$pid" "$lag"
  done < <(repl_daemons)
  return $all
}

# Waits up to 30 s until `SQL` (one value) returns WANT in database DB of INSTANCE.
repl_wait_for() {
  local instance=$1 db=$2 sql=$3 want=$4 got="" i
  for i in $(seq 60); do
    got=$(repl_psql -d "host=127.0.0.1 port=$(port_of "$instance") user=postgres dbname=$db" \
      -c "$sql") || return 1
    [ "$got" = "$want" ] && return 0
    sleep 0.5
  done
  echo "sandbox: check: $instance/$db: '$sql' gave '$got' after 30 s, expected '$want'" >&2
  return 1
}

# The root and leaf instances repl_check works on (`check test`: Test's).
repl_root=prod-dc1
repl_leaf=prod-dc2

# Runs SQL in DB of INSTANCE.
repl_sql() {
  repl_psql -d "host=127.0.0.1 port=$(port_of "$1") user=postgres dbname=$2" -c "$3"
}

# The probe accounts of `sandbox.sh check` have ids from 9e12 on; their customer's email is TAG@DB.
repl_probe_first=9000000000000
repl_probe_last=9000000000099

# Inserts on DB's root a probe customer and its accounts: VALUES rows (account_id, balance).
repl_probe_accounts() {
  repl_sql "$repl_root" "$1" "WITH c AS (INSERT INTO account.customers (email, first_name,
      last_name, country) VALUES ('$2@$1', 'Probe', 'Check', 'EE') RETURNING customer_id)
    INSERT INTO account.accounts (account_id, customer_id, balance, status)
    SELECT v.id, c.customer_id, v.balance, 'active' FROM c, (VALUES $3) v (id, balance)" >/dev/null
}

# Removes DB's probe rows on the root again, with their audit rows (the accounts' delete
# replicates to the leaf).
repl_drop_probes() {
  repl_sql "$repl_root" "$1" "
    DELETE FROM account.accounts WHERE account_id BETWEEN $repl_probe_first AND $repl_probe_last;
    DELETE FROM account.customers WHERE email = '$2@$1';
    DELETE FROM audit.changes WHERE table_name = 'account.accounts'
       AND (row_data->>'account_id')::bigint BETWEEN $repl_probe_first AND $repl_probe_last" \
    >/dev/null
}

# Checks that rows flow and calls route in Prod (`check`) or Test (`check test`: its roots on
# test-dc1, leaves on test-dc2), with probe rows it removes again (exit 1 otherwise):
#   1. every daemon runs (Prod's: those of Test are pgtwin's, `pgtwin reconcile` lists them);
#   2. per shard: a payment order inserted on the root shows up on the leaf, and its delete
#      follows;
#   3. per shard, every replicated sequence on the leaf is at or above the root's;
#   4. the part handler: of two accounts inserted on accountdb_p000's root, the leaf keeps the
#      one whose account_id hashes to partition 0, not the other;
#   5. Prod only, PL/Proxy: rpc.get_balance(account_id) in proxydb on prod-dc1 answers from the
#      shard the id hashes to (one probe account per shard, its balance = 100 + shard number).
#      (Test's proxydb needs the user mapping's password, which pgtwin cannot copy.)
repl_check() {
  local side=${1:-prod} db n tag="check-$$-$RANDOM" failed=0 pids=() pid ids=() k dbs=() arrived
  case "$side" in prod | test) ;; *) die "check: expected 'prod' or 'test', got '$side'" ;; esac
  repl_root=$side-dc1 repl_leaf=$side-dc2
  if [ "$side" = prod ]; then
    echo "sandbox: check: replication daemons"
    repl_status >/dev/null || { repl_status || true; die "check: not every replication daemon runs"; }
  fi
  mapfile -t dbs < <(repl_shards "$repl_root")
  [ ${#dbs[@]} -gt 0 ] || die "check: $repl_root has no accountdb shard"

  echo "sandbox: check: a payment order inserted on each root reaches its leaf, and its delete"
  for db in "${dbs[@]}"; do
    (
      repl_sql "$repl_root" "$db" "INSERT INTO ledger.payment_orders (order_id, state, from_account,
        to_iban, amount, currency) VALUES (gen_random_uuid(), 'new', 0, '$tag', 1, 'EUR')" >/dev/null
      arrived=0
      repl_wait_for "$repl_leaf" "$db" \
        "SELECT count(*) FROM ledger.payment_orders WHERE to_iban = '$tag'" 1 || arrived=1
      repl_sql "$repl_root" "$db" "DELETE FROM ledger.payment_orders WHERE to_iban = '$tag'" >/dev/null
      [ $arrived -eq 0 ] && repl_wait_for "$repl_leaf" "$db" \
        "SELECT count(*) FROM ledger.payment_orders WHERE to_iban = '$tag'" 0
    ) & pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ $failed -eq 0 ] || die "check: rows do not flow from $repl_root to $repl_leaf (above)"

  echo "sandbox: check: each replicated sequence on the leaves is at or above the root's"
  for db in "${dbs[@]}"; do
    local seqs_sql="SELECT string_agg(s.seq_name || '=' || q.last_value, ' ' ORDER BY 1)
      FROM londiste.get_seq_list('$db') s
      JOIN pg_sequences q ON q.schemaname || '.' || q.sequencename = s.seq_name WHERE s.local"
    local root_seqs leaf_seqs entry
    root_seqs=$(repl_sql "$repl_root" "$db" "$seqs_sql")
    leaf_seqs=$(repl_sql "$repl_leaf" "$db" "$seqs_sql")
    [ -n "$root_seqs" ] || die "check: $db has no replicated sequence on $repl_root"
    for entry in $root_seqs; do
      n=$(tr ' ' '\n' <<<"$leaf_seqs" | sed -n "s/^${entry%%=*}=//p")
      if [ -z "$n" ] || [ "${entry#*=}" -gt "$n" ]; then
        die "check: $db: ${entry%%=*} is ${entry#*=} on the root, '${n}' on the leaf"
      fi
    done
  done

  # Probe accounts: for shard k the first id from 9e12 on that hashes to k.
  for k in "${!dbs[@]}"; do
    ids+=("$(repl_sql "$repl_root" "${dbs[0]}" "SELECT min(i) FROM generate_series($repl_probe_first,
      $repl_probe_last) i WHERE hashint8(i) & $((${#dbs[@]} - 1)) = $k")")
  done
  echo "sandbox: check: the part handler keeps on the leaf only the account of its partition"
  repl_probe_accounts "${dbs[0]}" "$tag" "(${ids[0]}, 0), (${ids[1]}, 0)"
  repl_wait_for "$repl_leaf" "${dbs[0]}" "SELECT string_agg(account_id::text, ',') FROM
    account.accounts WHERE account_id IN (${ids[0]}, ${ids[1]})" "${ids[0]}" || failed=1
  repl_drop_probes "${dbs[0]}" "$tag"
  [ $failed -eq 0 ] || die "check: the part handler did not route account.accounts by account_id"
  if [ "$side" = test ]; then
    echo "sandbox: check passed: rows flow from test-dc1 to test-dc2, the part handler routes by key"
    return 0
  fi

  echo "sandbox: check: rpc.get_balance in proxydb answers from the shard the account hashes to"
  for k in "${!dbs[@]}"; do repl_probe_accounts "${dbs[$k]}" "$tag" "(${ids[$k]}, $((100 + k)))"; done
  for k in "${!dbs[@]}"; do
    n=$(repl_sql "$repl_root" proxydb "SELECT string_agg(amount::int::text, ',')
      FROM rpc.get_balance(${ids[$k]}::bigint)") || failed=1
    if [ "$n" != $((100 + k)) ]; then
      echo "sandbox: check: rpc.get_balance(${ids[$k]}) gave '$n', expected $((100 + k))" \
        "(${dbs[$k]})" >&2
      failed=1
    fi
  done
  for db in "${dbs[@]}"; do repl_drop_probes "$db" "$tag"; done
  [ $failed -eq 0 ] || die "check: PL/Proxy did not route rpc.get_balance to the account's shard"
  echo "sandbox: check passed: rows flow from $repl_root to $repl_leaf, PL/Proxy routes by account_id"
}
