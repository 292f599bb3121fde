-- The `accountdb` PL/Proxy cluster of proxydb (deploy/sandbox/prod/proxydb.sql calls it): one
-- partition per accountdb shard, in shard order, on the site's own instance. A SQL/MED server,
-- the form PL/Proxy looks for first. deploy/sandbox.sh runs it on each Prod site:
--
--   psql -v ON_ERROR_STOP=1 -v p0='host=... port=... dbname=accountdb_p000' -v p1=... -v p2=... \
--        -v p3=... -d proxydb -f proxydb.sql
--
-- PL/Proxy connects as proxy_rpc (the user mapping) over the instance's unix socket, where the
-- sandbox trusts every role: no password is stored in the catalog. Creates the server when it is
-- missing, else sets its partitions; running it again changes nothing.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

SELECT NOT EXISTS (SELECT FROM pg_foreign_server WHERE srvname = 'accountdb') AS new_server,
       NOT coalesce((SELECT srvoptions @> ARRAY['p0=' || :'p0', 'p1=' || :'p1', 'p2=' || :'p2',
                                                'p3=' || :'p3']
                       FROM pg_foreign_server WHERE srvname = 'accountdb'), false) AS moved \gset
\if :new_server
BEGIN;
CREATE SERVER accountdb FOREIGN DATA WRAPPER plproxy OPTIONS (
  connection_lifetime '1800',
  p0 :'p0', p1 :'p1', p2 :'p2', p3 :'p3');
COMMENT ON SERVER accountdb IS 'PL/Proxy cluster: the accountdb shards p000..p003 of this site';
CREATE USER MAPPING FOR PUBLIC SERVER accountdb OPTIONS (user 'proxy_rpc');
GRANT USAGE ON FOREIGN SERVER accountdb TO proxydb_owner, account_app;
COMMIT;
\elif :moved
ALTER SERVER accountdb OPTIONS (SET p0 :'p0', SET p1 :'p1', SET p2 :'p2', SET p3 :'p3');
\endif
