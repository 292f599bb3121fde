#pragma once

#include <string>
#include <vector>

#include "model/object.h"

namespace pgtwin {

// How a dependent stands in the way of dropping the object it depends on.
enum class DependentUse {
  kRecreate,       // a constraint, index, trigger or routine: dropped first, created again
  kDefault,        // a column default: dropped first, set again
  kOwnedSequence,  // a sequence OWNED BY it: DROP would take it along; released, owned again
  kBlocks,         // holds data or is not re-creatable here (a column of the type, a child)
};

// An observed object that a replaced object's DROP would refuse to drop (or take along).
struct Dependent {
  const Object* object = nullptr;  // in the observed database tree
  std::string schema;
  std::string relation;  // the relation owning a column, constraint, index or trigger
  ObjectKind relation_kind = ObjectKind::kTable;
  DependentUse use = DependentUse::kRecreate;
  std::string why;  // for kBlocks: "column s.t.c uses it"
};

// The objects of an observed database that depend on `replaced` (observed, in `schema`, part
// of `relation` when a column, constraint or index) other than views (view_rebuild.cc takes
// those along) and its own children (created again with it). Found from definitions, as
// PostgreSQL records the dependencies:
// - a routine, aggregate, type, table, view or materialized view: column types (kBlocks),
//   generation expressions (kBlocks), defaults, constraints, indexes and triggers mentioning
//   it; routines whose signature or SQL-standard body mentions it; types built on it
//   (kBlocks); a table's foreign keys referencing it and sequences it owns;
// - a primary key, unique constraint or unique index: the foreign keys referencing its table
//   and columns;
// - a column: foreign keys referencing it, triggers of its table naming it, sequences it owns.
// Other kinds have none. Over-approximates where a definition cannot tell (overloaded routine
// names, a key whose columns do not parse): what is taken along is created again.
std::vector<Dependent> FindDependents(const Object& database, const Object& replaced,
                                      const std::string& schema, const std::string& relation);

// True for functions, procedures and aggregates.
bool IsRoutineKind(ObjectKind kind);

// True when a view, a materialized view or a dependent of FindDependents uses `object` (a
// schema object in `schema`).
bool HasDependents(const Object& database, const Object& object, const std::string& schema);

}  // namespace pgtwin
