-- Structure of every accountdb shard (accountdb_p000 … accountdb_p003).
--
-- Run as superuser in each shard after roles.sql and databases.sql:
--   psql -v ON_ERROR_STOP=1 -v shard=0 -d accountdb_p000 -f accountdb.sql
-- The structure is identical on every shard; `shard` only decides which rows a shard holds.
--
-- Schemas:
--   account  customers, accounts, limits
--   ledger   booked entries (range-partitioned by month) and payment orders (list-partitioned)
--   audit    row-change log written by triggers
--   api      functions the PL/Proxy layer in proxydb calls

\if :{?shard}
\else
  \set shard 0
\endif

-------------------------------------------------------------------------------------------------
-- Extensions (superuser only). PgQ + Londiste carry the replication to the DR site and to the
-- reporting replicas; btree_gist backs the exclusion constraint on account limits.
-------------------------------------------------------------------------------------------------

CREATE EXTENSION pgq;
CREATE EXTENSION pgq_node;
CREATE EXTENSION londiste;
CREATE EXTENSION btree_gist;

-- Everything below belongs to accountdb_owner.
SET ROLE accountdb_owner;

CREATE SCHEMA account;
CREATE SCHEMA ledger;
CREATE SCHEMA api;
COMMENT ON SCHEMA account IS 'Customers and their accounts';
COMMENT ON SCHEMA ledger IS 'Double-entry ledger; append only';
COMMENT ON SCHEMA api IS 'Stable entry points called over PL/Proxy';

-------------------------------------------------------------------------------------------------
-- Types
-------------------------------------------------------------------------------------------------

CREATE TYPE account.account_status AS ENUM ('pending', 'active', 'frozen', 'closed');
COMMENT ON TYPE account.account_status IS 'Life cycle of an account';

CREATE TYPE ledger.direction AS ENUM ('debit', 'credit');

CREATE DOMAIN account.currency_code AS character(3)
  CONSTRAINT currency_code_format CHECK (VALUE ~ '^[A-Z]{3}$');
COMMENT ON DOMAIN account.currency_code IS 'ISO 4217 alphabetic code';

CREATE DOMAIN ledger.amount AS numeric(18, 2) NOT NULL DEFAULT 0
  CONSTRAINT amount_not_negative CHECK (VALUE >= 0);

CREATE TYPE account.money_amount AS (
  amount   numeric(18, 2),
  currency account.currency_code
);
COMMENT ON TYPE account.money_amount IS 'An amount with its currency, returned by api functions';

CREATE TYPE account.amount_range AS RANGE (subtype = numeric);

-------------------------------------------------------------------------------------------------
-- Sequences
-------------------------------------------------------------------------------------------------

-- Account numbers are global: each shard draws from its own block, 10^9 apart.
CREATE SEQUENCE account.account_number_seq
  AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE 999999999 START WITH 100000 CACHE 20;
COMMENT ON SEQUENCE account.account_number_seq IS 'Account numbers within the shard block';

CREATE SEQUENCE ledger.statement_no_seq INCREMENT BY 10 CYCLE;

-------------------------------------------------------------------------------------------------
-- account.customers
-------------------------------------------------------------------------------------------------

CREATE TABLE account.customers (
  customer_id  bigint GENERATED ALWAYS AS IDENTITY (START WITH 1000 CACHE 10),
  email        text NOT NULL,
  email_domain text GENERATED ALWAYS AS (lower(split_part(email, '@', 2))) STORED,
  first_name   text NOT NULL,
  last_name    text NOT NULL COLLATE "C",
  country      character(2) NOT NULL,
  phone        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz,
  CONSTRAINT customers_pkey PRIMARY KEY (customer_id),
  CONSTRAINT customers_email_key UNIQUE (email),
  CONSTRAINT customers_country_check CHECK (country ~ '^[A-Z]{2}$')
);
COMMENT ON TABLE account.customers IS 'One row per customer (natural person or company)';
COMMENT ON COLUMN account.customers.email_domain IS 'Derived from email; used by fraud rules';
COMMENT ON CONSTRAINT customers_email_key ON account.customers IS 'Login name';

