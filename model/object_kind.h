#pragma once

#include <optional>
#include <string_view>

namespace pgtwin {

// Every kind of object pgtwin models. The declaration order is the canonical sort order of
// siblings (and the order output is written in), so keep parents before the things they hold.
enum class ObjectKind {
  kCluster,
  kRole,
  kDatabase,
  kExtension,
  kSchema,
  kType,
  kSequence,
  kTable,
  kColumn,
  kConstraint,
  kIndex,
  kTrigger,
  kView,
  kMaterializedView,
  kFunction,
  kProcedure,
  kAggregate,
};

// The lower-case word used for `kind` in keys, snapshots, ignore rules and JSON ("table",
// "materialized_view", ...).
std::string_view KindName(ObjectKind kind);

// The class-style label used by the tree format ("PgTable", "PgMaterializedView", ...).
std::string_view KindLabel(ObjectKind kind);

// Inverse of KindName; nullopt for an unknown word.
std::optional<ObjectKind> KindFromName(std::string_view name);

// True for kinds whose objects are qualified by their schema (tables, functions, types, ...).
bool IsSchemaQualified(ObjectKind kind);

}  // namespace pgtwin
