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

// An observed view or materialized view and the ones whose definitions use it.
struct ViewNode {
  const Object* observed = nullptr;
  std::string schema;
  std::vector<std::string> dependents;  // keys
};

// The views and materialized views of an observed database by key ("view:s.v"), with who
// uses whom (found by qualified names in their definitions).
std::map<std::string, ViewNode> BuildViewGraph(const Object& database) {
  std::map<std::string, ViewNode> graph;
  std::map<std::string, std::string> key_by_name;  // "schema\x1fname" -> key
  for (const Object& schema : database.children()) {
    if (schema.kind() != ObjectKind::kSchema) continue;
    for (const Object& child : schema.children()) {
      if (!IsView(child.kind())) continue;
      std::string key =
          std::string(KindName(child.kind())) + ":" + schema.name() + "." + child.name();
      graph[key] = {&child, schema.name(), {}};
      key_by_name[schema.name() + '\x1f' + child.name()] = key;
    }
  }
  for (auto& [key, node] : graph) {
    for (const QualifiedRef& ref : MentionedNames(node.observed->Attr("definition"))) {
      auto used = key_by_name.find(ref.first + '\x1f' + ref.second);
      if (used != key_by_name.end() && used->second != key) {
        graph[used->second].dependents.push_back(key);
      }
    }
  }
  for (auto& [key, node] : graph) {
    std::sort(node.dependents.begin(), node.dependents.end());
    node.dependents.erase(std::unique(node.dependents.begin(), node.dependents.end()),
                          node.dependents.end());
  }
  return graph;
}

// Appends `key` and everything built on it to `order`, dependents first (post-order), each
// once.
void DependentsFirst(const std::map<std::string, ViewNode>& graph, const std::string& key,
                     std::set<std::string>& visited, std::vector<std::string>& order) {
  if (!visited.insert(key).second) return;
  for (const std::string& dependent : graph.at(key).dependents) {
    DependentsFirst(graph, dependent, visited, order);
  }
  order.push_back(key);
}

size_t FindRoot(std::vector<size_t>& parent, size_t i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

}  // namespace

