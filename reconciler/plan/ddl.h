#pragma once

#include <string>
#include <vector>

#include "model/diff.h"
#include "model/object.h"

namespace pgtwin {

// Where an object sits below its database: the names needed to spell its SQL.
struct DdlContext {
  std::string schema;  // "" for roles, databases, extensions and schemas themselves
  // For columns, constraints, indexes and triggers: the owning relation (table, view or
  // materialized view) and its kind.
  std::string relation;
  ObjectKind relation_kind = ObjectKind::kTable;
  // The desired database tree the object belongs to, or null. Used to look up the owning
  // table (a column's ACL grantor, whether it is a partition) and a child table's parents
  // (CREATE TABLE then spells out only what the child does not inherit, and never an
  // inherited generation expression, which PostgreSQL refuses).
  const Object* database = nullptr;
  // The observed (Test) database tree, or null. A table whose owner changes has its columns'
  // ACLs set by its own AlterSql, after ALTER TABLE ... OWNER TO (which rewrites the old
  // owner's column grants): AlterSql of such a column leaves its ACL alone.
  const Object* observed_database = nullptr;
};

// SQL that creates one object, as `CREATE` (or `ALTER TABLE ... ADD`) plus its owner, ACL
// (GRANT/REVOKE from the default) and comments, in the order to run. Children with their own
// kind (a table's columns excepted: they are part of CREATE TABLE) are not included: the
// planner creates each constraint, index and trigger as its own action. Attributes naming
// objects created later are included (a sequence's OWNED BY, a table's REPLICA IDENTITY USING
// INDEX): a caller that creates those later leaves them out and sets them with AlterSql.
// A materialized view is created WITH DATA (usable at once). Empty for the cluster, roles and
// databases (cluster_sql.h), and for a partition's column (its parent's ADD COLUMN makes it)
// unless the partition has its own default or NOT NULL.
std::vector<std::string> CreateSql(const Object& object, const DdlContext& context);

// SQL that drops one object (`DROP ...` without CASCADE, `ALTER TABLE ... DROP ...`). Empty
// for a partition's column (dropped with its parent's).
std::vector<std::string> DropSql(const Object& object, const DdlContext& context);

// How to turn the observed object into the desired one.
struct AlterSqlResult {
  std::vector<std::string> sql;  // in-place statements (ALTER, CREATE OR REPLACE, COMMENT ...)
  bool replace = false;          // true: only drop and create again works (sql is empty)
  bool destructive = false;      // true: the change can lose data (a column type narrowed, ...)
};

// SQL that changes `observed` into `desired` for the attributes in `changes` (from DiffTrees).
// Replace only: a table's partition_by; a column becoming generated or changing its generation
// expression; a type's kind, base type, subtype or collation, enum labels removed or
// reordered, composite attributes reordered; a changed index; a constraint whose definition
// changes beyond validation (and, for foreign keys, deferrability); a constraint trigger; a
// materialized view's query, a view's when it drops, renames or reorders output columns; a
// routine's arguments or result (an aggregate's stype or finalfunc). A column's `position`
// has no in-place form and yields no SQL.
AlterSqlResult AlterSql(const Object& desired, const Object& observed,
                        const std::vector<AttributeChange>& changes, const DdlContext& context);

}  // namespace pgtwin
