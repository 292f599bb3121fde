#pragma once

#include <string>

#include "providers/postgres/catalog_features.h"

// The SQL text pgtwin sends to read a catalog. Every query is set-based (one query for all
// objects of a kind), reads only catalogs, and expects the session set up by BeginSnapshot()
// (an empty search_path, so every name outside pg_catalog comes back schema-qualified).
namespace pgtwin::catalog_sql {

// One of `count` connections reading a database together; each reads the relations whose
// oid % count == index (so one backend opens each table), and the first also the rest.
struct Slice {
  int index = 0;
  int count = 1;
};

// Starts the REPEATABLE READ READ ONLY transaction — on the snapshot exported as
// `snapshot_id` when given — and fixes the session settings the output depends on
// (search_path, TimeZone, DateStyle, extra_float_digits) plus the timeouts.
std::string BeginSnapshot(const std::string& snapshot_id = "");
// One row: the id of this transaction's snapshot, for the other slices to import.
std::string ExportSnapshot();
std::string Commit();

// Cluster level (shared catalogs).
std::string AuthidReadable();  // one row: can this session read pg_authid?
std::string Roles(bool authid_readable);
std::string Memberships();
std::string RoleSettings();
std::string Databases(const CatalogFeatures& features);
std::string Settings();

// Database level. Queries return the objects of user schemas; the reader leaves out extension
// members (ExtensionMembers) and rows whose parent it left out.
std::string Comments();
std::string ExtensionMembers();  // (classid, objid) of every object an extension owns
std::string Extensions();
std::string Schemas();
std::string Types();
std::string DomainConstraints();
std::string Sequences();
std::string Tables(const Slice& slice);
std::string Columns(const Slice& slice);
std::string Constraints(const Slice& slice);
// Index definitions are built from the catalogs where that is sure to give pg_get_indexdef's
// text byte for byte, and come from pg_get_indexdef otherwise.
std::string Indexes(const CatalogFeatures& features, const Slice& slice);
std::string Triggers(const CatalogFeatures& features, const Slice& slice);
std::string Views(const Slice& slice);
std::string Routines(const CatalogFeatures& features);

// For tests: every index of the database (but those of temporary schemas) as (indexrelid,
// nspname, relname, built, deparsed): the definition Indexes() builds (NULL where it asks
// pg_get_indexdef) beside pg_get_indexdef's.
std::string IndexDefinitionCheck(const CatalogFeatures& features);

}  // namespace pgtwin::catalog_sql