-- Search by name, case-insensitive (support desk).
CREATE INDEX customers_last_name_lower_idx ON account.customers (lower(last_name), first_name);
COMMENT ON INDEX account.customers_last_name_lower_idx IS 'Support desk name search';

-------------------------------------------------------------------------------------------------
-- account.accounts
-------------------------------------------------------------------------------------------------

CREATE TABLE account.accounts (
  account_id   bigserial,
  customer_id  bigint NOT NULL,
  account_no   bigint NOT NULL DEFAULT nextval('account.account_number_seq'),
  iban         text,
  currency     account.currency_code NOT NULL DEFAULT 'EUR',
  status       account.account_status NOT NULL DEFAULT 'pending',
  balance      numeric(18, 2) NOT NULL DEFAULT 0,
  credit_limit numeric(18, 2) NOT NULL DEFAULT 0,
  opened_at    timestamptz NOT NULL DEFAULT now(),
  closed_at    timestamptz,
  CONSTRAINT accounts_pkey PRIMARY KEY (account_id),
  CONSTRAINT accounts_account_no_key UNIQUE (account_no),
  CONSTRAINT accounts_customer_fkey FOREIGN KEY (customer_id)
    REFERENCES account.customers (customer_id) ON UPDATE CASCADE ON DELETE RESTRICT,
  CONSTRAINT accounts_balance_check CHECK (balance >= -credit_limit),
  CONSTRAINT accounts_closed_check CHECK (closed_at IS NULL OR closed_at >= opened_at)
) WITH (fillfactor = 80);
COMMENT ON TABLE account.accounts IS 'Accounts; balance is updated in place, hence fillfactor 80';
COMMENT ON COLUMN account.accounts.balance IS 'Booked balance; ledger.entries is the truth';

-- Accounts that are not closed, by customer: the hot path of the mobile app.
CREATE INDEX accounts_customer_open_idx ON account.accounts (customer_id)
  WHERE status <> 'closed';
-- IBAN is optional but unique when present.
CREATE UNIQUE INDEX accounts_iban_key ON account.accounts (iban) WHERE iban IS NOT NULL;
CREATE INDEX accounts_status_opened_idx ON account.accounts (status, opened_at DESC);

-------------------------------------------------------------------------------------------------
-- account.account_limits: at most one limit per account at any time (exclusion constraint)
-------------------------------------------------------------------------------------------------

CREATE TABLE account.account_limits (
  limit_id     integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES account.accounts (account_id) ON DELETE CASCADE,
  valid_during tstzrange NOT NULL,
  daily_limit  numeric(18, 2) NOT NULL CHECK (daily_limit > 0),
  amount_band  account.amount_range,
  CONSTRAINT account_limits_no_overlap
    EXCLUDE USING gist (account_id WITH =, valid_during WITH &&)
) WITH (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.05);
COMMENT ON CONSTRAINT account_limits_no_overlap ON account.account_limits
  IS 'Limits of one account never overlap in time';

-------------------------------------------------------------------------------------------------
-- ledger.entries: range-partitioned by booking time, one partition per month plus a default
-------------------------------------------------------------------------------------------------

CREATE TABLE ledger.entries (
  entry_id   bigint GENERATED ALWAYS AS IDENTITY,
  account_id bigint NOT NULL,
  direction  ledger.direction NOT NULL,
  amount     ledger.amount,
  currency   account.currency_code NOT NULL,
  booked_at  timestamptz NOT NULL DEFAULT now(),
  reference  text,
  CONSTRAINT entries_pkey PRIMARY KEY (entry_id, booked_at),
  CONSTRAINT entries_reference_check CHECK (length(reference) <= 140)
) PARTITION BY RANGE (booked_at);
COMMENT ON TABLE ledger.entries IS 'Booked entries; partitions are added monthly by a cron job';

CREATE TABLE ledger.entries_2025_01 PARTITION OF ledger.entries
  FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2025-02-01 00:00:00+00');
CREATE TABLE ledger.entries_2025_02 PARTITION OF ledger.entries
  FOR VALUES FROM ('2025-02-01 00:00:00+00') TO ('2025-03-01 00:00:00+00');
