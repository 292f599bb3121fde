#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "reconciler/plan/object_places.h"
#include "reconciler/plan/plan_reason.h"
#include "reconciler/plan/references.h"
#include "reconciler/plan/site_planner.h"

namespace pgtwin {
namespace {

bool IsView(ObjectKind kind) {
  return kind == ObjectKind::kView || kind == ObjectKind::kMaterializedView;
}

std::string NameKey(const std::string& schema, const std::string& name) {
  return schema + '\x1f' + name;
}

// The observed views and materialized views of a database, and who uses whom: names
// (schema, name) of views, tables and routines -> the views whose definitions mention them.
struct ViewGraph {
  std::map<std::string, std::pair<const Object*, std::string>> views;  // name -> (view, schema)
  std::map<std::string, std::vector<std::string>> users;
};

ViewGraph BuildViewGraph(const Object& database) {
  ViewGraph graph;
  for (const Object& schema : database.children()) {
    if (schema.kind() != ObjectKind::kSchema) continue;
    for (const Object& child : schema.children()) {
      if (IsView(child.kind())) {
        graph.views[NameKey(schema.name(), child.name())] = {&child, schema.name()};
      }
    }
  }
  for (const auto& [key, view] : graph.views) {
    for (const QualifiedRef& ref : MentionedNames(view.first->Attr("definition"))) {
      std::string used = NameKey(ref.first, ref.second);
      if (used != key) graph.users[used].push_back(key);
    }
  }
  for (auto& [name, users] : graph.users) {
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
  }
  return graph;
}

// Visits `name` and every view built on it; appends the views to `order` dependents first.
void DependentsFirst(const ViewGraph& graph, const std::string& name,
                     std::set<std::string>& visited, std::vector<std::string>& order) {
  if (!visited.insert(name).second) return;
  if (auto users = graph.users.find(name); users != graph.users.end()) {
    for (const std::string& user : users->second) DependentsFirst(graph, user, visited, order);
  }
  if (graph.views.count(name) > 0) order.push_back(name);
}

// DependentsFirst from the root of a change; only the views that use `column` when one is
// given (a retyped column troubles only the views that read it).
void RootDependentsFirst(const ViewGraph& graph, const std::string& name, const std::string& column,
                         std::set<std::string>& visited, std::vector<std::string>& order) {
  if (column.empty()) return DependentsFirst(graph, name, visited, order);
  visited.insert(name);
  auto users = graph.users.find(name);
  if (users == graph.users.end()) return;
  for (const std::string& user : users->second) {
    if (MentionsIdentifier(graph.views.at(user).first->Attr("definition"), column)) {
      DependentsFirst(graph, user, visited, order);
    }
  }
}

size_t FindSet(std::vector<size_t>& parent, size_t i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

// The name whose users a change must drop and create again, or "" when none need to: a
// replaced view, table, routine or type; a column whose type changes (ALTER COLUMN TYPE refuses
// while a view uses it) or that is replaced.
std::string RebuildName(const DiffEntry& entry, const Place& place, const AlterSqlResult& alter) {
  const Object& desired = *entry.source;
  switch (entry.kind) {
    case ObjectKind::kView:
    case ObjectKind::kMaterializedView:
    case ObjectKind::kTable:
    case ObjectKind::kFunction:
    case ObjectKind::kProcedure:
    case ObjectKind::kAggregate:
    case ObjectKind::kType:
      return alter.replace ? NameKey(place.schema, BareName(desired)) : "";
    case ObjectKind::kColumn: {
      bool retyped = std::any_of(entry.attrs.begin(), entry.attrs.end(), [](const auto& c) {
        return c.name == "type" || c.name == "collation";
      });
      bool in_table = place.relation_kind == ObjectKind::kTable;
      return in_table && (alter.replace || retyped) ? NameKey(place.schema, place.relation) : "";
    }
    default:
      return "";
  }
}

}  // namespace

void SitePlanner::PlanRebuilds(const std::vector<const DiffEntry*>& changed) {
  const std::string& db = changed.front()->database;
  const Object* observed_db = input_.observed->FindChild(ObjectKind::kDatabase, db);
  const Object* desired_db = input_.desired->FindChild(ObjectKind::kDatabase, db);
  if (observed_db == nullptr || desired_db == nullptr) return;

  // The changes policy lets run whose objects views may use.
  struct Root {
    const DiffEntry* entry;
    std::string name;
    std::string column;             // a changed column's name, else ""
    std::set<std::string> closure;  // its name and the views built on it
  };
  std::vector<Root> roots;
  for (const DiffEntry* entry : changed) {
    Place place = PlaceOf(*entry);
    if (!ProtectionAt(place, *entry->source).empty()) continue;
    if (replace_blocks_.count(EntryPathKey(*entry)) > 0) continue;
    AlterSqlResult alter =
        AlterSql(*entry->source, *entry->target, entry->attrs, ContextOf(place, false));
    ActionOp op = alter.replace ? ActionOp::kReplace : ActionOp::kAlter;
    if (!policy_.DataLossBlock(op, entry->kind, alter.destructive).empty()) continue;
    std::string name = RebuildName(*entry, place, alter);
    if (name.empty()) continue;
    roots.push_back({entry, name, entry->kind == ObjectKind::kColumn ? entry->name : "", {}});
  }
  if (roots.empty()) return;
  ViewGraph graph = BuildViewGraph(*observed_db);
  auto desired_view = [&](const std::string& name) -> const Object* {
    const auto& [view, schema] = graph.views.at(name);
    const Object* node = desired_db->FindChild(ObjectKind::kSchema, schema);
    return node == nullptr ? nullptr : node->FindChild(view->kind(), view->name());
  };
  auto place_of = [&](const std::string& name) {
    Place place;
    place.database = db;
    place.schema = graph.views.at(name).second;
    place.protection = policy_.Protection(ObjectKind::kDatabase, db);
    if (place.protection.empty()) {
      place.protection = policy_.Protection(ObjectKind::kSchema, place.schema);
    }
    return place;
  };
  auto key_of = [&](const std::string& name) {
    return KeyOf(*graph.views.at(name).first, place_of(name));
  };

  // A root whose views cannot all be created again (unmanaged, ignored, protected) is left
  // to AlterObject, blocked: dropping it would take them along.
  std::erase_if(roots, [&](Root& root) {
    std::vector<std::string> views;
    RootDependentsFirst(graph, root.name, root.column, root.closure, views);
    for (const std::string& name : views) {
      if (name == root.name) continue;
      const Object& view = *graph.views.at(name).first;
      Place place = place_of(name);
      std::string why;
      if (desired_view(name) == nullptr ||
          ignore_.Matches(view.kind(), view.name(), QualifiedName(view, place))) {
        why = "unmanaged " + key_of(name) + " depends on it";
      } else if (std::string protection = ProtectionAt(place, view); !protection.empty()) {
        why = key_of(name) + " depends on it and is " + protection;
      }
      if (!why.empty()) {
        replace_blocks_[EntryPathKey(*root.entry)] = why;
        return true;
      }
    }
    // Nothing built on it: nothing to take along.
    return std::none_of(views.begin(), views.end(),
                        [&](const std::string& name) { return name != root.name; });
  });

  // Roots that share a view (or change the same table) form one group: the first of them
  // drops every view of the group, dependents first; the others wait for it.
  std::vector<size_t> parent(roots.size());
  std::iota(parent.begin(), parent.end(), 0);
  std::map<std::string, size_t> first_root;
  for (size_t i = 0; i < roots.size(); ++i) {
    for (const std::string& name : roots[i].closure) {
      auto [it, added] = first_root.emplace(name, i);
      if (!added) parent[FindSet(parent, i)] = FindSet(parent, it->second);
    }
  }
  std::map<size_t, std::vector<size_t>> members;  // by set, roots in diff order
  for (size_t i = 0; i < roots.size(); ++i) members[FindSet(parent, i)].push_back(i);

  for (const auto& [set, in_group] : members) {
    RebuildGroup group;
    group.id = rebuild_groups_.size();
    const DiffEntry& leader = *roots[in_group.front()].entry;
    group.leader = EntryPathKey(leader);
    std::set<std::string> visited;
    std::vector<std::string> order;
    for (size_t i : in_group) {
      RootDependentsFirst(graph, roots[i].name, roots[i].column, visited, order);
    }
    std::map<std::string, const DiffEntry*> view_roots;
    for (size_t i : in_group) {
      rebuild_roots_[EntryPathKey(*roots[i].entry)] = group.id;
      if (IsView(roots[i].entry->kind)) view_roots[roots[i].name] = roots[i].entry;
    }
    for (const std::string& name : order) {
      Place place = place_of(name);
      group.drops.push_back(DropSql(*graph.views.at(name).first, ContextOf(place, true)));
      auto root = view_roots.find(name);
      if (root != view_roots.end() && root->second == &leader) continue;
      // Created again once the group's changes ran.
      const Object& desired = *desired_view(name);
      replaced_paths_.insert(PathKey({{ObjectKind::kDatabase, db},
                                      {ObjectKind::kSchema, place.schema},
                                      {desired.kind(), desired.name()}}));
      std::string reason = root != view_roots.end() ? DescribeChanges(root->second->attrs)
                                                    : "rebuilt: depends on " + leader.Key();
      size_t index = AddDraft(ActionOp::kReplace, desired.kind(), key_of(name), db, reason,
                              kObjectStage, PhaseOf(desired));
      drafts_[index].action.sql = CreateSql(desired, ContextOf(place, false));
      drafts_[index].needs.push_back(RefName('g', db, std::to_string(group.id)));
      SetReferences(desired, place, true, drafts_[index]);
      NoteObservedRoles(*graph.views.at(name).first, index);
      CreateChildren(desired, ChildPlace(desired, place, ""));
    }
    rebuild_groups_.push_back(std::move(group));
  }
}

void SitePlanner::JoinRebuildGroup(const RebuildGroup& group, bool leads, const std::string& db,
                                   DraftAction& draft) const {
  const std::string id = std::to_string(group.id);
  draft.provides.push_back(RefName('g', db, id));
  if (!leads) {
    draft.needs.push_back(RefName('l', db, id));  // after the views are dropped
    return;
  }
  draft.provides.push_back(RefName('l', db, id));
  std::vector<std::string> sql;
  for (const std::vector<std::string>& drop : group.drops) {
    sql.insert(sql.end(), drop.begin(), drop.end());
  }
  sql.insert(sql.end(), draft.action.sql.begin(), draft.action.sql.end());
  draft.action.sql = std::move(sql);
}

}  // namespace pgtwin
