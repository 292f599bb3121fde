#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/diff.h"
#include "model/object.h"
#include "model/plan.h"
#include "reconciler/diff/ignore_rules.h"
#include "reconciler/plan/ddl.h"
#include "reconciler/plan/dependents.h"
#include "reconciler/plan/plan_graph.h"
#include "reconciler/plan/plan_policy.h"
#include "reconciler/plan/planner.h"

namespace pgtwin {

// Coarse order of a site's actions: roles and memberships, databases, the objects of each
// database (drops first, in reverse), then dropped databases and dropped roles.
enum PlanStage {
  kRoleStage = 0,
  kDatabaseStage = 1,
  kObjectStage = 2,
  kDatabaseDropStage = 3,
  kRoleDropStage = 4,
};

// Order of role actions within kRoleStage.
enum RolePhase {
  kRolePhase = 0,
  kPasswordPhase = 1,
  kMembershipPhase = 2,
};

// Order of object actions within a database (kObjectStage). Drops use -1 - phase, so they
// come first and in reverse.
enum ObjectPhase {
  kExtensionPhase = 0,
  kSchemaPhase,
  kTypePhase,
  kSequencePhase,
  kFunctionPhase,  // bodies not checked at creation
  kTablePhase,     // tables and columns
  kKeyPhase,       // primary keys and unique constraints
  kCheckPhase,     // check and exclusion constraints
  kForeignKeyPhase,
  kIndexPhase,
  kSqlBodyFunctionPhase,  // BEGIN ATOMIC / RETURN bodies: their references are checked
  kAggregatePhase,
  kViewPhase,
  kMaterializedViewPhase,
  kTriggerPhase,
  kOwnedByPhase,          // sequence OWNED BY, after the table
  kReplicaIdentityPhase,  // REPLICA IDENTITY USING INDEX, after the index
};

// Where an object sits in a database, and the protection it inherits.
struct Place {
  std::string database;
  std::string schema;    // "" for extensions and schemas
  std::string relation;  // owner of columns, constraints, indexes and triggers
  ObjectKind relation_kind = ObjectKind::kTable;
  std::string protection;  // an ancestor's protection ("" = none)
};

// Identifies an object within a site: its ancestors and itself as "kind:name" steps.
std::string PathKey(const std::vector<PathStep>& path);
std::string EntryPathKey(const DiffEntry& entry);

// Turns the diff of one site into draft actions (see plan_graph.h). One instance per site.
class SitePlanner {
 public:
  SitePlanner(const SitePlanInput& input, const PlanPolicy& policy, const IgnoreRules& ignore);

  // Diffs the site and returns its drafts; unmanaged objects are appended to `unmanaged`.
  std::vector<DraftAction> Plan(std::vector<UnmanagedObject>& unmanaged);

 private:
  // site_planner.cc
  size_t AddDraft(ActionOp op, ObjectKind kind, std::string key, std::string database,
                  std::string reason, int stage, int phase);
  // True when the entry's object or one of its ancestors is replaced (or rebuilt) already.
  bool Replaced(const DiffEntry& entry) const;
  void MarkReplaced(const DiffEntry& entry);
  void ReportUnmanaged(const DiffEntry& entry);
  // Remembers that a draft changes an object naming these roles (owner, ACL): a role
  // dropped by prune waits for it (OrderRoleDrops, at the end).
  void NoteObservedRoles(const Object& observed, size_t draft);
  void RequireRoles(const std::vector<std::string>& roles, DraftAction& draft) const;
  void OrderRoleDrops();
  // Why an object at `place` may not be touched: an ancestor's protection or its own.
  std::string ProtectionAt(const Place& place, const Object& object) const;
  // Blocks a draft (first reason wins).
  void Block(DraftAction& draft, const std::string& why) const;

  // view_rebuild.cc
  // Views built on what a change drops or retypes must go first and come back after: a
  // replaced view, materialized view, table or routine, a column whose type changes. For one
  // database, given its changed objects (in diff order), forms the groups of such changes
  // that share views, plans the views' creation again, and leaves the changes themselves to
  // AlterObject, which joins them to their group. A change whose views are not all managed
  // (unmanaged, ignored, protected) forms no group and is blocked (replace_blocks_).
  void PlanRebuilds(const std::vector<const DiffEntry*>& changed);
  struct RebuildGroup {
    size_t id = 0;
    std::string leader;  // PathKey of the change whose action drops the views
    std::vector<std::vector<std::string>> drops;  // DROP of each view, dependents first
  };
  // The change's action provides the group's name (what is created again waits for it);
  // the leader's drops the views first, the others wait for the leader.
  void JoinRebuildGroup(const RebuildGroup& group, bool leads, const std::string& db,
                        DraftAction& draft) const;