CREATE TABLE ledger.entries_2025_03 PARTITION OF ledger.entries
  FOR VALUES FROM ('2025-03-01 00:00:00+00') TO ('2025-04-01 00:00:00+00');
CREATE TABLE ledger.entries_default PARTITION OF ledger.entries DEFAULT;
COMMENT ON TABLE ledger.entries_default IS 'Catches bookings outside the monthly partitions';

CREATE INDEX entries_account_booked_idx ON ledger.entries (account_id, booked_at DESC);

-------------------------------------------------------------------------------------------------
-- ledger.payment_orders: list-partitioned by state; settled orders live apart
-------------------------------------------------------------------------------------------------

CREATE TABLE ledger.payment_orders (
  order_id     uuid NOT NULL,
  state        text NOT NULL,
  from_account bigint NOT NULL,
  to_iban      text NOT NULL,
  amount       ledger.amount,
  currency     account.currency_code NOT NULL,
  statement_no integer NOT NULL DEFAULT nextval('ledger.statement_no_seq'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT payment_orders_pkey PRIMARY KEY (order_id, state)
) PARTITION BY LIST (state);

CREATE TABLE ledger.payment_orders_open PARTITION OF ledger.payment_orders
  FOR VALUES IN ('new', 'authorised', 'sent');
CREATE TABLE ledger.payment_orders_settled PARTITION OF ledger.payment_orders
  FOR VALUES IN ('settled') WITH (fillfactor = 100);
CREATE TABLE ledger.payment_orders_other PARTITION OF ledger.payment_orders DEFAULT;

CREATE INDEX payment_orders_from_account_idx ON ledger.payment_orders (from_account, created_at);

-------------------------------------------------------------------------------------------------
-- audit.changes: a row per change of an audited table (serial id, partial index for the shipper)
-------------------------------------------------------------------------------------------------

RESET ROLE;
-- The audit schema belongs to the DBAs, not to the application owner.
CREATE SCHEMA audit AUTHORIZATION dba;
COMMENT ON SCHEMA audit IS 'Change log, shipped nightly to the archive';
SET ROLE dba;

CREATE TABLE audit.changes (
  change_id  serial PRIMARY KEY,
  table_name text NOT NULL,
  operation  character(1) NOT NULL CHECK (operation IN ('I', 'U', 'D')),
  row_data   jsonb,
  changed_by name NOT NULL DEFAULT current_user,
  changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  shipped    boolean NOT NULL DEFAULT false
) WITH (autovacuum_enabled = true, fillfactor = 100);
CREATE INDEX changes_unshipped_idx ON audit.changes (change_id) WHERE NOT shipped;
COMMENT ON COLUMN audit.changes.shipped IS 'Set by the archive shipper once copied';

-- Generic row-change logger, used by the audit triggers on any table.
CREATE FUNCTION audit.log_change() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, audit
AS $$
BEGIN
  INSERT INTO audit.changes (table_name, operation, row_data)
  VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, left(TG_OP, 1),
          CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END);
  RETURN NULL;
END;
$$;
COMMENT ON FUNCTION audit.log_change() IS 'AFTER ROW trigger: copies the row into audit.changes';
GRANT USAGE ON SCHEMA audit TO accountdb_owner;
GRANT EXECUTE ON FUNCTION audit.log_change() TO accountdb_owner;

RESET ROLE;
SET ROLE accountdb_owner;

-------------------------------------------------------------------------------------------------
-- Trigger functions and triggers
-------------------------------------------------------------------------------------------------

CREATE FUNCTION account.touch_updated_at() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE FUNCTION account.forbid_reopen() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  IF OLD.status = 'closed' AND NEW.status <> 'closed' THEN
    RAISE EXCEPTION 'account % is closed and cannot be reopened', OLD.account_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

-- Kept from the 2019 migration to the new core banking system; disabled since the cut-over.
CREATE FUNCTION account.legacy_sync() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM pg_notify('legacy_sync', NEW.account_id::text);
  RETURN NEW;
END;
$$;

CREATE TRIGGER customers_touch_updated_at
  BEFORE UPDATE ON account.customers
  FOR EACH ROW EXECUTE FUNCTION account.touch_updated_at();

