#include "providers/postgres/catalog_sql.h"

namespace pgtwin::catalog_sql {
namespace {

// The elements of an array (aclitem[], text[]) as text, sorted bytewise, joined by ", ";
// "" for NULL or empty.
std::string SortedList(const std::string& array_expr) {
  return "CASE WHEN " + array_expr + " IS NOT NULL THEN array_to_string(ARRAY(SELECT x::text " +
         "FROM unnest(" + array_expr + ") x ORDER BY x::text COLLATE \"C\"), ', ') END";
}

// An ACL as SortedList prints it, or NULL when it grants exactly what the defaults of an
// object of kind `kind` (acldefault's code: 'r', 's', 'f', 'T', 'n', 'd') owned by `owner_expr`
// give: GRANT ALL to the owner or USAGE on a type to PUBLIC changes no privilege. Compared as
// sets, since the order of the entries may differ.
std::string Acl(const std::string& acl_expr, const std::string& kind,
                const std::string& owner_expr) {
  std::string defaults = "acldefault('" + kind + "', " + owner_expr + ")";
  return "CASE WHEN NOT (" + acl_expr + " @> " + defaults + " AND " + acl_expr + " <@ " + defaults +
         ") THEN " + SortedList(acl_expr) + " END";
}

// True for schemas holding user objects (not pg_catalog, information_schema, pg_toast*, ...).
std::string UserSchema(const std::string& nsp_alias) {
  return "(" + nsp_alias + ".nspname <> 'information_schema' AND " + nsp_alias +
         ".nspname NOT LIKE 'pg\\_%')";
}

// False for the relations PgQ creates for each queue at run time (pgq.create_queue): the event
// tables pgq.event_<id> and pgq.event_<id>_<n> and the sequences pgq.event_<id>_id_seq and
// pgq.event_<id>_tick_seq. They are a queue's storage, not schema: pgq_queue describes them.
std::string NotPgqEventRelation(const std::string& nsp_alias, const std::string& class_alias) {
  return " AND NOT (" + nsp_alias + ".nspname = 'pgq' AND " + class_alias +
         ".relname ~ '^event_[0-9]+(_[0-9]+|_id_seq|_tick_seq)?$')";
}

// Restricts a query to the relations of one slice (all of them when there is one slice).
std::string InSlice(const Slice& slice, const std::string& oid_expr) {
  if (slice.count <= 1) return "";
  // Hashed: consecutive oids go to one object (a table, its row type, its array type, ...),
  // so the oid itself would split by kind, not evenly.
  return " AND (hashoid(" + oid_expr + ") & 2147483647) % " + std::to_string(slice.count) + " = " +
         std::to_string(slice.index);
}

// A collation as SQL names it: "C", public.german.
std::string CollationName(const std::string& oid_expr) {
  return "(SELECT CASE WHEN co.collnamespace = 'pg_catalog'::regnamespace "
         "THEN quote_ident(co.collname) "
         "ELSE co.collnamespace::regnamespace::text || '.' || quote_ident(co.collname) END "
         "FROM pg_collation co WHERE co.oid = " +
         oid_expr + ")";
}

// The default operator class of each (column type, access method) pair, as GetDefaultOpClass
// (commands/indexcmds.c) picks it, for the column types where that is sure without it:
// plain base types (not domains, not arrays, not enums, ranges or composites).
// - A default opclass whose input type is the column's type itself.
// - Else the default opclasses whose input type the column's type converts to by an implicit
//   binary cast (varchar to text): the one whose input type is the preferred type of the
//   column type's category if there is exactly one such, else the only one. Access methods
//   with a default opclass for a polymorphic type that any non-array type matches (anyelement,
//   anynonarray, ...) are left out: IsBinaryCoercible accepts those without a cast.
// Columns typed otherwise get no row here, so their indexes fall back to pg_get_indexdef.
std::string DefaultOpclasses() {
  return "default_opclass AS ("
         "SELECT o.oid AS opclass, o.opcintype AS type FROM pg_opclass o "
         "JOIN pg_type t ON t.oid = o.opcintype WHERE o.opcdefault AND t.typtype = 'b' "
         "UNION ALL "
         "SELECT CASE WHEN count(*) FILTER (WHERE v.preferred) = 1 "
         "THEN min(v.opclass) FILTER (WHERE v.preferred) "
         "WHEN count(*) = 1 THEN min(v.opclass) END, v.type "
         "FROM (SELECT o.oid AS opclass, o.opcmethod, k.castsource AS type, "
         "tt.typispreferred AND tt.typcategory = st.typcategory AS preferred "
         "FROM pg_cast k JOIN pg_opclass o ON o.opcintype = k.casttarget AND o.opcdefault "
         "JOIN pg_type st ON st.oid = k.castsource JOIN pg_type tt ON tt.oid = k.casttarget "
         "WHERE k.castmethod = 'b' AND k.castcontext = 'i' AND st.typtype = 'b' "
         "AND st.typelem = 0 "
         "AND NOT EXISTS (SELECT FROM pg_opclass e JOIN pg_type et ON et.oid = e.opcintype "
         "WHERE e.opcmethod = o.opcmethod AND e.opcdefault AND (e.opcintype = k.castsource "
         "OR (et.typtype = 'p' AND et.typname IN ('any', 'anyelement', 'anynonarray', "
         "'anycompatible', 'anycompatiblenonarray'))))) v "
         "GROUP BY v.type, v.opcmethod)";
}

// SELECT `columns` FROM every index x (pg_index) WHERE `where`, with ic (the index's
// pg_class), c and n (its table and the table's schema), am (its access method) and
// d.built: its definition exactly as pg_get_indexdef (ruleutils.c, pg_get_indexdef_worker)
// prints it, built from the catalogs, or NULL for the indexes it is not built for.
// pg_get_indexdef opens the table and scans pg_opclass for every key column; building the
// definition here spares that for the usual index: key columns that are plain columns (no
// expressions), each with its type's default opclass (DefaultOpclasses), its column's
// collation, no ordering options (DESC, NULLS FIRST) and no opclass options, and no storage
// parameters. INCLUDE columns and NULLS NOT DISTINCT are printed as pg_get_indexdef prints
// them; a predicate is deparsed by pg_get_expr, as pg_get_indexdef deparses it. Names are
// quoted by quote_ident, pg_get_indexdef's quote_identifier; the table is always
// schema-qualified and the index never.
std::string IndexQuery(const CatalogFeatures& features, const std::string& columns,
                       const std::string& where) {
  const std::string nulls_not_distinct =
      features.nulls_not_distinct
          ? "CASE WHEN x.indnullsnotdistinct THEN ' NULLS NOT DISTINCT' ELSE '' END || "
          : "";
  return "WITH " + DefaultOpclasses() + " SELECT " + columns +
         " FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid "
         "JOIN pg_class c ON c.oid = x.indrelid "
         "JOIN pg_namespace n ON n.oid = c.relnamespace "
         "JOIN pg_am am ON am.oid = ic.relam "
         "LEFT JOIN LATERAL (SELECT CASE WHEN s.simple THEN 'CREATE ' || "
         "CASE WHEN x.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' || "
         "quote_ident(ic.relname) || ' ON ' || CASE WHEN ic.relkind = 'I' THEN 'ONLY ' ELSE '' END "
         "|| quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' USING ' || "
         "quote_ident(am.amname) || ' (' || array_to_string(s.names[1:x.indnkeyatts], ', ') || ')' "
         "|| CASE WHEN x.indnatts > x.indnkeyatts THEN ' INCLUDE (' || "
         "array_to_string(s.names[x.indnkeyatts + 1:], ', ') || ')' ELSE '' END || " +
         nulls_not_distinct +
         "CASE WHEN x.indpred IS NOT NULL THEN ' WHERE ' || pg_get_expr(x.indpred, x.indrelid) "
         "ELSE '' END END AS built "
         "FROM (SELECT bool_and(coalesce(u.attnum > 0 AND a.attname IS NOT NULL "
         "AND (u.n > x.indnkeyatts OR (u.opt = 0 "
         "AND (u.coll = 0 OR u.coll = a.attcollation) AND (u.opclass, a.atttypid) IN "
         "(SELECT opclass, type FROM default_opclass))), false)) AS simple, "
         "array_agg(quote_ident(a.attname) ORDER BY u.n) AS names "
         "FROM unnest(x.indkey::int2[], x.indclass::oid[], x.indcollation::oid[], "
         "x.indoption::int2[]) WITH ORDINALITY AS u(attnum, opclass, coll, opt, n) "
         // OFFSET 0: one index probe per column, not a join with all the table's columns.
         "LEFT JOIN LATERAL (SELECT a.attname, a.atttypid, a.attcollation FROM pg_attribute a "
         "WHERE a.attrelid = x.indrelid AND a.attnum = u.attnum OFFSET 0) a ON true "
         "WHERE x.indexprs IS NULL AND ic.reloptions IS NULL AND NOT EXISTS (SELECT FROM "
         "pg_attribute ia WHERE ia.attrelid = x.indexrelid AND ia.attoptions IS NOT NULL)) s) d "
         "ON true WHERE " +
         where;
}

}  // namespace

std::string BeginSnapshot(const std::string& snapshot_id) {
  std::string sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ";
  if (!snapshot_id.empty()) sql += "SET TRANSACTION SNAPSHOT '" + snapshot_id + "'; ";
  return sql +
         "SET LOCAL statement_timeout = '5min'; "
         "SET LOCAL lock_timeout = '10s'; "
         "SET LOCAL TimeZone = 'UTC'; "
         "SET LOCAL DateStyle = 'ISO, YMD'; "
         "SET LOCAL IntervalStyle = 'postgres'; "
         "SET LOCAL extra_float_digits = 1; "
         // JIT and parallel workers only add start-up time to catalog queries.
         "SET LOCAL jit = off; "
         "SET LOCAL max_parallel_workers_per_gather = 0; "
         "SELECT pg_catalog.set_config('search_path', '', true)";
}

std::string ExportSnapshot() { return "SELECT pg_export_snapshot()"; }

std::string Commit() { return "COMMIT"; }

std::string AuthidReadable() {
  return "SELECT has_table_privilege('pg_catalog.pg_authid', 'SELECT') AS readable";
}

std::string Roles(bool authid_readable) {
  // pg_roles shows a constant placeholder for every password, so only pg_authid can tell.
  return std::string(
             "SELECT r.oid, r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, "
             "r.rolcreatedb, r.rolcanlogin, r.rolreplication, r.rolbypassrls, "
             "r.rolconnlimit, r.rolvaliduntil::text AS valid_until, ") +
         (authid_readable ? "r.rolpassword IS NOT NULL" : "NULL::boolean") +
         " AS has_password, d.description "
         "FROM " +
         (authid_readable ? "pg_authid" : "pg_roles") +
         " r LEFT JOIN pg_shdescription d "
         "ON d.objoid = r.oid AND d.classoid = 'pg_authid'::regclass "
         "WHERE r.rolname NOT LIKE 'pg\\_%'";
}

std::string Memberships() {
  // From 16 a membership can be granted by several grantors: one row per (member, group).
  return "SELECT m.member, g.rolname AS group_name, bool_or(m.admin_option) AS admin "
         "FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
         "GROUP BY m.member, g.rolname";
}

std::string RoleSettings() {
  return "SELECT s.setdatabase, s.setrole, r.rolname, s.setconfig "
         "FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole";
}

std::string Databases(const CatalogFeatures& features) {
  std::string provider = features.locale_provider ? "d.datlocprovider::text" : "NULL::text";
  std::string icu =
      features.icu_locale_column.empty() ? "NULL::text" : "d." + features.icu_locale_column;
  return "SELECT d.oid, d.datname, pg_get_userbyid(d.datdba) AS owner, "
         "pg_encoding_to_char(d.encoding) AS encoding, d.datcollate::text AS collate, "
         "d.datctype::text AS ctype, " +
         provider + " AS locale_provider, " + icu +
         " AS icu_locale, d.datconnlimit, d.datallowconn, d.datistemplate, " +
         Acl("d.datacl", "d", "d.datdba") +
         " AS acl, c.description "
         "FROM pg_database d LEFT JOIN pg_shdescription c "
         "ON c.objoid = d.oid AND c.classoid = 'pg_database'::regclass";
}

std::string Settings() {
  // Settings a DBA chose (configuration file or command line), without the ones that only
  // locate this instance (paths, port, addresses) or may hold secrets (commands, conninfo).
  return "SELECT name, current_setting(name) AS value FROM pg_settings "
         "WHERE source IN ('configuration file', 'command line') "
         "AND name !~ '(_file|_directory|_directories|_command|_conninfo|_dir)$' "
         "AND name NOT IN ('port', 'listen_addresses', 'cluster_name', 'unix_socket_group', "
         "'unix_socket_permissions', 'primary_slot_name', 'krb_server_keyfile')";
}

std::string Comments() {
  // Objects created by initdb have oids below 16384; of those only public and built-in
  // extensions (plpgsql) are reported.
  // subname: the column (or composite type attribute) a sub-id names.
  return "SELECT d.classoid, d.objoid, d.objsubid, d.description, "
         "CASE WHEN d.objsubid > 0 THEN (SELECT a.attname FROM pg_attribute a "
         "WHERE a.attrelid = d.objoid AND a.attnum = d.objsubid) END AS subname "
         "FROM pg_description d "
         "WHERE d.classoid IN ('pg_class'::regclass, 'pg_proc'::regclass, "
         "'pg_type'::regclass, 'pg_namespace'::regclass, 'pg_constraint'::regclass, "
         "'pg_trigger'::regclass, 'pg_extension'::regclass) "
         "AND (d.objoid >= 16384 OR d.classoid IN ('pg_namespace'::regclass, "
         "'pg_extension'::regclass))";
}

std::string ExtensionMembers() {
  return "SELECT d.classid, d.objid FROM pg_depend d "
         "WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'";
}

std::string Extensions() {
  // `requires`: what the installed version's control file requires, so that CREATE EXTENSION
  // can be ordered. pg_available_extension_versions reads the control files on disk, so the
  // one-time filter skips it for plpgsql (every database has it, it requires nothing).
  return "SELECT e.oid, e.extname, e.extversion, n.nspname, r.requires "
         "FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
         "LEFT JOIN LATERAL (SELECT string_agg(q::text, ', ' ORDER BY q::text) AS requires "
         "FROM pg_available_extension_versions v, unnest(v.requires) q "
         "WHERE e.extname <> 'plpgsql' AND v.name = e.extname AND v.version = e.extversion) r "
         "ON true";
}

std::string Schemas() {
  return "SELECT n.oid, n.nspname, pg_get_userbyid(n.nspowner) AS owner, " +
         Acl("n.nspacl", "n", "n.nspowner") + " AS acl FROM pg_namespace n WHERE " +
         UserSchema("n");
}

std::string Types() {
  // Composite types made by CREATE TYPE have a pg_class entry of relkind 'c'; the row types
  // of tables and views are left out, and so are arrays and multiranges (other typtypes).
  return "SELECT t.oid, t.typnamespace, t.typname, t.typtype, t.typrelid, "
         "pg_get_userbyid(t.typowner) AS owner, " +
         Acl("t.typacl", "T", "t.typowner") +
         " AS acl, "
         "CASE WHEN t.typtype = 'e' THEN (SELECT string_agg(quote_literal(l.enumlabel), ', ' "
         "ORDER BY l.enumsortorder) FROM pg_enum l WHERE l.enumtypid = t.oid) END AS labels, "
         "CASE WHEN t.typtype = 'c' THEN (SELECT string_agg(quote_ident(a.attname) || ' ' || "
         "format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attcollation <> at.typcollation "
         "THEN ' COLLATE ' || " +
         CollationName("a.attcollation") +
         " ELSE '' END, ', ' ORDER BY a.attnum) "
         "FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid "
         "WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) "
         "END AS attributes, "
         "CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END "
         "AS base_type, t.typnotnull, pg_get_expr(t.typdefaultbin, 0) AS default_value, "
         "CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation THEN " +
         CollationName("t.typcollation") +
         " WHEN t.typtype = 'r' AND r.rngcollation <> 0 AND r.rngcollation <> st.typcollation "
         "THEN " +
         CollationName("r.rngcollation") +
         " END AS collation, "
         "CASE WHEN t.typtype = 'r' THEN format_type(r.rngsubtype, NULL) END AS subtype "
         "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
         "LEFT JOIN pg_type bt ON bt.oid = t.typbasetype "
         "LEFT JOIN pg_range r ON r.rngtypid = t.oid "
         "LEFT JOIN pg_type st ON st.oid = r.rngsubtype "
         "WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND t.typrelid IN "
         "(SELECT c.oid FROM pg_class c WHERE c.relkind = 'c'))) AND " +
         UserSchema("n");
}

std::string DomainConstraints() {
  // Check constraints only: a domain's NOT NULL is typnotnull (17 also catalogs it as 'n').
  return "SELECT k.oid, k.contypid, k.conname, pg_get_constraintdef(k.oid) AS definition "
         "FROM pg_constraint k JOIN pg_type t ON t.oid = k.contypid "
         "JOIN pg_namespace n ON n.oid = t.typnamespace "
         "WHERE k.contypid <> 0 AND k.contype = 'c' AND " +
         UserSchema("n");
}

std::string Sequences() {
  // Identity sequences (internal dependency on their column) are described by the column.
  return "SELECT c.oid, c.relnamespace, c.relname, pg_get_userbyid(c.relowner) AS owner, "
         "format_type(s.seqtypid, NULL) AS data_type, s.seqstart, s.seqincrement, s.seqmin, "
         "s.seqmax, s.seqcache, s.seqcycle, " +
         Acl("c.relacl", "s", "c.relowner") +
         " AS acl, "
         "(SELECT tn.nspname || '.' || t.relname || '.' || ta.attname FROM pg_depend d "
         "JOIN pg_class t ON t.oid = d.refobjid "
         "JOIN pg_namespace tn ON tn.oid = t.relnamespace "
         "JOIN pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid "
         "WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid "
         "AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' AND d.refobjsubid > 0 "
         "LIMIT 1) AS owned_by "
         "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
         "JOIN pg_sequence s ON s.seqrelid = c.oid "
         "WHERE c.relkind = 'S' AND " +
         UserSchema("n") + NotPgqEventRelation("n", "c") +
         " AND NOT EXISTS (SELECT FROM pg_depend i WHERE i.classid = 'pg_class'::regclass "
         "AND i.objid = c.oid AND i.refclassid = 'pg_class'::regclass AND i.deptype = 'i')";
}

std::string Tables(const Slice& slice) {
  return "SELECT c.oid, c.relnamespace, c.relname, pg_get_userbyid(c.relowner) AS owner, "
         "c.relpersistence, c.relispartition, "
         "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by, "
         "CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END "
         "AS partition_bound, ih.parents, " +
         SortedList("c.reloptions") +
         " AS options, c.relreplident, "
         "CASE WHEN c.relreplident = 'i' THEN (SELECT ic.relname FROM pg_index x "
         "JOIN pg_class ic ON ic.oid = x.indexrelid "
         "WHERE x.indrelid = c.oid AND x.indisreplident) END AS replica_index, "
         "c.relrowsecurity, c.relforcerowsecurity, " +
         Acl("c.relacl", "r", "c.relowner") +
         " AS acl "
         "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
         "LEFT JOIN (SELECT i.inhrelid, string_agg(pn.nspname || '.' || p.relname, ', ' "
         "ORDER BY i.inhseqno) AS parents "
         "FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent "
         "JOIN pg_namespace pn ON pn.oid = p.relnamespace GROUP BY i.inhrelid) ih "
         "ON ih.inhrelid = c.oid "
         "WHERE c.relkind IN ('r', 'p') AND " +
         UserSchema("n") + NotPgqEventRelation("n", "c") + InSlice(slice, "c.oid");
}

std::string Columns(const Slice& slice) {
  // Only a generation expression can refer to columns: a default is deparsed without its
  // table (relid 0), which spares opening the table. An identity column's sequence depends
  // on it internally (deptype 'i'); its parameters come as one int8[]: type oid, start,
  // increment, min, max, cache, cycle (0/1. Views and materialized views come too, for their
  // column ACLs.
  return "SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) AS type, "
         "a.attnotnull, CASE WHEN a.atthasdef THEN (SELECT pg_get_expr(ad.adbin, "
         "CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END) "
         "FROM pg_attrdef ad WHERE ad.adrelid = a.attrelid AND ad.adnum = a.attnum) END "
         "AS expression, a.attgenerated, a.attidentity, "
         "CASE WHEN a.attidentity <> '' THEN (SELECT ARRAY[q.seqtypid::int8, q.seqstart, "
         "q.seqincrement, q.seqmin, q.seqmax, q.seqcache, q.seqcycle::int::int8] "
         "FROM pg_sequence q WHERE q.seqrelid = (SELECT sd.objid FROM pg_depend sd "
         "WHERE sd.refclassid = 'pg_class'::regclass AND sd.refobjid = a.attrelid "
         "AND sd.refobjsubid = a.attnum AND sd.classid = 'pg_class'::regclass "
         "AND sd.deptype = 'i' LIMIT 1)) END AS identity_sequence, "
         // The collation when it is not the type's: one hashed set of (type, collation) for
         // the query rather than a pg_type probe per column.
         "CASE WHEN a.attcollation <> 0 AND (a.atttypid, a.attcollation) NOT IN "
         "(SELECT t.oid, t.typcollation FROM pg_type t WHERE t.typcollation <> 0) THEN " +
         CollationName("a.attcollation") + " END AS collation, " + SortedList("a.attacl") +
         " AS acl "
         // OFFSET 0 keeps the lateral subquery apart: pg_attribute is read by index, table
         // by table, rather than scanned whole by each part.
         "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
         "CROSS JOIN LATERAL (SELECT a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, "
         "a.attnotnull, a.atthasdef, a.attgenerated, a.attidentity, a.attcollation, a.attacl "
         "FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 "
         "AND NOT a.attisdropped OFFSET 0) a "
         "WHERE c.relkind IN ('r', 'p', 'v', 'm') AND " +
         UserSchema("n") + InSlice(slice, "c.oid");
}

std::string Constraints(const Slice& slice) {
  // conparentid <> 0: cloned into a partition; NOT conislocal: inherited from a parent.
  return "SELECT k.oid, k.conrelid, k.conname, k.contype, "
         "pg_get_constraintdef(k.oid) AS definition, k.condeferrable, k.condeferred, "
         "k.convalidated "
         "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
         "JOIN pg_namespace n ON n.oid = c.relnamespace "
         "WHERE k.contype IN ('p', 'u', 'f', 'c', 'x') AND k.conparentid = 0 "
         "AND k.conislocal AND " +
         UserSchema("n") + InSlice(slice, "k.conrelid");
}

std::string Indexes(const CatalogFeatures& features, const Slice& slice) {
  // Left out: indexes backing a constraint of their table, and index partitions attached to
  // a partitioned index.
  return IndexQuery(features,
                    "x.indexrelid, x.indrelid, ic.relname, "
                    "coalesce(d.built, pg_get_indexdef(x.indexrelid)) AS definition, "
                    "x.indisclustered",
                    "c.relkind IN ('r', 'p', 'm') AND NOT ic.relispartition "
                    "AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = x.indexrelid "
                    "AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x')) AND " +
                        UserSchema("n") + InSlice(slice, "x.indrelid"));
}

std::string IndexDefinitionCheck(const CatalogFeatures& features) {
  return IndexQuery(
      features,
      "x.indexrelid, n.nspname, ic.relname, d.built, "
      "pg_get_indexdef(x.indexrelid) AS deparsed",
      "n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'");
}

std::string Triggers(const CatalogFeatures& features, const Slice& slice) {
  // Before 13 the clones of a partitioned table's trigger are marked internal. Londiste's own
  // triggers (named _londiste_<queue>[_truncate] or zzz__londiste_<queue>, calling one of
  // PgQ's trigger functions, as londiste.drop_table_triggers finds them) are part of the
  // table's replication (londiste_table), not user triggers.
  return std::string(
             "SELECT t.oid, t.tgrelid, t.tgname, pg_get_triggerdef(t.oid) AS definition, "
             "t.tgenabled "
             "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
             "JOIN pg_namespace n ON n.oid = c.relnamespace "
             "WHERE NOT t.tgisinternal AND NOT (t.tgname ~ '^(zzz__)?_londiste_' AND t.tgfoid IN "
             "(SELECT p.oid FROM pg_proc p JOIN pg_namespace pn ON pn.oid = p.pronamespace "
             "WHERE pn.nspname = 'pgq' AND p.proname IN ('logutriga', 'sqltriga', 'jsontriga'))) "
             "AND ") +
         (features.trigger_parent ? "t.tgparentid = 0 AND " : "") + UserSchema("n") +
         InSlice(slice, "c.oid");
}

std::string Views(const Slice& slice) {
  return "SELECT c.oid, c.relnamespace, c.relname, c.relkind, "
         "pg_get_userbyid(c.relowner) AS owner, pg_get_viewdef(c.oid) AS definition, " +
         SortedList("c.reloptions") + " AS options, " + Acl("c.relacl", "r", "c.relowner") +
         " AS acl "
         "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
         "WHERE c.relkind IN ('v', 'm') AND " +
         UserSchema("n") + InSlice(slice, "c.oid");
}

std::string Routines(const CatalogFeatures& features) {
  std::string body =
      "CASE WHEN p.prokind = 'a' THEN NULL " +
      std::string(features.sql_function_body
                      ? "WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid) "
                      : "") +
      "WHEN p.probin IS NOT NULL THEN p.probin || ', ' || p.prosrc ELSE p.prosrc END";
  return "SELECT p.oid, p.pronamespace, p.proname, p.prokind, "
         "oidvectortypes(p.proargtypes) AS identity, "
         "pg_get_userbyid(p.proowner) AS owner, l.lanname AS language, "
         "pg_get_function_arguments(p.oid) AS arguments, "
         "pg_get_function_result(p.oid) AS returns, " +
         body +
         " AS body, p.provolatile, p.proisstrict, p.prosecdef, p.proleakproof, p.proparallel, "
         "p.procost::text AS cost, p.prorows::text AS rows, p.proretset, p.proconfig, " +
         Acl("p.proacl", "f", "p.proowner") +
         " AS acl, "
         "a.aggtransfn::text AS sfunc, format_type(a.aggtranstype, NULL) AS stype, "
         "NULLIF(a.aggfinalfn::oid, 0)::regproc::text AS finalfunc, "
         "NULLIF(a.aggcombinefn::oid, 0)::regproc::text AS combinefunc, "
         "a.agginitval AS initcond, NULLIF(a.aggsortop, 0)::regoperator::text AS sortop "
         "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
         "JOIN pg_language l ON l.oid = p.prolang "
         "LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid "
         "WHERE " +
         UserSchema("n") +
         // Range and multirange constructors belong to their type (internal dependency).
         " AND NOT EXISTS (SELECT FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass "
         "AND i.objid = p.oid AND i.deptype = 'i')";
}

}  // namespace pgtwin::catalog_sql
