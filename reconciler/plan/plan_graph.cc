#include "reconciler/plan/plan_graph.h"

#include <algorithm>
#include <numeric>
#include <queue>
#include <set>
#include <tuple>
#include <unordered_map>

namespace pgtwin {
namespace {

using NameIndex = std::unordered_map<std::string, std::vector<size_t>>;

// For each draft, the drafts it depends on (sorted, unique, never itself).
std::vector<std::vector<size_t>> ResolveEdges(const std::vector<DraftAction>& drafts) {
  NameIndex made;
  NameIndex removed;
  for (size_t i = 0; i < drafts.size(); ++i) {
    NameIndex& index = drafts[i].is_drop ? removed : made;
    for (const std::string& name : drafts[i].provides) index[name].push_back(i);
  }
  std::vector<std::vector<size_t>> edges(drafts.size());
  for (size_t i = 0; i < drafts.size(); ++i) {
    const DraftAction& draft = drafts[i];
    for (size_t j : draft.after) {
      if (j != i) edges[i].push_back(j);
    }
    const NameIndex& index = draft.is_drop ? removed : made;
    for (const std::string& name : draft.needs) {
      auto it = index.find(name);
      if (it == index.end()) continue;
      for (size_t j : it->second) {
        if (j == i) continue;
        if (draft.is_drop) {
          edges[j].push_back(i);
        } else {
          edges[i].push_back(j);
        }
      }
    }
  }
  for (std::vector<size_t>& before : edges) {
    std::sort(before.begin(), before.end());
    before.erase(std::unique(before.begin(), before.end()), before.end());
  }
  return edges;
}

// Position of each draft in the preferred order.
std::vector<size_t> Ranks(const std::vector<DraftAction>& drafts) {
  std::vector<size_t> by_rank(drafts.size());
  std::iota(by_rank.begin(), by_rank.end(), 0);
  std::stable_sort(by_rank.begin(), by_rank.end(), [&](size_t a, size_t b) {
    const DraftAction& x = drafts[a];
    const DraftAction& y = drafts[b];
    return std::tie(x.stage, x.action.database, x.phase, x.order_key) <
           std::tie(y.stage, y.action.database, y.phase, y.order_key);
  });
  std::vector<size_t> rank(drafts.size());
  for (size_t r = 0; r < by_rank.size(); ++r) rank[by_rank[r]] = r;
  return rank;
}

}  // namespace

std::string RefName(char space, const std::string& database, const std::string& a,
                    const std::string& b) {
  std::string name(1, space);
  name += '\x1f';
  name += database;
  name += '\x1f';
  name += a;
  if (!b.empty()) {
    name += '\x1f';
    name += b;
  }
  return name;
}

std::vector<Action> OrderDrafts(std::vector<DraftAction> drafts, int first_id) {
  const size_t n = drafts.size();
  std::vector<std::vector<size_t>> before = ResolveEdges(drafts);
  std::vector<size_t> rank = Ranks(drafts);

  std::vector<std::vector<size_t>> dependents(n);
  std::vector<size_t> waiting(n);
  for (size_t i = 0; i < n; ++i) {
    waiting[i] = before[i].size();
    for (size_t j : before[i]) dependents[j].push_back(i);
  }
  // Kahn's algorithm, always taking the ready draft of lowest rank.
  using Entry = std::pair<size_t, size_t>;  // (rank, draft)
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> ready;
  std::set<Entry> blocked;  // not ready yet, for breaking cycles
  for (size_t i = 0; i < n; ++i) {
    if (waiting[i] == 0) {
      ready.push({rank[i], i});
    } else {
      blocked.insert({rank[i], i});
    }
  }
  std::vector<size_t> order;
  std::vector<bool> placed(n, false);
  order.reserve(n);
  while (order.size() < n) {
    if (ready.empty()) {
      // A cycle: release its lowest-ranked member, forgetting its unmet dependencies.
      size_t i = blocked.begin()->second;
      blocked.erase(blocked.begin());
      std::erase_if(before[i], [&](size_t j) { return !placed[j]; });
      waiting[i] = 0;
      ready.push({rank[i], i});
    }
    size_t i = ready.top().second;
    ready.pop();
    order.push_back(i);
    placed[i] = true;
    for (size_t d : dependents[i]) {
      if (placed[d] || waiting[d] == 0) continue;
      if (--waiting[d] == 0) {
        blocked.erase({rank[d], d});
        ready.push({rank[d], d});
      }
    }
  }
  std::vector<int> id_of(n);
  for (size_t pos = 0; pos < n; ++pos) id_of[order[pos]] = first_id + static_cast<int>(pos);
  std::vector<Action> actions;
  actions.reserve(n);
  for (size_t i : order) {
    Action action = std::move(drafts[i].action);
    action.id = id_of[i];
    action.depends_on.clear();
    for (size_t j : before[i]) action.depends_on.push_back(id_of[j]);
    std::sort(action.depends_on.begin(), action.depends_on.end());
    actions.push_back(std::move(action));
  }
  return actions;
}

}  // namespace pgtwin