CREATE TRIGGER accounts_forbid_reopen
  BEFORE UPDATE OF status ON account.accounts
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION account.forbid_reopen();
COMMENT ON TRIGGER accounts_forbid_reopen ON account.accounts IS 'Closed is final';

CREATE TRIGGER accounts_audit
  AFTER INSERT OR UPDATE OR DELETE ON account.accounts
  FOR EACH ROW EXECUTE FUNCTION audit.log_change();

CREATE TRIGGER accounts_legacy_sync
  AFTER INSERT OR UPDATE ON account.accounts
  FOR EACH ROW EXECUTE FUNCTION account.legacy_sync();
ALTER TABLE account.accounts DISABLE TRIGGER accounts_legacy_sync;

-- On the partitioned table: every partition gets it.
CREATE TRIGGER entries_audit
  AFTER INSERT ON ledger.entries
  FOR EACH ROW EXECUTE FUNCTION audit.log_change();

-------------------------------------------------------------------------------------------------
-- Functions, overloads, a procedure and an aggregate
-------------------------------------------------------------------------------------------------

-- Balance of an account in its own currency.
CREATE FUNCTION account.get_balance(p_account_id bigint) RETURNS numeric
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$
  SELECT balance FROM account.accounts WHERE account_id = p_account_id
$$;
COMMENT ON FUNCTION account.get_balance(bigint) IS 'Booked balance in the account currency';

-- Overload: balance converted to another currency at the given rate.
CREATE FUNCTION account.get_balance(p_account_id bigint, p_currency text, p_rate numeric)
  RETURNS account.money_amount
  LANGUAGE plpgsql STABLE
AS $$
DECLARE
  v_balance numeric;
BEGIN
  SELECT balance INTO v_balance FROM account.accounts WHERE account_id = p_account_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'account % not found', p_account_id USING ERRCODE = 'no_data_found';
  END IF;
  RETURN ROW(round(v_balance * p_rate, 2), p_currency)::account.money_amount;
END;
$$;
COMMENT ON FUNCTION account.get_balance(bigint, text, numeric) IS 'Balance converted at p_rate';

-- Net movement: credits add, debits subtract. State function of ledger.net_amount.
CREATE FUNCTION ledger.net_amount_step(p_state numeric, p_direction ledger.direction,
                                       p_amount numeric)
  RETURNS numeric
  LANGUAGE sql IMMUTABLE
AS $$
  SELECT p_state + CASE p_direction WHEN 'credit' THEN p_amount ELSE -p_amount END
$$;

CREATE AGGREGATE ledger.net_amount(ledger.direction, numeric) (
  SFUNC = ledger.net_amount_step,
  STYPE = numeric,
  INITCOND = '0'
);
COMMENT ON AGGREGATE ledger.net_amount(ledger.direction, numeric)
  IS 'Sum of credits minus debits';

-- Entry points for PL/Proxy (same signatures as the proxydb functions).
CREATE FUNCTION api.open_account(p_customer_id bigint, p_currency text)
  RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, account
AS $$
DECLARE
  v_account_id bigint;
BEGIN
  INSERT INTO account.accounts (customer_id, currency, status)
  VALUES (p_customer_id, p_currency, 'active')
  RETURNING account_id INTO v_account_id;
  RETURN v_account_id;
END;
$$;

CREATE FUNCTION api.get_balance(p_account_id bigint)
  RETURNS SETOF account.money_amount
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, account
  ROWS 1
AS $$
  SELECT ROW(balance, currency)::account.money_amount
    FROM account.accounts WHERE account_id = p_account_id
$$;

CREATE FUNCTION api.get_balance(p_iban text)
  RETURNS SETOF account.money_amount
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, account
AS $$
  SELECT ROW(balance, currency)::account.money_amount
    FROM account.accounts WHERE iban = p_iban
$$;

-- Nightly job: recompute balances of one booking day from the ledger.
CREATE PROCEDURE ledger.close_day(p_day date)
  LANGUAGE plpgsql