  // dependent_rebuild.cc
  // A replaced object and what its DROP would trip over besides views (dependents.h).
  struct DependentRoot {
    const DiffEntry* entry = nullptr;
    std::vector<Dependent> found;
    std::vector<Place> places;           // of each dependent
    std::vector<const Object*> desired;  // each dependent's desired counterpart, or null
  };
  // For one database's changed objects: the replaces policy lets run that have dependents.
  // A replace with a dependent that cannot be taken along (data, unmanaged, protected) is
  // blocked (replace_blocks_) and left out. Runs before PlanRebuilds.
  std::vector<DependentRoot> FindReplaceDependents(const std::vector<const DiffEntry*>& changed);
  // Why a dependent cannot be dropped and created again, or "".
  std::string DependentBlock(const Dependent& d, const Place& place, const Object* desired) const;
  // For each root not blocked since (PlanRebuilds): the statements its action runs first
  // (dependent_drops_) and the actions creating the dependents again after it.
  void PlanDependentRebuilds(const std::vector<DependentRoot>& roots);
  void RebuildDependent(const Dependent& d, const Place& place, const Object* desired,
                        const DiffEntry& root, const std::string& root_name,
                        std::vector<std::string>& drops);

  // role_planner.cc
  void PlanRole(const DiffEntry& entry);
  void CreateRole(const Object& role);
  void PlanMemberships(const std::string& member, const std::string& desired,
                       const std::string& observed, const std::string& protection);
  void PlanPasswords();
  const std::string* DesiredHash(const std::string& role) const;

  // database_planner.cc
  void PlanDatabase(const DiffEntry& entry);
  size_t CreateDatabase(const Object& database, const std::string& protection);
  // Plans the contents of a database this plan creates, from what template0 gives it.
  void PlanNewDatabaseObjects(const Object& database);
  void RequireDatabaseRoles(const Object& database, DraftAction& draft) const;

  // object_planner.cc
  void PlanObject(const DiffEntry& entry);
  Place PlaceOf(const DiffEntry& entry) const;
  // The DDL context of an object at `place`, within the desired or the observed tree.
  DdlContext ContextOf(const Place& place, bool observed) const;
  void CreateObject(const Object& object, const Place& place);
  void CreateChildren(const Object& object, const Place& place);
  void AlterObject(const DiffEntry& entry, const Place& place);
  void DropObject(const Object& object, const Place& place);
  // What CREATE leaves out because it names objects created later (a sequence's OWNED BY, a
  // table's REPLICA IDENTITY USING INDEX), as an ALTER action after them.
  void AddPostCreateActions(const Object& desired, const Place& place, size_t main_draft);
  // After a column is replaced: creates again the indexes and constraints of its table that
  // use it (DROP COLUMN dropped them), instead of what the diff says about them.
  void RecreatePartsOnColumn(const DiffEntry& column, const Place& place);
  // After a table is replaced: creates its partitions again (DROP TABLE dropped them).
  void RecreatePartitions(const DiffEntry& table, const Place& place);
  // The names a draft on `object` needs (its database, schema, relation, extensions, roles,
  // what its definitions name) and, when `provides`, the names it makes (plan_graph.h).
  void SetReferences(const Object& object, const Place& place, bool provides,
                     DraftAction& draft) const;
  // True for a sequence owned by a table or column prune drops: it goes with them.
  bool DroppedWithItsOwner(const Object& sequence, const Place& place) const;
  // Fills dropped_owners_ from the diff before anything is planned.
  void CollectDroppedTables(const DiffResult& diff);

  const SitePlanInput& input_;
  const PlanPolicy& policy_;
  const IgnoreRules& ignore_;
  std::vector<UnmanagedObject>* unmanaged_ = nullptr;
  std::vector<DraftAction> drafts_;
  std::set<std::string> role_names_;      // roles on either side, for role_config names
  std::set<std::string> replaced_paths_;  // objects replaced (PathKey): entries are handled
  std::map<std::string, std::string> replace_blocks_;  // PathKey -> why its replace is blocked
  std::vector<RebuildGroup> rebuild_groups_;
  std::map<std::string, size_t> rebuild_roots_;  // PathKey of a change -> its group
  // PathKey of a replaced object -> what its action drops first (dependent_rebuild.cc).
  std::map<std::string, std::vector<std::string>> dependent_drops_;
  // PathKey of a dependent -> the draft creating it again.
  std::map<std::string, size_t> dependent_recreations_;
  // Tables and columns dropped by prune ("database\x1fschema.table[.column]"): sequences
  // they own go with them.
  std::set<std::string> dropped_owners_;
  std::multimap<std::string, size_t> observed_role_users_;  // role -> non-drop drafts
  std::vector<std::pair<std::string, size_t>> role_drops_;
};

}  // namespace pgtwin
