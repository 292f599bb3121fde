-- Londiste3 replication of one accountdb shard from Prod's primary site (dc1) to its disaster-
-- recovery site (dc2), built the way Prod's DBAs build it: with the SQL functions of pgq_node
-- and londiste (what `londiste create-root/create-leaf/add-table/add-seq` send), in one
-- transaction per node. deploy/sandbox.sh runs it, first on the root, then on the leaf:
--
--   psql -v ON_ERROR_STOP=1 -v root=true  -v queue=accountdb_p000 -v shard=0 \
--        -v root_node=accountdb_p000_dc1 -v root_worker=l3_accountdb_p000_dc1 -v root_location=... \
--        -v leaf_node=accountdb_p000_dc2 -v leaf_worker=l3_accountdb_p000_dc2 -v leaf_location=... \
--        -d accountdb_p000 -f accountdb.sql                      # on prod-dc1: prints gwm= and seq=
--   psql ... -v root=false -v gwm=N -v seqs='name=value,...' -d accountdb_p000 -f accountdb.sql
--
-- Naming (one cascade per shard):
--   queue   accountdb_pNNN           the shard's database name
--   nodes   accountdb_pNNN_dc1       root, on the primary site
--           accountdb_pNNN_dc2       leaf, on the DR site, provider = the root
--   workers l3_<node>                the londiste job_name and its ini file's basename; only the
--                                    leaf's worker runs (pgqd ticks and maintains the root)
-- Every step looks first and acts only when needed, so running it again changes nothing:
-- register_location on a root and register_subscriber are not idempotent (brief, section 0.4).

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-------------------------------------------------------------------------------------------------
-- partconf: which partition this database is (Skytools layout, read by Londiste's part handler
-- on the leaf) and the hash that places a key. The hash is hashint8, the one proxydb's
-- rpc.* functions route by (RUN ON hashint8(...)): a row lands on the shard PL/Proxy calls.
-------------------------------------------------------------------------------------------------

CREATE SCHEMA IF NOT EXISTS partconf;
COMMENT ON SCHEMA partconf IS 'Partition configuration (Skytools partconf layout)';
CREATE TABLE IF NOT EXISTS partconf.conf (
  part_nr      integer NOT NULL,   -- this partition: accountdb_p000 -> 0
  max_part     integer NOT NULL,   -- partition count - 1, the hash mask (count is a power of 2)
  db_code      bigint,
  is_primary   boolean,            -- true on the primary site's copy
  max_slot     integer,
  cluster_name text                -- the PL/Proxy cluster the partition belongs to
);
CREATE OR REPLACE FUNCTION partconf.get_hash_raw(i_input bigint) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT hashint8(i_input) $$;
COMMENT ON FUNCTION partconf.get_hash_raw(bigint) IS 'Partition hash of a key: hashint8, as proxydb';
INSERT INTO partconf.conf (part_nr, max_part, db_code, is_primary, cluster_name)
  SELECT :shard, shard_count - 1, :shard, :root, 'accountdb' FROM account.shard_info
   WHERE NOT EXISTS (SELECT FROM partconf.conf);
GRANT USAGE ON SCHEMA partconf TO replicator, proxy_rpc;
GRANT SELECT ON partconf.conf TO replicator, proxy_rpc;

-------------------------------------------------------------------------------------------------
-- What the cascade carries. account.accounts goes through the `part` handler keyed by
-- account_id: the leaf keeps only the rows whose hash belongs to its partition. The trigger
-- argument and the table_attrs string are the ones `londiste add-table --handler=part
-- --handler-arg=key=account_id` writes (lowercase %xx, as the CLI's db_urlencode).
-- account.customers and ledger.entries stay out: their GENERATED ALWAYS identity columns refuse
-- the worker's INSERT (londiste 3.11 sends no OVERRIDING SYSTEM VALUE; the leaf worker stops
-- with "cannot insert a non-DEFAULT value into column customer_id").
-------------------------------------------------------------------------------------------------

