-- Cluster-wide roles of the Prod (and INT) PostgreSQL instances.
--
-- Run once per instance, as superuser, before databases.sql:
--   psql -v ON_ERROR_STOP=1 -v env=prod -f roles.sql
-- `env` (prod | int) only changes the passwords: INT keeps the same roles as Prod but its own
-- secrets, which is where pgtwin later takes Test password hashes from.
--
-- Conventions of this shop:
--   * group roles (NOLOGIN) carry privileges; login roles only collect memberships;
--   * every application has its own login role with a connection limit and statement_timeout;
--   * <db>_owner roles own structures and never log in;
--   * DBAs get their powers through the `dba` group, granted WITH ADMIN OPTION to the team lead.

\if :{?env}
\else
  \set env prod
\endif

-- Passwords differ per environment: '<role>/<env>/<suffix>'.
\set pw_admin_ops      'admin_ops/'      :env '/Lk2w9'
\set pw_dba_jane       'dba_jane/'       :env '/f8Pq1'
\set pw_dba_tom        'dba_tom/'        :env '/x3Rt6'
\set pw_replicator     'replicator/'     :env '/M0nd4y'
\set pw_account_app    'account_app/'    :env '/7Yq2c'
\set pw_account_batch  'account_batch/'  :env '/Zz91k'
\set pw_cli_app        'cli_app/'        :env '/p4ssC'
\set pw_conf_reader    'conf_reader/'    :env '/r3adR'
\set pw_proxy_rpc      'proxy_rpc/'      :env '/Rp6c0'
\set pw_reporting      'reporting/'      :env '/Bi2024'
\set pw_monitoring     'monitoring/'     :env '/Nag10s'

-------------------------------------------------------------------------------------------------
-- Group roles
-------------------------------------------------------------------------------------------------

-- The DBA team: may create databases and roles, never superuser day to day.
CREATE ROLE dba NOLOGIN CREATEDB CREATEROLE;
COMMENT ON ROLE dba IS 'DBA team; membership gives CREATEDB/CREATEROLE through SET ROLE';

-- Owners of the structures of each database family.
CREATE ROLE accountdb_owner NOLOGIN;
CREATE ROLE clidb_owner NOLOGIN;
CREATE ROLE confdb_owner NOLOGIN;
CREATE ROLE proxydb_owner NOLOGIN;
COMMENT ON ROLE accountdb_owner IS 'Owns every object of the accountdb shards';

-- Access levels to the account data. account_rw includes account_ro.
CREATE ROLE account_ro NOLOGIN;
CREATE ROLE account_rw NOLOGIN IN ROLE account_ro;
COMMENT ON ROLE account_ro IS 'Read access to account and ledger data';

-- Read access to configuration (confdb, clidb classificators), granted to every application.
CREATE ROLE conf_ro NOLOGIN;

-- PgQ roles. Installing pgq (as an extension or as plain SQL) creates them when missing; we
-- create them ourselves so the memberships below exist on every instance, also those without
-- pgq, and only when they are not there yet (an instance may have had pgq installed first).
SELECT format('CREATE ROLE %I NOLOGIN', r)
  FROM unnest(ARRAY['pgq_reader', 'pgq_writer', 'pgq_admin']) AS r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec
GRANT pgq_reader, pgq_writer TO pgq_admin;

-------------------------------------------------------------------------------------------------
-- Login roles: people
-------------------------------------------------------------------------------------------------

CREATE ROLE admin_ops LOGIN CREATEDB CREATEROLE PASSWORD :'pw_admin_ops';
COMMENT ON ROLE admin_ops IS 'DBA team lead; hands out dba membership';
GRANT dba TO admin_ops WITH ADMIN OPTION;

CREATE ROLE dba_jane LOGIN PASSWORD :'pw_dba_jane' IN ROLE dba;
CREATE ROLE dba_tom LOGIN PASSWORD :'pw_dba_tom' VALID UNTIL '2031-01-01 00:00:00+00' IN ROLE dba;
ALTER ROLE dba_jane SET log_statement = 'ddl';
ALTER ROLE dba_tom SET log_statement = 'ddl';

-------------------------------------------------------------------------------------------------
-- Login roles: services
-------------------------------------------------------------------------------------------------

-- Londiste workers and pgqd connect as replicator.
CREATE ROLE replicator LOGIN REPLICATION PASSWORD :'pw_replicator' IN ROLE pgq_admin;
COMMENT ON ROLE replicator IS 'Londiste3 workers, pgqd and streaming replicas';
ALTER ROLE replicator SET statement_timeout = 0;
ALTER ROLE replicator SET synchronous_commit = 'off';

-- The account service. Writes through api.* functions and directly to a few tables.
CREATE ROLE account_app LOGIN CONNECTION LIMIT 200 PASSWORD :'pw_account_app'
  IN ROLE account_rw, conf_ro, pgq_writer;
ALTER ROLE account_app SET statement_timeout = '5s';
ALTER ROLE account_app SET idle_in_transaction_session_timeout = '60s';
ALTER ROLE account_app SET application_name = 'account-service';

-- Night batches (interest, statements): longer statements, no connection limit.
CREATE ROLE account_batch LOGIN PASSWORD :'pw_account_batch' IN ROLE account_rw;
ALTER ROLE account_batch SET statement_timeout = '30min';
ALTER ROLE account_batch SET work_mem = '256MB';

CREATE ROLE cli_app LOGIN CONNECTION LIMIT 50 PASSWORD :'pw_cli_app' IN ROLE conf_ro;
ALTER ROLE cli_app SET statement_timeout = '10s';

CREATE ROLE conf_reader LOGIN PASSWORD :'pw_conf_reader' IN ROLE conf_ro;
ALTER ROLE conf_reader SET default_transaction_read_only = on;

-- PL/Proxy connects to the shards as proxy_rpc.
CREATE ROLE proxy_rpc LOGIN CONNECTION LIMIT 400 PASSWORD :'pw_proxy_rpc';
COMMENT ON ROLE proxy_rpc IS 'PL/Proxy RPC calls from proxydb to the accountdb shards';

-- BI: read-only, no inheritance of anything but what it is explicitly granted.
CREATE ROLE reporting LOGIN NOINHERIT PASSWORD :'pw_reporting' IN ROLE account_ro;
ALTER ROLE reporting SET default_transaction_read_only = on;
ALTER ROLE reporting SET search_path = account, ledger, public;

CREATE ROLE monitoring LOGIN CONNECTION LIMIT 5 PASSWORD :'pw_monitoring' IN ROLE pg_monitor;
ALTER ROLE monitoring SET statement_timeout = '2s';

-- A role whose password was never set (certificate auth in real life).
CREATE ROLE support_cert LOGIN CONNECTION LIMIT 3;
COMMENT ON ROLE support_cert IS 'Support desk, authenticated by client certificate';