AS $$
BEGIN
  UPDATE account.accounts a
     SET balance = a.balance + d.net
    FROM (SELECT account_id, ledger.net_amount(direction, amount) AS net
            FROM ledger.entries
           WHERE booked_at >= p_day AND booked_at < p_day + 1
           GROUP BY account_id) d
   WHERE a.account_id = d.account_id;
  COMMIT;
END;
$$;
COMMENT ON PROCEDURE ledger.close_day(date) IS 'Run by cron at 00:15 UTC for the previous day';

-------------------------------------------------------------------------------------------------
-- Views and materialized views
-------------------------------------------------------------------------------------------------

CREATE VIEW account.active_accounts AS
  SELECT a.account_id, a.account_no, a.iban, a.currency, a.balance, c.customer_id, c.country
    FROM account.accounts a
    JOIN account.customers c USING (customer_id)
   WHERE a.status = 'active';
COMMENT ON VIEW account.active_accounts IS 'Accounts customers can use right now';

-- A view on the view: exposure per country, for the risk team.
CREATE VIEW account.country_exposure WITH (security_barrier = true) AS
  SELECT country, currency, count(*) AS accounts, sum(balance) AS total_balance
    FROM account.active_accounts
   GROUP BY country, currency;

CREATE MATERIALIZED VIEW ledger.daily_turnover AS
  SELECT date_trunc('day', booked_at AT TIME ZONE 'UTC')::date AS day,
         currency,
         ledger.net_amount(direction, amount) AS net,
         count(*) AS entries
    FROM ledger.entries
   GROUP BY 1, 2
  WITH DATA;
CREATE UNIQUE INDEX daily_turnover_day_currency_key ON ledger.daily_turnover (day, currency);
COMMENT ON MATERIALIZED VIEW ledger.daily_turnover IS 'Refreshed concurrently every 10 minutes';

-------------------------------------------------------------------------------------------------
-- Privileges
-------------------------------------------------------------------------------------------------

GRANT USAGE ON SCHEMA account, ledger TO account_ro;
GRANT USAGE ON SCHEMA api TO account_rw, proxy_rpc;

GRANT SELECT ON ALL TABLES IN SCHEMA account TO account_ro;
GRANT SELECT ON ledger.entries, ledger.payment_orders, ledger.daily_turnover TO account_ro;
GRANT INSERT, UPDATE ON account.accounts, account.account_limits TO account_rw;
GRANT INSERT ON ledger.entries, ledger.payment_orders TO account_rw;
GRANT UPDATE (state) ON ledger.payment_orders TO account_rw;
GRANT USAGE, SELECT ON SEQUENCE account.account_number_seq, ledger.statement_no_seq TO account_rw;
GRANT USAGE ON SEQUENCE account.accounts_account_id_seq TO account_rw;

-- Support sees contact data of customers but not their accounts.
GRANT USAGE ON SCHEMA account TO support_cert;
GRANT SELECT (customer_id, first_name, last_name, email, phone) ON account.customers
  TO support_cert;
GRANT UPDATE (phone) ON account.customers TO support_cert;

-- API functions are the only way PL/Proxy writes.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA api FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.open_account(bigint, text) TO proxy_rpc;
GRANT EXECUTE ON FUNCTION api.get_balance(bigint), api.get_balance(text) TO proxy_rpc, account_ro;
GRANT EXECUTE ON PROCEDURE ledger.close_day(date) TO account_batch;

RESET ROLE;

-- Londiste workers read and write every replicated table.
GRANT USAGE ON SCHEMA account, ledger TO replicator;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA account, ledger
  TO replicator;

-------------------------------------------------------------------------------------------------
-- Configuration rows every shard carries (no customer data in the sandbox)
-------------------------------------------------------------------------------------------------

SET ROLE accountdb_owner;
CREATE TABLE account.shard_info (
  shard_no     integer PRIMARY KEY CHECK (shard_no BETWEEN 0 AND 255),
  shard_count  integer NOT NULL CHECK (shard_count > 0),
  account_base bigint NOT NULL
);
COMMENT ON TABLE account.shard_info IS 'Which shard this database is; read by api functions';
INSERT INTO account.shard_info VALUES (:shard, 4, :shard::bigint * 1000000000);
GRANT SELECT ON account.shard_info TO account_ro, proxy_rpc;
RESET ROLE;
