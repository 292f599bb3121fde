#include <optional>

#include "reconciler/plan/ddl_quote.h"
#include "reconciler/plan/object_places.h"
#include "reconciler/plan/plan_reason.h"
#include "reconciler/plan/references.h"
#include "reconciler/plan/site_planner.h"

namespace pgtwin {
namespace {

constexpr std::string_view kIndexIdentity = "index ";

bool HasIndexIdentity(const Object& table) {
  return table.kind() == ObjectKind::kTable &&
         table.Attr("replica_identity").starts_with(kIndexIdentity);
}

// The attribute CREATE must leave out because it names an object created later (a sequence's
// owning column, a table's replica identity index), or "".
std::string_view DeferredAttribute(const Object& object) {
  if (object.kind() == ObjectKind::kSequence && object.HasAttr("owned_by")) return "owned_by";
  if (HasIndexIdentity(object)) return "replica_identity";
  return "";
}

// CREATE statements for `object` without its deferred attribute.
std::vector<std::string> CreateNow(const Object& object, const DdlContext& context) {
  std::string_view deferred = DeferredAttribute(object);
  if (deferred.empty()) return CreateSql(object, context);
  Object now = object;
  now.SetAttr(deferred, "");
  return CreateSql(now, context);
}

// DROP INDEX of a table's replica identity index leaves the table without one: the statement
// naming it again after the index is created again, or "".
std::string IdentityAgain(const Object& index, const Place& place, const DdlContext& context) {
  if (index.kind() != ObjectKind::kIndex || context.database == nullptr) return "";
  const Object* schema = context.database->FindChild(ObjectKind::kSchema, place.schema);
  const Object* table =
      schema == nullptr ? nullptr : schema->FindChild(ObjectKind::kTable, place.relation);
  std::string identity = std::string(kIndexIdentity) + index.name();
  if (table == nullptr || table->Attr("replica_identity") != identity) return "";
  return "ALTER TABLE " + ddl::QuoteQualified(place.schema, place.relation) +
         " REPLICA IDENTITY USING INDEX " + ddl::QuoteIdent(index.name());
}

// Alterations keep the names they provide only for kinds others may need in their new
// shape; a changed table or sequence (OWNED BY, REPLICA IDENTITY, ...) is not one of them, so
// those alterations can wait for the objects they name without creating cycles.
bool AlterProvides(ObjectKind kind) {
  return kind != ObjectKind::kTable && kind != ObjectKind::kSequence;
}

}  // namespace

DdlContext SitePlanner::ContextOf(const Place& place, bool observed) const {
  DdlContext context;
  context.schema = place.schema;
  context.relation = place.relation;
  context.relation_kind = place.relation_kind;
  const Object* cluster = observed ? input_.observed : input_.desired;
  context.database = cluster->FindChild(ObjectKind::kDatabase, place.database);
  context.observed_database = input_.observed->FindChild(ObjectKind::kDatabase, place.database);
  return context;
}

Place SitePlanner::PlaceOf(const DiffEntry& entry) const {
  Place place;
  auto protect = [&](ObjectKind kind, const std::string& qualified) {
    if (place.protection.empty()) place.protection = policy_.Protection(kind, qualified);
  };
  for (const PathStep& step : entry.path) {
    if (step.kind == ObjectKind::kDatabase) {
      place.database = step.name;
      protect(step.kind, step.name);
    } else if (step.kind == ObjectKind::kSchema) {
      place.schema = step.name;
      protect(step.kind, step.name);
    } else if (IsRelation(step.kind)) {
      place.relation = step.name;
      place.relation_kind = step.kind;
      protect(step.kind, place.schema + "." + step.name);
    }
  }
  return place;
}

std::string SitePlanner::ProtectionAt(const Place& place, const Object& object) const {
  if (!place.protection.empty()) return place.protection;
  return policy_.Protection(object.kind(), QualifiedName(object, place));
}

void SitePlanner::PlanObject(const DiffEntry& entry) {
  // Replication and RPC objects are made through PgQ's, pgq_node's and Londiste's functions,
  // not DDL: not planned (yet), neither created, changed, reported unmanaged nor dropped.
  if (IsReplicationKind(entry.kind)) return;
  Place place = PlaceOf(entry);
  switch (entry.change) {
    case ChangeKind::kSourceOnly:
      CreateObject(*entry.source, place);
      break;
    case ChangeKind::kChanged:
      AlterObject(entry, place);
      break;
    case ChangeKind::kTargetOnly:
      ReportUnmanaged(entry);
      if (policy_.prune() && ProtectionAt(place, *entry.target).empty()) {
        DropObject(*entry.target, place);
      }
      break;
  }
}

void SitePlanner::CreateObject(const Object& object, const Place& place) {
  if (IsReplicationKind(object.kind())) return;  // see PlanObject
  // Protection keeps what Test has: a missing object is created even when its own name is
  // protected, but not into an existing protected object (place.protection, which only
  // objects Test has pass on).
  size_t index = AddDraft(ActionOp::kCreate, object.kind(), KeyOf(object, place), place.database,
                          "missing in Test", kObjectStage, PhaseOf(object));
  drafts_[index].action.sql = CreateNow(object, ContextOf(place, false));
  SetReferences(object, place, true, drafts_[index]);
  Block(drafts_[index], place.protection);
  AddPostCreateActions(object, place, index);
  CreateChildren(object, ChildPlace(object, place, place.protection));
}

void SitePlanner::CreateChildren(const Object& object, const Place& place) {
  for (const Object& child : object.children()) {
    // A table's columns are part of its CREATE TABLE.
    if (object.kind() == ObjectKind::kTable && child.kind() == ObjectKind::kColumn) continue;
    if (ignore_.Matches(child.kind(), child.name(), QualifiedName(child, place))) continue;
    CreateObject(child, place);
  }
}

void SitePlanner::AlterObject(const DiffEntry& entry, const Place& place) {
  const Object& desired = *entry.source;
  const Object& observed = *entry.target;
  DdlContext context = ContextOf(place, false);
  AlterSqlResult alter = AlterSql(desired, observed, entry.attrs, context);
  if (!alter.replace && alter.sql.empty()) return;
  ActionOp op = alter.replace ? ActionOp::kReplace : ActionOp::kAlter;
  size_t index = AddDraft(op, entry.kind, entry.Key(), place.database, DescribeChanges(entry.attrs),
                          kObjectStage, PhaseOf(desired));
  DraftAction& draft = drafts_[index];
  std::string path = EntryPathKey(entry);
  auto group = rebuild_roots_.find(path);
  bool leads = group != rebuild_roots_.end() && rebuild_groups_[group->second].leader == path;
  if (alter.replace) {
    // A view that leads a rebuild is dropped with the views built on it.
    bool view = entry.kind == ObjectKind::kView || entry.kind == ObjectKind::kMaterializedView;
    if (!(leads && view)) draft.action.sql = DropSql(observed, ContextOf(place, true));
    std::vector<std::string> create = CreateNow(desired, context);
    draft.action.sql.insert(draft.action.sql.end(), create.begin(), create.end());
    if (std::string identity = IdentityAgain(desired, place, context); !identity.empty()) {
      draft.action.sql.push_back(std::move(identity));
    }
  } else {
    draft.action.sql = std::move(alter.sql);
    if (alter.destructive) draft.action.risk = Risk::kDestructive;
  }
  SetReferences(desired, place, alter.replace || AlterProvides(entry.kind), draft);
  if (group != rebuild_roots_.end()) {
    JoinRebuildGroup(rebuild_groups_[group->second], leads, place.database, draft);
  }
  if (auto drops = dependent_drops_.find(path); drops != dependent_drops_.end()) {
    // What would stop the DROP goes first; its re-creation waits for this action.
    draft.action.sql.insert(draft.action.sql.begin(), drops->second.begin(), drops->second.end());
    draft.provides.push_back(RefName('q', place.database, path));
  }
  std::string protection = ProtectionAt(place, desired);
  Block(draft, protection);
  Block(draft, policy_.DataLossBlock(op, entry.kind, alter.destructive));
  if (auto block = replace_blocks_.find(path); block != replace_blocks_.end()) {
    Block(draft, block->second);
  }
  NoteObservedRoles(observed, index);
  if (!alter.replace || !drafts_[index].action.blocked_by.empty()) return;
  // Dropped and created again: its own constraints, indexes and triggers go with it, so they
  // are created again too, whatever the diff said about them.
  AddPostCreateActions(desired, place, index);
  MarkReplaced(entry);
  CreateChildren(desired, ChildPlace(desired, place, protection));
  if (entry.kind == ObjectKind::kColumn) RecreatePartsOnColumn(entry, place);
  if (entry.kind == ObjectKind::kTable) RecreatePartitions(entry, place);
}

void SitePlanner::RecreatePartitions(const DiffEntry& table, const Place& place) {
  // DROP TABLE of a partitioned table drops its partitions.
  const Object* database = ContextOf(place, false).database;
  if (database == nullptr) return;
  Place at_database;
  at_database.database = place.database;
  at_database.protection = policy_.Protection(ObjectKind::kDatabase, place.database);
  for (const Object& schema : database->children()) {
    if (schema.kind() != ObjectKind::kSchema) continue;
    Place inside = ChildPlace(schema, at_database, ProtectionAt(at_database, schema));
    for (const Object& child : schema.children()) {
      if (child.kind() != ObjectKind::kTable) continue;
      if (child.Attr("partition_of") != table.qualified_name) continue;
      std::vector<PathStep> path = {{ObjectKind::kDatabase, place.database},
                                    {ObjectKind::kSchema, schema.name()},
                                    {ObjectKind::kTable, child.name()}};
      if (!replaced_paths_.insert(PathKey(path)).second) continue;
      CreateObject(child, inside);
    }
  }
}

void SitePlanner::RecreatePartsOnColumn(const DiffEntry& column, const Place& place) {
  // DROP COLUMN takes the table's indexes and constraints that use the column with it.
  const Object* database = ContextOf(place, false).database;
  const Object* schema =
      database == nullptr ? nullptr : database->FindChild(ObjectKind::kSchema, place.schema);
  const Object* table =
      schema == nullptr ? nullptr : schema->FindChild(place.relation_kind, place.relation);
  if (table == nullptr) return;
  for (const Object& part : table->children()) {
    bool index_or_constraint =
        part.kind() == ObjectKind::kIndex || part.kind() == ObjectKind::kConstraint;
    if (!index_or_constraint || !MentionsIdentifier(part.Attr("definition"), column.name)) continue;
    std::vector<PathStep> path = column.path;
    path.push_back({part.kind(), part.name()});
    if (!replaced_paths_.insert(PathKey(path)).second) continue;
    CreateObject(part, place);
  }
}

void SitePlanner::AddPostCreateActions(const Object& desired, const Place& place,
                                       size_t main_draft) {
  std::string_view attr = DeferredAttribute(desired);
  if (attr.empty()) return;
  Object created = desired;
  created.SetAttr(attr, "");
  AttributeChange change{std::string(attr), desired.Attr(attr), std::nullopt};
  AlterSqlResult alter = AlterSql(desired, created, {change}, ContextOf(place, false));
  if (alter.sql.empty()) return;
  int phase = attr == "owned_by" ? kOwnedByPhase : kReplicaIdentityPhase;
  size_t index = AddDraft(ActionOp::kAlter, desired.kind(), KeyOf(desired, place), place.database,
                          DescribeChanges({change}), kObjectStage, phase);
  DraftAction& draft = drafts_[index];
  draft.action.sql = std::move(alter.sql);
  draft.after.push_back(main_draft);
  draft.needs.push_back(RefName('d', "", place.database));
  const std::string& value = desired.Attr(attr);
  if (attr == "owned_by") {
    for (const QualifiedRef& ref : MentionedNames(value)) {
      draft.needs.push_back(RefName('n', place.database, ref.first, ref.second));
    }
  } else {
    draft.needs.push_back(
        RefName('i', place.database, place.schema, value.substr(kIndexIdentity.size())));
  }
  draft.action.blocked_by = drafts_[main_draft].action.blocked_by;
}

void SitePlanner::DropObject(const Object& object, const Place& place) {
  if (object.kind() == ObjectKind::kSchema) {
    // DROP SCHEMA without CASCADE needs it empty: its objects are dropped first.
    Place inside = ChildPlace(object, place, "");
    for (const Object& child : object.children()) {
      if (ignore_.Matches(child.kind(), child.name(), QualifiedName(child, inside))) continue;
      if (!ProtectionAt(inside, child).empty()) continue;
      DropObject(child, inside);
    }
  }
  if (object.kind() == ObjectKind::kSequence && DroppedWithItsOwner(object, place)) return;
  size_t index = AddDraft(ActionOp::kDrop, object.kind(), KeyOf(object, place), place.database,
                          "unmanaged (prune)", kObjectStage, -1 - PhaseOf(object));
  drafts_[index].action.sql = DropSql(object, ContextOf(place, true));
  SetReferences(object, place, true, drafts_[index]);
}

void SitePlanner::SetReferences(const Object& object, const Place& place, bool provides,
                                DraftAction& draft) const {
  const std::string& db = place.database;
  ObjectKind kind = object.kind();
  std::vector<std::string> made;
  draft.needs.push_back(RefName('d', "", db));
  if (kind == ObjectKind::kExtension) {
    made.push_back(RefName('x', db, ""));
    made.push_back(RefName('x', db, object.name()));
    if (object.HasAttr("schema")) draft.needs.push_back(RefName('s', db, object.Attr("schema")));
    for (const std::string& required : ddl::SplitTopLevel(object.Attr("requires"))) {
      draft.needs.push_back(RefName('x', db, required));
    }
  } else if (kind == ObjectKind::kSchema) {
    made.push_back(RefName('s', db, object.name()));
  } else {
    // Extensions provide types and functions anything may use.
    draft.needs.push_back(RefName('x', db, ""));
  }
  if (IsPartOfRelation(kind)) {
    draft.needs.push_back(
        RefName(kind == ObjectKind::kColumn ? 't' : 'n', db, place.schema, place.relation));
  } else if (!place.schema.empty()) {
    draft.needs.push_back(RefName('s', db, place.schema));
    made.push_back(RefName('n', db, place.schema, BareName(object)));
    if (IsRelation(kind)) made.push_back(RefName('t', db, place.schema, object.name()));
  }
  const std::string& type = object.Attr("type");
  if (kind == ObjectKind::kColumn) {
    made.push_back(RefName('n', db, place.schema, place.relation));
  } else if (kind == ObjectKind::kConstraint && (type == "p" || type == "u")) {
    made.push_back(RefName('k', db, place.schema, place.relation));
    made.push_back(RefName('i', db, place.schema, object.name()));
  } else if (kind == ObjectKind::kIndex) {
    made.push_back(RefName('i', db, place.schema, object.name()));
    if (object.Attr("definition").starts_with("CREATE UNIQUE")) {
      made.push_back(RefName('k', db, place.schema, place.relation));
    }
  }
  bool foreign_key = kind == ObjectKind::kConstraint && type == "f";
  for (const QualifiedRef& ref : MentionedNames(ReferenceText(object, draft.is_drop))) {
    draft.needs.push_back(RefName('n', db, ref.first, ref.second));
    if (foreign_key) draft.needs.push_back(RefName('k', db, ref.first, ref.second));
  }
  RequireRoles(MentionedRoles(object), draft);
  if (provides) draft.provides.insert(draft.provides.end(), made.begin(), made.end());
}

void SitePlanner::CollectDroppedTables(const DiffResult& diff) {
  if (!policy_.prune()) return;
  for (const DiffEntry& entry : diff.entries) {
    if (entry.change != ChangeKind::kTargetOnly) continue;
    if (entry.kind == ObjectKind::kTable || entry.kind == ObjectKind::kColumn) {
      dropped_owners_.insert(entry.database + '\x1f' + entry.qualified_name);
    } else if (entry.kind == ObjectKind::kSchema) {
      for (const Object& child : entry.target->children()) {
        if (child.kind() != ObjectKind::kTable) continue;
        dropped_owners_.insert(entry.database + '\x1f' + entry.name + "." + child.name());
      }
    }
  }
}

bool SitePlanner::DroppedWithItsOwner(const Object& sequence, const Place& place) const {
  const std::string& owned_by = sequence.Attr("owned_by");  // schema.table.column
  if (owned_by.empty()) return false;
  std::string prefix = place.database + '\x1f';
  if (dropped_owners_.count(prefix + owned_by) > 0) return true;
  size_t dot = owned_by.rfind('.');
  return dot != std::string::npos && dropped_owners_.count(prefix + owned_by.substr(0, dot)) > 0;
}

}  // namespace pgtwin
