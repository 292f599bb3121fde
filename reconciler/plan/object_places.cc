#include "reconciler/plan/object_places.h"

#include "reconciler/plan/references.h"

namespace pgtwin {
namespace {

bool IsRoutine(ObjectKind kind) {
  return kind == ObjectKind::kFunction || kind == ObjectKind::kProcedure ||
         kind == ObjectKind::kAggregate;
}

}  // namespace

bool IsRelation(ObjectKind kind) {
  return kind == ObjectKind::kTable || kind == ObjectKind::kView ||
         kind == ObjectKind::kMaterializedView;
}

bool IsPartOfRelation(ObjectKind kind) {
  return kind == ObjectKind::kColumn || kind == ObjectKind::kConstraint ||
         kind == ObjectKind::kIndex || kind == ObjectKind::kTrigger;
}

std::string BareName(const Object& object) {
  if (!IsRoutine(object.kind())) return object.name();
  return object.name().substr(0, object.name().find('('));
}

std::string QualifiedName(const Object& object, const Place& place) {
  if (place.schema.empty()) return object.name();
  std::string name = place.schema + ".";
  if (IsPartOfRelation(object.kind())) name += place.relation + ".";
  return name + object.name();
}

std::string KeyOf(const Object& object, const Place& place) {
  return std::string(KindName(object.kind())) + ":" + QualifiedName(object, place);
}

Place ChildPlace(const Object& object, const Place& place, const std::string& protection) {
  Place child;
  child.database = place.database;
  child.protection = protection;
  if (object.kind() == ObjectKind::kSchema) {
    child.schema = object.name();
  } else if (IsRelation(object.kind())) {
    child.schema = place.schema;
    child.relation = object.name();
    child.relation_kind = object.kind();
  }
  return child;
}

int PhaseOf(const Object& object) {
  switch (object.kind()) {
    case ObjectKind::kExtension:
      return kExtensionPhase;
    case ObjectKind::kSchema:
      return kSchemaPhase;
    case ObjectKind::kType:
      return kTypePhase;
    case ObjectKind::kSequence:
      return kSequencePhase;
    case ObjectKind::kFunction:
    case ObjectKind::kProcedure:
      return HasSqlStandardBody(object) ? kSqlBodyFunctionPhase : kFunctionPhase;
    case ObjectKind::kAggregate:
      return kAggregatePhase;
    case ObjectKind::kConstraint: {
      const std::string& type = object.Attr("type");
      if (type == "p" || type == "u") return kKeyPhase;
      return type == "f" ? kForeignKeyPhase : kCheckPhase;
    }
    case ObjectKind::kIndex:
      return kIndexPhase;
    case ObjectKind::kTrigger:
      return kTriggerPhase;
    case ObjectKind::kView:
      return kViewPhase;
    case ObjectKind::kMaterializedView:
      return kMaterializedViewPhase;
    default:
      return kTablePhase;  // tables and columns
  }
}

}  // namespace pgtwin
