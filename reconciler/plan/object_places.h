#pragma once

#include <string>

#include "model/object.h"
#include "reconciler/plan/site_planner.h"

// Names, places and phases of objects inside a database, for the planner's files.
namespace pgtwin {

// Tables, views and materialized views: they own columns, constraints, indexes, triggers.
bool IsRelation(ObjectKind kind);
// Columns, constraints, indexes and triggers: named within their relation.
bool IsPartOfRelation(ObjectKind kind);

// The name other objects use for it: routines without their argument list.
std::string BareName(const Object& object);
// The qualified name of docs/model.md "Keys" of an object at `place`.
std::string QualifiedName(const Object& object, const Place& place);
// "kind:qualified_name".
std::string KeyOf(const Object& object, const Place& place);
// Where the children of `object` (at `place`) sit; they inherit `protection`.
Place ChildPlace(const Object& object, const Place& place, const std::string& protection);
// The ObjectPhase of an object's creation.
int PhaseOf(const Object& object);

}  // namespace pgtwin
