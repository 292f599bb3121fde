-- Structure of clidb: classificators every service reads (countries, currencies) and the CLI
-- session log. An old database (SQL_ASCII, C collation, table inheritance instead of
-- partitioning), kept as it is in Prod.
--
-- Run as superuser in clidb after roles.sql and databases.sql:
--   psql -v ON_ERROR_STOP=1 -d clidb -f clidb.sql

SET ROLE clidb_owner;

CREATE SCHEMA infodb_classificator;
CREATE SCHEMA cli;
COMMENT ON SCHEMA infodb_classificator IS 'Reference data, maintained by the product team';

-------------------------------------------------------------------------------------------------
-- Classificators
-------------------------------------------------------------------------------------------------

CREATE DOMAIN infodb_classificator.currency AS character(3) NOT NULL;

CREATE TABLE infodb_classificator.currencies (
  currency_code  infodb_classificator.currency PRIMARY KEY,
  currency_name  character varying(64) NOT NULL,
  minor_units    smallint NOT NULL DEFAULT 2 CHECK (minor_units BETWEEN 0 AND 4),
  is_active      boolean NOT NULL DEFAULT true
);

CREATE TABLE infodb_classificator.countries (
  country_code        character(2) NOT NULL,
  country_name        character varying(64) NOT NULL,
  country_code_iso3   character(3) NOT NULL,
  default_ccy         infodb_classificator.currency
                        REFERENCES infodb_classificator.currencies (currency_code),
  mobile_country_code text,
  CONSTRAINT pk_countries PRIMARY KEY (country_code),
  CONSTRAINT uq_countries_iso3 UNIQUE (country_code_iso3)
);
COMMENT ON TABLE infodb_classificator.countries IS 'ISO 3166 countries we operate in';
COMMENT ON COLUMN infodb_classificator.countries.mobile_country_code IS 'ITU E.212 MCC';

CREATE INDEX countries_name_idx ON infodb_classificator.countries (upper(country_name));

CREATE VIEW infodb_classificator.euro_countries AS
  SELECT country_code, country_name
    FROM infodb_classificator.countries
   WHERE default_ccy = 'EUR';

INSERT INTO infodb_classificator.currencies (currency_code, currency_name, minor_units) VALUES
  ('EUR', 'Euro', 2), ('GBP', 'Pound sterling', 2), ('USD', 'US dollar', 2),
  ('JPY', 'Yen', 0), ('EEK', 'Estonian kroon', 2);
UPDATE infodb_classificator.currencies SET is_active = false WHERE currency_code = 'EEK';
INSERT INTO infodb_classificator.countries VALUES
  ('EE', 'Estonia', 'EST', 'EUR', '248'),
  ('DE', 'Germany', 'DEU', 'EUR', '262'),
  ('GB', 'United Kingdom', 'GBR', 'GBP', '234'),
  ('US', 'United States', 'USA', 'USD', '310'),
  ('JP', 'Japan', 'JPN', 'JPY', '440');

-- Lookup by code or by numeric MCC.
CREATE FUNCTION infodb_classificator.country_name(p_code character)
  RETURNS character varying
  LANGUAGE sql STABLE STRICT
AS $$
  SELECT country_name FROM infodb_classificator.countries WHERE country_code = p_code
$$;

CREATE FUNCTION infodb_classificator.country_name(p_mcc integer)
  RETURNS character varying
  LANGUAGE sql STABLE STRICT
AS $$
  SELECT country_name FROM infodb_classificator.countries
   WHERE mobile_country_code = p_mcc::text
$$;

-------------------------------------------------------------------------------------------------
-- CLI sessions: unlogged (lost on crash by design) and a log split by inheritance
-------------------------------------------------------------------------------------------------

CREATE UNLOGGED TABLE cli.sessions (
  session_id uuid PRIMARY KEY,
  msisdn     text NOT NULL,
  started_at timestamp NOT NULL DEFAULT localtimestamp,
  payload    json
);
COMMENT ON TABLE cli.sessions IS 'Live sessions; unlogged, rebuilt by clients after a crash';

CREATE TABLE cli.session_log (
  log_id     serial,
  session_id uuid NOT NULL,
  event      character varying(32) NOT NULL,
  logged_at  timestamp NOT NULL DEFAULT localtimestamp
);
CREATE TABLE cli.session_log_2024 (
  CONSTRAINT session_log_2024_check
    CHECK (logged_at >= '2024-01-01' AND logged_at < '2025-01-01')
) INHERITS (cli.session_log);
CREATE TABLE cli.session_log_2025 (
  CONSTRAINT session_log_2025_check
    CHECK (logged_at >= '2025-01-01' AND logged_at < '2026-01-01')
) INHERITS (cli.session_log);
CREATE INDEX session_log_2025_session_idx ON cli.session_log_2025 (session_id, logged_at);

-------------------------------------------------------------------------------------------------
-- Privileges
-------------------------------------------------------------------------------------------------

GRANT USAGE ON SCHEMA infodb_classificator TO conf_ro;
GRANT SELECT ON ALL TABLES IN SCHEMA infodb_classificator TO conf_ro;
GRANT USAGE ON SCHEMA cli TO cli_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON cli.sessions TO cli_app;
GRANT INSERT ON cli.session_log, cli.session_log_2025 TO cli_app;
GRANT USAGE ON SEQUENCE cli.session_log_log_id_seq TO cli_app;
GRANT USAGE ON SCHEMA infodb_classificator, cli TO replicator;
GRANT SELECT ON ALL TABLES IN SCHEMA infodb_classificator TO replicator;

RESET ROLE;