CREATE TEMP TABLE repl_tables (table_name text, trigger_args text[], table_attrs text);
INSERT INTO repl_tables VALUES
  ('account.accounts', ARRAY['ev_extra3=''hash=''||partconf.get_hash_raw(account_id)'],
   'handler=part%28key%3daccount_id%29'),
  ('account.account_limits', '{}', NULL),
  ('account.shard_info', '{}', NULL),
  ('ledger.payment_orders_open', '{}', NULL),
  ('ledger.payment_orders_settled', '{}', NULL),
  ('ledger.payment_orders_other', '{}', NULL);
CREATE TEMP TABLE repl_seqs (seq_name text);
INSERT INTO repl_seqs VALUES
  ('account.account_number_seq'), ('account.accounts_account_id_seq'),
  ('ledger.statement_no_seq');

SELECT set_config('sandbox.queue', :'queue', false),
       set_config('sandbox.root_node', :'root_node', false),
       set_config('sandbox.root_worker', :'root_worker', false),
       set_config('sandbox.root_location', :'root_location', false),
       set_config('sandbox.leaf_node', :'leaf_node', false),
       set_config('sandbox.leaf_worker', :'leaf_worker', false),
       set_config('sandbox.leaf_location', :'leaf_location', false) \g /dev/null

\if :root
-------------------------------------------------------------------------------------------------
-- Root (prod-dc1): create-root, add-table, add-seq, then the leaf's location and subscription
-- (what create-leaf does on its provider). One transaction.
-------------------------------------------------------------------------------------------------
BEGIN;
DO $$
DECLARE
  q text := current_setting('sandbox.queue');
  leaf text := current_setting('sandbox.leaf_node');
  t record;
  r record;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sandbox replication ' || q));   -- one up at a time
  IF NOT EXISTS (SELECT FROM pgq_node.node_info WHERE queue_name = q) THEN
    SELECT * INTO r FROM pgq_node.register_location(q, current_setting('sandbox.root_node'),
                                                    current_setting('sandbox.root_location'), false);
    IF r.ret_code >= 300 THEN RAISE EXCEPTION 'register_location: % %', r.ret_code, r.ret_note; END IF;
    SELECT * INTO r FROM pgq_node.create_node(q, 'root', current_setting('sandbox.root_node'),
                                              current_setting('sandbox.root_worker'), NULL, NULL, NULL);
    IF r.ret_code >= 300 THEN RAISE EXCEPTION 'create_node: % %', r.ret_code, r.ret_note; END IF;
  END IF;
  FOR t IN SELECT * FROM repl_tables LOOP
    SELECT * INTO r FROM londiste.local_add_table(q, t.table_name, t.trigger_args, t.table_attrs, NULL);
    IF r.ret_code >= 300 THEN
      RAISE EXCEPTION 'local_add_table(%): % %', t.table_name, r.ret_code, r.ret_note;
    END IF;
  END LOOP;
  FOR t IN SELECT s.seq_name FROM repl_seqs s
            WHERE NOT EXISTS (SELECT FROM londiste.get_seq_list(q) l
                               WHERE l.seq_name = s.seq_name AND l.local) LOOP
    SELECT * INTO r FROM londiste.local_add_seq(q, t.seq_name);
    IF r.ret_code >= 300 THEN
      RAISE EXCEPTION 'local_add_seq(%): % %', t.seq_name, r.ret_code, r.ret_note;
    END IF;
  END LOOP;
  IF NOT EXISTS (SELECT FROM pgq_node.get_subscriber_info(q) WHERE node_name = leaf) THEN
    SELECT * INTO r FROM pgq_node.register_location(q, leaf, current_setting('sandbox.leaf_location'),
                                                    false);
    IF r.ret_code >= 300 THEN RAISE EXCEPTION 'register_location: % %', r.ret_code, r.ret_note; END IF;
    SELECT * INTO r FROM pgq_node.register_subscriber(q, leaf, current_setting('sandbox.leaf_worker'),
                                                      NULL);
    IF r.ret_code >= 300 THEN
      RAISE EXCEPTION 'register_subscriber: % %', r.ret_code, r.ret_note;
    END IF;
  END IF;
