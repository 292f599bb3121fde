#include "reconciler/diff/tree_diff.h"
#include "reconciler/plan/cluster_sql.h"
#include "reconciler/plan/fresh_database.h"
#include "reconciler/plan/plan_reason.h"
#include "reconciler/plan/references.h"
#include "reconciler/plan/site_planner.h"

namespace pgtwin {
namespace {

constexpr std::string_view kRoleConfigPrefix = "role_config.";

std::string DatabaseKey(const std::string& name) { return "database:" + name; }

}  // namespace

void SitePlanner::PlanDatabase(const DiffEntry& entry) {
  const std::string& name = entry.name;
  std::string protection = policy_.Protection(ObjectKind::kDatabase, name);
  if (entry.change == ChangeKind::kSourceOnly) {
    // Protection keeps what Test has: a missing database is created, protected or not.
    CreateDatabase(*entry.source, "");
    PlanNewDatabaseObjects(*entry.source);
    return;
  }
  if (entry.change == ChangeKind::kTargetOnly) {
    if (PlanPolicy::IsSystemDatabase(name)) return;
    ReportUnmanaged(entry);
    if (!policy_.prune() || !protection.empty()) return;
    size_t drop = AddDraft(ActionOp::kDrop, ObjectKind::kDatabase, DatabaseKey(name), "",
                           "unmanaged (prune)", kDatabaseDropStage, 0);
    DraftAction& draft = drafts_[drop];
    draft.action.sql = {cluster_sql::DropDatabase(name)};
    draft.action.in_transaction = false;
    RequireDatabaseRoles(*entry.target, draft);
    return;
  }
  const Object& desired = *entry.source;
  const Object& observed = *entry.target;
  cluster_sql::DatabaseAlter alter =
      cluster_sql::AlterDatabase(desired, observed, entry.attrs, role_names_);
  std::string reason = DescribeChanges(entry.attrs);
  if (!alter.replace) {
    if (alter.sql.empty()) return;
    size_t index = AddDraft(ActionOp::kAlter, ObjectKind::kDatabase, DatabaseKey(name), "", reason,
                            kDatabaseStage, 0);
    DraftAction& draft = drafts_[index];
    draft.action.sql = std::move(alter.sql);
    RequireDatabaseRoles(desired, draft);
    Block(draft, protection);
    NoteObservedRoles(observed, index);
    return;
  }
  size_t index = CreateDatabase(desired, protection);
  DraftAction& draft = drafts_[index];
  draft.action.op = ActionOp::kReplace;
  draft.action.risk = Risk::kDestructive;
  draft.action.reason = reason;
  draft.action.sql.insert(draft.action.sql.begin(), cluster_sql::DropDatabase(name));
  Block(draft, policy_.DataLossBlock(ActionOp::kReplace, ObjectKind::kDatabase, true));
  NoteObservedRoles(observed, index);
  // Once dropped and created again, the database needs everything: its old contents are gone.
  // When policy blocks the replace, its contents are planned from the diff as usual.
  if (draft.action.blocked_by.empty()) {
    MarkReplaced(entry);
    PlanNewDatabaseObjects(desired);
  }
}

size_t SitePlanner::CreateDatabase(const Object& database, const std::string& protection) {
  const std::string& name = database.name();
  size_t index = AddDraft(ActionOp::kCreate, ObjectKind::kDatabase, DatabaseKey(name), "",
                          "missing in Test", kDatabaseStage, 0);
  DraftAction& draft = drafts_[index];
  draft.action.sql = cluster_sql::CreateDatabase(database, role_names_);
  draft.action.in_transaction = false;
  draft.provides.push_back(RefName('d', "", name));
  RequireDatabaseRoles(database, draft);
  Block(draft, protection);
  return index;
}

void SitePlanner::PlanNewDatabaseObjects(const Object& database) {
  // A new database is not empty: it holds what template0 gives it.
  Object fresh = FreshDatabase(database.name());
  DiffResult diff = DiffTrees(database, fresh, ignore_);
  for (const DiffEntry& entry : diff.entries) {
    if (entry.kind == ObjectKind::kDatabase) continue;
    if (entry.change != ChangeKind::kSourceOnly) {
      PlanObject(entry);
      continue;
    }
    // Nothing in a database this plan creates is Test's yet: a protected database's name
    // does not keep its contents from being created.
    Place place = PlaceOf(entry);
    place.protection.clear();
    CreateObject(*entry.source, place);
  }
}

void SitePlanner::RequireDatabaseRoles(const Object& database, DraftAction& draft) const {
  std::vector<std::string> roles = MentionedRoles(database);
  for (const Attribute& attr : database.attrs()) {
    std::string_view name = attr.name;
    if (name.substr(0, kRoleConfigPrefix.size()) != kRoleConfigPrefix) continue;
    roles.push_back(
        cluster_sql::SplitRoleConfig(name.substr(kRoleConfigPrefix.size()), role_names_).first);
  }
  RequireRoles(roles, draft);
}

}  // namespace pgtwin
