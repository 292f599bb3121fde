-- Structure of proxydb: the PL/Proxy RPC layer applications call instead of the accountdb
-- shards. Each rpc function runs its api.* twin on the shard that owns the account.
--
-- Run as superuser in proxydb after roles.sql and databases.sql:
--   psql -v ON_ERROR_STOP=1 -d proxydb -f proxydb.sql
--
-- The `accountdb` cluster definition (one partition per shard) is not created here yet: it
-- depends on where the shards run, so it belongs to the environment, not to the structure.

-- plproxy is an untrusted language: functions are created by the superuser, then handed over.
CREATE EXTENSION plproxy;

CREATE SCHEMA rpc AUTHORIZATION proxydb_owner;
COMMENT ON SCHEMA rpc IS 'Public RPC interface; every function proxies to accountdb';

-- Shards are chosen by account_id (hashint8) or, for new accounts, by customer_id.
CREATE FUNCTION rpc.open_account(p_customer_id bigint, p_currency text) RETURNS bigint
  LANGUAGE plproxy
AS $$
  CLUSTER 'accountdb';
  RUN ON hashint8(p_customer_id);
  TARGET api.open_account;
$$;

CREATE FUNCTION rpc.get_balance(p_account_id bigint,
                                OUT amount numeric, OUT currency text)
  RETURNS SETOF record
  LANGUAGE plproxy
AS $$
  CLUSTER 'accountdb';
  RUN ON hashint8(p_account_id);
  TARGET api.get_balance;
$$;

-- IBANs are not shard keys: ask every shard, at most one answers.
CREATE FUNCTION rpc.get_balance(p_iban text, OUT amount numeric, OUT currency text)
  RETURNS SETOF record
  LANGUAGE plproxy
AS $$
  CLUSTER 'accountdb';
  RUN ON ALL;
  TARGET api.get_balance;
$$;
COMMENT ON FUNCTION rpc.get_balance(text) IS 'Fan-out to every shard; slow, use account_id';

ALTER FUNCTION rpc.open_account(bigint, text) OWNER TO proxydb_owner;
ALTER FUNCTION rpc.get_balance(bigint) OWNER TO proxydb_owner;
ALTER FUNCTION rpc.get_balance(text) OWNER TO proxydb_owner;

SET ROLE proxydb_owner;

-- Which shard answered, for the router's own statistics.
CREATE TABLE rpc.call_stats (
  function_name text NOT NULL,
  shard_no      smallint NOT NULL CHECK (shard_no >= 0),
  calls         bigint NOT NULL DEFAULT 0,
  last_call_at  timestamptz,
  PRIMARY KEY (function_name, shard_no)
) WITH (fillfactor = 70);

GRANT USAGE ON SCHEMA rpc TO account_app;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA rpc FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA rpc TO account_app;
GRANT SELECT ON rpc.call_stats TO monitoring;

RESET ROLE;
