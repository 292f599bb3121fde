-- Databases of the Prod (and INT) instances, their settings and per-database role settings.
--
-- Run once per instance, as superuser, after roles.sql. Every other file in this directory is
-- named after the database (or the sharded database family) it builds.
--
-- accountdb is sharded by account_id: Prod has 4 shards here (256 in real life), p000 … p003,
-- all with the identical structure from accountdb.sql.

-------------------------------------------------------------------------------------------------
-- accountdb shards
-------------------------------------------------------------------------------------------------

CREATE DATABASE accountdb_p000 OWNER accountdb_owner;
CREATE DATABASE accountdb_p001 OWNER accountdb_owner;
CREATE DATABASE accountdb_p002 OWNER accountdb_owner;
CREATE DATABASE accountdb_p003 OWNER accountdb_owner;

COMMENT ON DATABASE accountdb_p000 IS 'Accounts and ledger, shard 0 of 4';
COMMENT ON DATABASE accountdb_p001 IS 'Accounts and ledger, shard 1 of 4';
COMMENT ON DATABASE accountdb_p002 IS 'Accounts and ledger, shard 2 of 4';
COMMENT ON DATABASE accountdb_p003 IS 'Accounts and ledger, shard 3 of 4';

ALTER DATABASE accountdb_p000 SET search_path = account, ledger, public;
ALTER DATABASE accountdb_p001 SET search_path = account, ledger, public;
ALTER DATABASE accountdb_p002 SET search_path = account, ledger, public;
ALTER DATABASE accountdb_p003 SET search_path = account, ledger, public;
ALTER DATABASE accountdb_p000 SET timezone = 'UTC';
ALTER DATABASE accountdb_p001 SET timezone = 'UTC';
ALTER DATABASE accountdb_p002 SET timezone = 'UTC';
ALTER DATABASE accountdb_p003 SET timezone = 'UTC';

-- Only the roles that work on the shards may connect.
REVOKE CONNECT, TEMPORARY ON DATABASE accountdb_p000 FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE accountdb_p001 FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE accountdb_p002 FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE accountdb_p003 FROM PUBLIC;
GRANT CONNECT ON DATABASE accountdb_p000, accountdb_p001, accountdb_p002, accountdb_p003
  TO account_ro, proxy_rpc, replicator, monitoring, dba;

-- The batch jobs sort large ledgers; the RPC role must not wait on locks.
ALTER ROLE account_batch IN DATABASE accountdb_p000 SET maintenance_work_mem = '1GB';
ALTER ROLE account_batch IN DATABASE accountdb_p001 SET maintenance_work_mem = '1GB';
ALTER ROLE account_batch IN DATABASE accountdb_p002 SET maintenance_work_mem = '1GB';
ALTER ROLE account_batch IN DATABASE accountdb_p003 SET maintenance_work_mem = '1GB';
ALTER ROLE proxy_rpc IN DATABASE accountdb_p000 SET lock_timeout = '1s';
ALTER ROLE proxy_rpc IN DATABASE accountdb_p001 SET lock_timeout = '1s';
ALTER ROLE proxy_rpc IN DATABASE accountdb_p002 SET lock_timeout = '1s';
ALTER ROLE proxy_rpc IN DATABASE accountdb_p003 SET lock_timeout = '1s';

-------------------------------------------------------------------------------------------------
-- clidb: customer-line classificators. An old database: SQL_ASCII, C collation.
-------------------------------------------------------------------------------------------------

CREATE DATABASE clidb OWNER clidb_owner TEMPLATE template0
  ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C';
COMMENT ON DATABASE clidb IS 'Classificators (countries, currencies) and CLI sessions';
ALTER DATABASE clidb SET datestyle = 'ISO, DMY';
ALTER ROLE reporting IN DATABASE clidb SET work_mem = '64MB';

-------------------------------------------------------------------------------------------------
-- confdb: configuration applications read at start-up. Copied from INT into Test.
-------------------------------------------------------------------------------------------------

CREATE DATABASE confdb OWNER confdb_owner CONNECTION LIMIT 100;
COMMENT ON DATABASE confdb IS 'Application configuration and feature flags';
ALTER DATABASE confdb SET default_transaction_isolation = 'repeatable read';
ALTER ROLE cli_app IN DATABASE confdb SET statement_timeout = '1s';

-------------------------------------------------------------------------------------------------
-- proxydb: PL/Proxy entry point in front of the accountdb shards.
-------------------------------------------------------------------------------------------------

CREATE DATABASE proxydb OWNER proxydb_owner;
COMMENT ON DATABASE proxydb IS 'PL/Proxy RPC layer over accountdb';
ALTER DATABASE proxydb SET statement_timeout = '10s';
ALTER ROLE account_app IN DATABASE proxydb SET statement_timeout = '3s';
