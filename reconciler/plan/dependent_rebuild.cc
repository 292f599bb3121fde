// Objects other than views that stand in the way of a replaced object's DROP (dependents.h):
// dropped by the replacing action itself, before its DROP, and created again after it.
#include "reconciler/plan/ddl_quote.h"
#include "reconciler/plan/dependents.h"
#include "reconciler/plan/object_places.h"
#include "reconciler/plan/references.h"
#include "reconciler/plan/site_planner.h"

namespace pgtwin {
namespace {

// The statement dropping a dependent, made harmless when another replaced object's action
// dropped it already.
std::string IfExists(std::string sql) {
  constexpr std::string_view kConstraint = " DROP CONSTRAINT ";
  size_t at = sql.find(kConstraint);
  if (sql.starts_with("ALTER TABLE ") && at != std::string::npos) {
    return sql.insert(at + kConstraint.size(), "IF EXISTS ");
  }
  for (std::string_view kind :
       {"DROP TRIGGER ", "DROP INDEX ", "DROP FUNCTION ", "DROP PROCEDURE ", "DROP AGGREGATE "}) {
    if (sql.starts_with(kind)) return sql.insert(kind.size(), "IF EXISTS ");
  }
  return sql;
}

// The desired counterpart of an observed dependent, or null.
const Object* DesiredOf(const Object& desired_db, const Dependent& d) {
  const Object* node = desired_db.FindChild(ObjectKind::kSchema, d.schema);
  if (node != nullptr && !d.relation.empty()) node = node->FindChild(d.relation_kind, d.relation);
  return node == nullptr ? nullptr : node->FindChild(d.object->kind(), d.object->name());
}

}  // namespace

std::string SitePlanner::DependentBlock(const Dependent& d, const Place& place,
                                        const Object* desired) const {
  std::string key = KeyOf(*d.object, place);
  if (d.use == DependentUse::kBlocks) return d.why + ": change it by hand";
  if (desired == nullptr ||
      ignore_.Matches(d.object->kind(), d.object->name(), QualifiedName(*d.object, place))) {
    return "unmanaged " + key + " depends on it";
  }
  if (std::string protection = ProtectionAt(place, *desired); !protection.empty()) {
    return key + " depends on it and is " + protection;
  }
  return "";
}

std::vector<SitePlanner::DependentRoot> SitePlanner::FindReplaceDependents(
    const std::vector<const DiffEntry*>& changed) {
  const std::string& db = changed.front()->database;
  const Object* observed_db = input_.observed->FindChild(ObjectKind::kDatabase, db);
  const Object* desired_db = input_.desired->FindChild(ObjectKind::kDatabase, db);
  if (observed_db == nullptr || desired_db == nullptr) return {};
  std::vector<DependentRoot> roots;
  for (const DiffEntry* entry : changed) {
    Place place = PlaceOf(*entry);
    if (!ProtectionAt(place, *entry->source).empty()) continue;
    AlterSqlResult alter =
        AlterSql(*entry->source, *entry->target, entry->attrs, ContextOf(place, false));
    if (!alter.replace) continue;
    if (!policy_.DataLossBlock(ActionOp::kReplace, entry->kind, alter.destructive).empty()) {
      continue;
    }
    DependentRoot root;
    root.entry = entry;
    root.found = FindDependents(*observed_db, *entry->target, place.schema, place.relation);
    if (root.found.empty()) continue;
    std::string why;
    for (const Dependent& d : root.found) {
      Place& at = root.places.emplace_back();
      at.database = db;
      at.schema = d.schema;
      at.relation = d.relation;
      at.relation_kind = d.relation_kind;
      at.protection = policy_.Protection(ObjectKind::kDatabase, db);
      if (at.protection.empty()) at.protection = policy_.Protection(ObjectKind::kSchema, d.schema);
      if (at.protection.empty() && !d.relation.empty()) {
        at.protection = policy_.Protection(d.relation_kind, d.schema + "." + d.relation);
      }
      root.desired.push_back(DesiredOf(*desired_db, d));
      why = DependentBlock(d, at, root.desired.back());
      // A routine taken along must not have dependents of its own (one level only).
      if (why.empty() && d.use == DependentUse::kRecreate && IsRoutineKind(d.object->kind()) &&
          HasDependents(*observed_db, *d.object, d.schema)) {
        why = KeyOf(*d.object, at) + " depends on it and is used in turn";
      }
      if (!why.empty()) break;
    }
    if (!why.empty()) {
      replace_blocks_[EntryPathKey(*entry)] = why;
      continue;
    }
    roots.push_back(std::move(root));
  }
  return roots;
}

void SitePlanner::PlanDependentRebuilds(const std::vector<DependentRoot>& roots) {
  for (const DependentRoot& root : roots) {
    std::string path = EntryPathKey(*root.entry);
    if (replace_blocks_.count(path) > 0) continue;  // blocked by PlanRebuilds since
    const std::string name = RefName('q', root.entry->database, path);
    std::vector<std::string>& drops = dependent_drops_[path];
    for (size_t i = 0; i < root.found.size(); ++i) {
      RebuildDependent(root.found[i], root.places[i], root.desired[i], *root.entry, name, drops);
    }
  }
}

void SitePlanner::RebuildDependent(const Dependent& d, const Place& place, const Object* desired,
                                   const DiffEntry& root, const std::string& root_name,
                                   std::vector<std::string>& drops) {
  const Object& observed = *d.object;
  std::vector<PathStep> steps = {{ObjectKind::kDatabase, place.database},
                                 {ObjectKind::kSchema, place.schema}};
  if (!place.relation.empty()) steps.push_back({place.relation_kind, place.relation});
  // Parts of a view rebuilt for another change come back with it.
  if (!place.relation.empty() && replaced_paths_.count(PathKey(steps)) > 0) return;
  steps.push_back({observed.kind(), observed.name()});
  const std::string path = PathKey(steps);
  const std::string reason = "rebuilt: depends on " + root.Key();
  const std::string relation = ddl::QuoteQualified(place.schema, place.relation);
  size_t index = 0;
  if (d.use == DependentUse::kDefault) {
    const std::string column =
        "ALTER TABLE " + relation + " ALTER COLUMN " + ddl::QuoteIdent(observed.name());
    drops.push_back(column + " DROP DEFAULT");
    if (desired == nullptr || !desired->HasAttr("default")) return;
    index = AddDraft(ActionOp::kAlter, ObjectKind::kColumn, KeyOf(observed, place), place.database,
                     reason, kObjectStage, kTablePhase);
    drafts_[index].action.sql = {column + " SET DEFAULT " + desired->Attr("default")};
    SetReferences(*desired, place, false, drafts_[index]);
  } else if (d.use == DependentUse::kOwnedSequence) {
    const std::string sequence =
        "ALTER SEQUENCE " + ddl::QuoteQualified(place.schema, observed.name());
    drops.push_back(sequence + " OWNED BY NONE");
    if (desired == nullptr || !desired->HasAttr("owned_by")) return;
    index = AddDraft(ActionOp::kAlter, ObjectKind::kSequence, KeyOf(observed, place),
                     place.database, reason, kObjectStage, kOwnedByPhase);
    const std::string& owner = desired->Attr("owned_by");
    drafts_[index].action.sql = {sequence + " OWNED BY " + ddl::QuoteDotted(owner)};
    drafts_[index].needs.push_back(RefName('d', "", place.database));
    for (const QualifiedRef& ref : MentionedNames(owner)) {
      drafts_[index].needs.push_back(RefName('n', place.database, ref.first, ref.second));
    }
  } else {
    for (const std::string& sql : DropSql(observed, ContextOf(place, true))) {
      drops.push_back(IfExists(sql));
    }
    // Taken along by two replaced objects: created again once after both.
    if (auto made = dependent_recreations_.find(path); made != dependent_recreations_.end()) {
      drafts_[made->second].needs.push_back(root_name);
      return;
    }
    if (!replaced_paths_.insert(path).second) return;  // created again by another rebuild
    index = AddDraft(ActionOp::kReplace, observed.kind(), KeyOf(observed, place), place.database,
                     reason, kObjectStage, PhaseOf(*desired));
    drafts_[index].action.sql = CreateSql(*desired, ContextOf(place, false));
    SetReferences(*desired, place, true, drafts_[index]);
    NoteObservedRoles(observed, index);
    dependent_recreations_[path] = index;
  }
  drafts_[index].action.risk = Risk::kSafe;
  drafts_[index].needs.push_back(root_name);
}

}  // namespace pgtwin
