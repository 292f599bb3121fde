#pragma once

#include <string>
#include <vector>

#include "model/plan.h"

namespace pgtwin {

// An action being planned, before ordering gives it an id and resolves its dependencies.
//
// Dependencies are found by name: an action `provides` reference names (a table it creates,
// a role, ...) and `needs` others; a non-drop action depends on every other non-drop
// action that provides a name it needs. Drops work the other way round: a drop that
// needs a name (the object it removes uses it) must run before the drop providing it,
// so the later drop depends on the earlier one.
struct DraftAction {
  Action action;                      // id and depends_on are set by OrderDrafts
  int stage = 0;                      // coarse order within a site (see SitePlanner)
  int phase = 0;                      // order within a stage and database
  std::string order_key;              // tie-break within a phase
  std::vector<std::string> provides;  // names this action makes (or, for drops, removes)
  std::vector<std::string> needs;     // names this action uses
  std::vector<size_t> after;          // drafts (by index) it depends on in any case
  bool is_drop = false;
};

// A reference name in the namespace of one kind of thing (`space` is a letter) of one
// database ("" for cluster-wide things).
std::string RefName(char space, const std::string& database, const std::string& a,
                    const std::string& b = "");

// Orders one site's drafts and turns them into actions with ids first_id, first_id+1, ...
// The order is the drafts' rank (stage, database, phase, order_key, position) except where a
// dependency needs an action earlier; every dependency precedes its dependent. A dependency
// cycle (only possible through names guessed from definition text) is broken by dropping the
// edges into the lowest-ranked action of the cycle. Deterministic.
std::vector<Action> OrderDrafts(std::vector<DraftAction> drafts, int first_id);

}  // namespace pgtwin