END
$$;
COMMIT;
-- For the leaf: the tick its worker starts from, and the sequence values the root published.
SELECT 'gwm=' || last_tick FROM pgq.get_consumer_info(:'queue', :'leaf_worker');
SELECT 'seq=' || seq_name || '=' || last_value FROM londiste.get_seq_list(:'queue');
\else
-------------------------------------------------------------------------------------------------
-- Leaf (prod-dc2): create-leaf (its own location, the root's members, the node at the tick the
-- root subscribed it at), the root's table and sequence registry, then add-table --expect-sync
-- (both sites were loaded with the same rows: nothing to copy) and add-seq. One transaction.
-------------------------------------------------------------------------------------------------
SELECT set_config('sandbox.gwm', :'gwm', false),
       set_config('sandbox.seqs', :'seqs', false) \g /dev/null
BEGIN;
DO $$
DECLARE
  q text := current_setting('sandbox.queue');
  leaf text := current_setting('sandbox.leaf_node');
  t record;
  r record;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sandbox replication ' || q));   -- one up at a time
  IF NOT EXISTS (SELECT FROM pgq_node.node_info WHERE queue_name = q) THEN
    PERFORM pgq_node.register_location(q, leaf, current_setting('sandbox.leaf_location'), false);
    PERFORM pgq_node.register_location(q, current_setting('sandbox.root_node'),
                                       current_setting('sandbox.root_location'), false);
    SELECT * INTO r FROM pgq_node.create_node(q, 'leaf', leaf, current_setting('sandbox.leaf_worker'),
                                              current_setting('sandbox.root_node'),
                                              current_setting('sandbox.gwm')::bigint, NULL);
    IF r.ret_code >= 300 THEN RAISE EXCEPTION 'create_node: % %', r.ret_code, r.ret_note; END IF;
  END IF;
  FOR t IN SELECT * FROM repl_tables LOOP
    IF NOT EXISTS (SELECT FROM londiste.get_table_list(q) l WHERE l.table_name = t.table_name) THEN
      SELECT * INTO r FROM londiste.global_add_table(q, t.table_name);
      IF r.ret_code >= 300 THEN
        RAISE EXCEPTION 'global_add_table(%): % %', t.table_name, r.ret_code, r.ret_note;
      END IF;
    END IF;
    SELECT * INTO r FROM londiste.local_add_table(q, t.table_name,
                                                  ARRAY['expect_sync'] || t.trigger_args,
                                                  t.table_attrs, NULL);
    IF r.ret_code >= 300 THEN
      RAISE EXCEPTION 'local_add_table(%): % %', t.table_name, r.ret_code, r.ret_note;
    END IF;
  END LOOP;
  FOR t IN SELECT split_part(s, '=', 1) AS seq_name, split_part(s, '=', 2)::bigint AS last_value
             FROM unnest(string_to_array(current_setting('sandbox.seqs'), ',')) AS s LOOP
    IF NOT EXISTS (SELECT FROM londiste.get_seq_list(q) l WHERE l.seq_name = t.seq_name AND l.local)
    THEN
      SELECT * INTO r FROM londiste.global_update_seq(q, t.seq_name, t.last_value);
      IF r.ret_code >= 300 THEN
        RAISE EXCEPTION 'global_update_seq(%): % %', t.seq_name, r.ret_code, r.ret_note;
      END IF;
      SELECT * INTO r FROM londiste.local_add_seq(q, t.seq_name);
      IF r.ret_code >= 300 THEN
        RAISE EXCEPTION 'local_add_seq(%): % %', t.seq_name, r.ret_code, r.ret_note;
      END IF;
    END IF;
  END LOOP;
END
$$;
COMMIT;
\endif