void SitePlanner::PlanViewRebuilds(const std::vector<const DiffEntry*>& changed_views) {
  const std::string& db = changed_views.front()->database;
  const Object* observed_db = input_.observed->FindChild(ObjectKind::kDatabase, db);
  const Object* desired_db = input_.desired->FindChild(ObjectKind::kDatabase, db);
  if (observed_db == nullptr || desired_db == nullptr) return;

  // The changed views that only drop and create can fix, and policy lets change.
  std::map<std::string, const DiffEntry*> roots;  // by key
  for (const DiffEntry* entry : changed_views) {
    Place place = PlaceOf(*entry);
    if (!ProtectionAt(place, *entry->source).empty()) continue;
    if (AlterSql(*entry->source, *entry->target, entry->attrs, ContextOf(place, false)).replace) {
      roots[entry->Key()] = entry;
    }
  }
  if (roots.empty()) return;
  std::map<std::string, ViewNode> graph = BuildViewGraph(*observed_db);
  auto desired_of = [&](const std::string& key) -> const Object* {
    const ViewNode& node = graph.at(key);
    const Object* schema = desired_db->FindChild(ObjectKind::kSchema, node.schema);
    if (schema == nullptr) return nullptr;
    const Object* view = schema->FindChild(node.observed->kind(), node.observed->name());
    return view;
  };
  auto place_of = [&](const std::string& key) {
    Place place;
    place.database = db;
    place.schema = graph.at(key).schema;
    place.protection = policy_.Protection(ObjectKind::kDatabase, db);
    if (place.protection.empty()) {
      place.protection = policy_.Protection(ObjectKind::kSchema, place.schema);
    }
    return place;
  };

  // Each root with everything built on it; roots whose dependents cannot be rebuilt are
  // left to AlterObject, blocked.
  std::vector<std::string> keys;
  std::vector<std::set<std::string>> closures;
  for (const auto& [key, entry] : roots) {
    if (graph.count(key) == 0) continue;
    std::set<std::string> visited;
    std::vector<std::string> members;
    DependentsFirst(graph, key, visited, members);
    std::string why;
    for (const std::string& member : members) {
      const Object& observed = *graph.at(member).observed;
      Place place = place_of(member);
      std::string qualified = QualifiedName(observed, place);
      if (desired_of(member) == nullptr ||
          ignore_.Matches(observed.kind(), observed.name(), qualified)) {
        why = "unmanaged " + member + " depends on it";
      } else if (std::string protection = ProtectionAt(place, observed); !protection.empty()) {
        why = member + " depends on it and is " + protection;
      }
      if (!why.empty()) break;
    }
    if (!why.empty()) {
      replace_blocks_[EntryPathKey(*entry)] = why;
      continue;
    }
    keys.push_back(key);
    closures.emplace_back(visited.begin(), visited.end());
  }

  // Roots sharing a view are dropped together: one group, one drop.
  std::vector<size_t> parent(keys.size());
  std::iota(parent.begin(), parent.end(), 0);
  std::map<std::string, size_t> owner;
  for (size_t i = 0; i < keys.size(); ++i) {
    for (const std::string& member : closures[i]) {
      auto [it, added] = owner.emplace(member, i);
      if (!added) parent[FindRoot(parent, i)] = FindRoot(parent, it->second);
    }
  }
  std::map<size_t, std::vector<size_t>> groups;
  for (size_t i = 0; i < keys.size(); ++i) groups[FindRoot(parent, i)].push_back(i);

  for (const auto& [group, roots_in_group] : groups) {
    // Leaders: roots no other root of the group is under. Drop everything dependents first.
    std::vector<std::string> order;
    std::set<std::string> visited;
    for (size_t i : roots_in_group) {
      bool under_other = false;
      for (size_t j : roots_in_group) under_other |= j != i && closures[j].count(keys[i]) > 0;
      if (!under_other) DependentsFirst(graph, keys[i], visited, order);
    }
    const std::string& leader = order.back();
    const DiffEntry& leader_entry = *roots.at(leader);
    Place leader_place = PlaceOf(leader_entry);
    size_t main =
        AddDraft(ActionOp::kReplace, leader_entry.kind, leader, db,
                 DescribeChanges(leader_entry.attrs), kObjectStage, PhaseOf(*leader_entry.source));
    for (const std::string& member : order) {
      std::vector<std::string> drop =
          DropSql(*graph.at(member).observed, ContextOf(place_of(member), true));
      drafts_[main].action.sql.insert(drafts_[main].action.sql.end(), drop.begin(), drop.end());
    }
    std::vector<std::string> create =
        CreateSql(*leader_entry.source, ContextOf(leader_place, false));
    drafts_[main].action.sql.insert(drafts_[main].action.sql.end(), create.begin(), create.end());
    SetReferences(*leader_entry.source, leader_place, true, drafts_[main]);
    NoteObservedRoles(*leader_entry.target, main);

    for (const std::string& member : order) {
      const Object& desired = *desired_of(member);
      Place place = place_of(member);
      replaced_paths_.insert(PathKey({{ObjectKind::kDatabase, db},
                                      {ObjectKind::kSchema, place.schema},
                                      {desired.kind(), desired.name()}}));
      if (member != leader) {
        auto root = roots.find(member);
        std::string reason = root != roots.end() ? DescribeChanges(root->second->attrs)
                                                 : "rebuilt: depends on " + leader;
        size_t index = AddDraft(ActionOp::kReplace, desired.kind(), member, db, reason,
                                kObjectStage, PhaseOf(desired));
        drafts_[index].action.sql = CreateSql(desired, ContextOf(place, false));
        drafts_[index].after.push_back(main);
        SetReferences(desired, place, true, drafts_[index]);
        NoteObservedRoles(*graph.at(member).observed, index);
      }
      CreateChildren(desired, ChildPlace(desired, place, ""));
    }
  }
}

}  // namespace pgtwin
