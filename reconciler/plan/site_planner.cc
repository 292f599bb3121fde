#include "reconciler/plan/site_planner.h"

#include "reconciler/diff/tree_diff.h"
#include "reconciler/plan/references.h"

namespace pgtwin {
namespace {

void CollectRoleNames(const Object* cluster, std::set<std::string>& names) {
  if (cluster == nullptr) return;
  for (const Object& child : cluster->children()) {
    if (child.kind() == ObjectKind::kRole) names.insert(child.name());
  }
}

}  // namespace

std::string PathKey(const std::vector<PathStep>& path) {
  std::string key;
  for (const PathStep& step : path) {
    if (!key.empty()) key += '\x1f';
    key += KindName(step.kind);
    key += ':';
    key += step.name;
  }
  return key;
}

std::string EntryPathKey(const DiffEntry& entry) {
  std::vector<PathStep> path = entry.path;
  path.push_back({entry.kind, entry.name});
  return PathKey(path);
}

SitePlanner::SitePlanner(const SitePlanInput& input, const PlanPolicy& policy,
                         const IgnoreRules& ignore)
    : input_(input), policy_(policy), ignore_(ignore) {}

std::vector<DraftAction> SitePlanner::Plan(std::vector<UnmanagedObject>& unmanaged) {
  unmanaged_ = &unmanaged;
  CollectRoleNames(input_.desired, role_names_);
  CollectRoleNames(input_.observed, role_names_);
  DiffResult diff = DiffTrees(*input_.desired, *input_.observed, ignore_);
  CollectDroppedTables(diff);
  // Changes that may have to take views along, by database (see PlanRebuilds).
  std::map<std::string, std::vector<const DiffEntry*>> changed;
  for (const DiffEntry& entry : diff.entries) {
    if (entry.change == ChangeKind::kChanged && !entry.database.empty() &&
        entry.kind != ObjectKind::kCluster && !IsReplicationKind(entry.kind)) {
      changed[entry.database].push_back(&entry);
    }
  }
  std::string database;  // entries of a database are contiguous
  for (const DiffEntry& entry : diff.entries) {
    // Cluster attributes (settings) are not managed.
    if (entry.kind == ObjectKind::kCluster || Replaced(entry)) continue;
    if (entry.database != database) {
      database = entry.database;
      auto changes = changed.find(database);
      if (changes != changed.end()) {
        std::vector<DependentRoot> roots = FindReplaceDependents(changes->second);
        PlanRebuilds(changes->second);
        PlanDependentRebuilds(roots);
      }
      if (Replaced(entry)) continue;
    }
    if (entry.kind == ObjectKind::kRole) {
      PlanRole(entry);
    } else if (entry.kind == ObjectKind::kDatabase) {
      PlanDatabase(entry);
    } else {
      PlanObject(entry);
    }
  }
  PlanPasswords();
  OrderRoleDrops();
  // A blocked change leaves the object as it is: what uses it need not wait for it. (A blocked
  // creation keeps its names: what needs the missing object cannot succeed.)
  for (DraftAction& draft : drafts_) {
    if (!draft.action.blocked_by.empty() && draft.action.op != ActionOp::kCreate) {
      draft.provides.clear();
    }
  }
  return std::move(drafts_);
}

size_t SitePlanner::AddDraft(ActionOp op, ObjectKind kind, std::string key, std::string database,
                             std::string reason, int stage, int phase) {
  DraftAction& draft = drafts_.emplace_back();
  draft.action.site = input_.site;
  draft.action.database = std::move(database);
  draft.action.op = op;
  draft.action.kind = kind;
  draft.action.key = std::move(key);
  draft.action.reason = std::move(reason);
  draft.action.risk =
      op == ActionOp::kDrop || op == ActionOp::kReplace ? Risk::kDestructive : Risk::kSafe;
  draft.stage = stage;
  draft.phase = phase;
  draft.order_key = draft.action.key;
  draft.is_drop = op == ActionOp::kDrop;
  return drafts_.size() - 1;
}

bool SitePlanner::Replaced(const DiffEntry& entry) const {
  if (replaced_paths_.empty()) return false;
  std::vector<PathStep> path;
  for (const PathStep& step : entry.path) {
    path.push_back(step);
    if (replaced_paths_.count(PathKey(path)) > 0) return true;
  }
  return replaced_paths_.count(EntryPathKey(entry)) > 0;
}

void SitePlanner::MarkReplaced(const DiffEntry& entry) {
  replaced_paths_.insert(EntryPathKey(entry));
}

void SitePlanner::ReportUnmanaged(const DiffEntry& entry) {
  unmanaged_->push_back({input_.site, entry.database, entry.kind, entry.Key()});
}

void SitePlanner::NoteObservedRoles(const Object& observed, size_t draft) {
  for (const std::string& role : MentionedRoles(observed)) {
    observed_role_users_.emplace(role, draft);
  }
}

void SitePlanner::RequireRoles(const std::vector<std::string>& roles, DraftAction& draft) const {
  for (const std::string& role : roles) draft.needs.push_back(RefName('r', "", role));
}

void SitePlanner::OrderRoleDrops() {
  // A role is dropped after the objects it owns or has privileges on stop naming it.
  for (const auto& [role, drop] : role_drops_) {
    auto [begin, end] = observed_role_users_.equal_range(role);
    for (auto it = begin; it != end; ++it) drafts_[drop].after.push_back(it->second);
  }
}

void SitePlanner::Block(DraftAction& draft, const std::string& why) const {
  if (!why.empty() && draft.action.blocked_by.empty()) draft.action.blocked_by = why;
}

}  // namespace pgtwin
