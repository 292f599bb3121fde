-- Changes about 1% of the objects of a database made by generate.sql, for the diff benchmark.
--
--   psql -v tables=20000 -v functions=5000 -v views=1000 -v schemas=5 -f mutate.sql
--
-- Per 100 regular tables: one column retyped (c_1, which no view uses), one default changed, one
-- index dropped, one index added, one column added, one column dropped, one table comment
-- changed, one check added, one column comment added; per 100 functions: one body changed, one
-- volatility changed, one function dropped, one added; per 100 views: one redefined, one comment
-- changed.
-- Deterministic (selected by index modulo 100), run in batches like generate.sql.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

SELECT greatest(1, :tables / 500) AS parts \gset
SELECT :tables - 5 * :parts AS regular \gset

SELECT string_agg(ddl, E'\n' ORDER BY i)
FROM (
  SELECT i, i / 2000 AS b,
    format(CASE i % 100
      WHEN 1 THEN 'ALTER TABLE %1$s.t_%2$s ALTER COLUMN c_1 TYPE bigint;'
      WHEN 2 THEN 'ALTER TABLE %1$s.t_%2$s ALTER COLUMN name SET DEFAULT ''unnamed'';'
      WHEN 3 THEN 'DROP INDEX %1$s.t_%2$s_name_idx;'
      WHEN 4 THEN 'CREATE INDEX t_%2$s_created_idx ON %1$s.t_%2$s (created_at DESC);'
      WHEN 5 THEN 'ALTER TABLE %1$s.t_%2$s ADD COLUMN note text COLLATE "C";'
      WHEN 6 THEN 'ALTER TABLE %1$s.t_%2$s DROP COLUMN payload;'
      WHEN 7 THEN 'COMMENT ON TABLE %1$s.t_%2$s IS ''changed comment'';'
      WHEN 8 THEN 'ALTER TABLE %1$s.t_%2$s ADD CONSTRAINT t_%2$s_name_len CHECK (length(name) < 200);'
      WHEN 9 THEN 'COMMENT ON COLUMN %1$s.t_%2$s.status IS ''workflow state'';'
    END, 'bench_s' || (i % :schemas), lpad(i::text, 5, '0')) AS ddl
  FROM generate_series(0, :regular - 1) AS i
  WHERE i % 100 BETWEEN 1 AND 9
) AS t
GROUP BY b
ORDER BY b
\gexec

-- Functions; j % 100 = 1 and 3 are plpgsql f(bigint), 2 and 4 are SQL f(integer, integer).
SELECT string_agg(ddl, E'\n' ORDER BY j)
FROM (
  SELECT j, j / 2000 AS b,
    format(CASE j % 100
      WHEN 1 THEN $ddl$CREATE OR REPLACE FUNCTION %1$s.f_%2$s(p_id bigint) RETURNS text
LANGUAGE plpgsql VOLATILE AS $body$ BEGIN RETURN 'changed ' || p_id; END $body$;$ddl$
      WHEN 2 THEN 'ALTER FUNCTION %1$s.f_%2$s(integer, integer) STABLE;'
      WHEN 3 THEN 'DROP FUNCTION %1$s.f_%2$s(bigint);'
      WHEN 4 THEN $ddl$CREATE FUNCTION %1$s.f_%2$s(a numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $body$ SELECT a * 2 $body$;$ddl$
    END, 'bench_s' || (j % :schemas), lpad(j::text, 5, '0')) AS ddl
  FROM generate_series(0, :functions - 1) AS j
  WHERE j % 100 BETWEEN 1 AND 4
) AS f
GROUP BY b
ORDER BY b
\gexec

-- Views: v % 100 = 1 redefined (same columns, other filter), v % 100 = 2 comment changed.
SELECT string_agg(ddl, E'\n' ORDER BY v)
FROM (
  SELECT v, v / 2000 AS b,
    CASE v % 100
      WHEN 1 THEN format('CREATE OR REPLACE VIEW %1$s.v_%2$s AS SELECT id, name, amount,'
                         ' upper(status) AS status FROM %1$s.t_%3$s WHERE amount > 100;',
                         'bench_s' || (x % :schemas), lpad(v::text, 5, '0'), lpad(x::text, 5, '0'))
      WHEN 2 THEN format('COMMENT ON VIEW %s.v_%s IS ''changed view comment'';',
                         'bench_s' || (x % :schemas), lpad(v::text, 5, '0'))
    END AS ddl
  FROM (SELECT v, v % :regular AS x FROM generate_series(0, :views - 1) AS v) AS vx
  WHERE v % 100 IN (1, 2)
) AS w
GROUP BY b
ORDER BY b
\gexec
