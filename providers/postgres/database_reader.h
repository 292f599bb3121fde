#pragma once

#include <cstdint>
#include <pqxx/pqxx>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/object.h"

namespace pgtwin {

// Decodes the rows of the database-level catalog queries (catalog_sql.h) into nodes kept by
// oid, so later rows (columns, indexes, comments, ...) find their parent in constant time;
// Finish() then hangs everything under its schema and the database. Rows must be added in
// this order: comments, extension members, extensions, schemas, types, domain constraints,
// sequences, tables, views; then triggers, routines, columns, constraints and indexes in any
// order (a query split into slices adds each slice's rows in turn). Internal to
// ReadDatabaseCatalog.
class DatabaseReader {
 public:
  // PostgreSQL's fixed oids of the catalogs objects are addressed by (pg_depend.classid,
  // pg_description.classoid).
  static constexpr uint32_t kPgClass = 1259;
  static constexpr uint32_t kPgProc = 1255;
  static constexpr uint32_t kPgType = 1247;
  static constexpr uint32_t kPgNamespace = 2615;
  static constexpr uint32_t kPgConstraint = 2606;
  static constexpr uint32_t kPgTrigger = 2620;
  static constexpr uint32_t kPgExtension = 3079;

  // database_reader.cc
  void AddComments(const pqxx::result& rows);
  void AddExtensionMembers(const pqxx::result& rows);
  void AddExtensions(const pqxx::result& rows, Object& database);
  void AddSchemas(const pqxx::result& rows);
  void Finish(Object& database);
  // relation_rows.cc
  void AddSequences(const pqxx::result& rows);
  void AddTables(const pqxx::result& rows);
  void AddViews(const pqxx::result& rows);
  void AddColumns(const pqxx::result& rows);
  void AddConstraints(const pqxx::result& rows);
  void AddIndexes(const pqxx::result& rows);
  void AddTriggers(const pqxx::result& rows);
  // routine_rows.cc
  void AddTypes(const pqxx::result& rows);
  void AddDomainConstraints(const pqxx::result& rows);
  void AddRoutines(const pqxx::result& rows);

 private:
  struct Schema {
    Object node;
    bool extension_member = false;
  };
  struct Relation {
    uint32_t schema = 0;
    Object node;
    std::vector<std::pair<int, size_t>> columns;  // (attnum, child index), for positions
  };
  struct Type {
    uint32_t schema = 0;
    Object node;
  };

  static uint64_t Address(uint32_t catalog, uint32_t oid) {
    return (static_cast<uint64_t>(catalog) << 32) | oid;
  }
  bool IsExtensionMember(uint32_t catalog, uint32_t oid) const {
    return extension_members_.count(Address(catalog, oid)) > 0;
  }
  // The comment on an object ("" when none); each comment is taken once.
  std::string TakeComment(uint32_t catalog, uint32_t oid, int32_t subid = 0);
  // The comments on the parts of an object (sub-id > 0: columns, type attributes) as
  // (part name, comment); each is taken once.
  std::vector<std::pair<std::string, std::string>> TakePartComments(uint32_t catalog, uint32_t oid);
  // The node of a user schema, or nullptr for a schema left out.
  Object* SchemaNode(uint32_t oid);
  // The node of a table, view or materialized view added earlier, or nullptr.
  Object* RelationNode(uint32_t oid);

  struct Comment {
    int32_t subid = 0;    // a column's attnum, else 0
    std::string subname;  // the column's name when subid > 0
    std::string text;
  };
  // Comments by catalog and oid.
  std::unordered_map<uint64_t, std::vector<Comment>> comments_;
  std::unordered_set<uint64_t> extension_members_;
  std::unordered_map<uint32_t, Schema> schemas_;
  std::unordered_map<uint32_t, Relation> relations_;
  std::unordered_map<uint32_t, Type> types_;
};

}  // namespace pgtwin
