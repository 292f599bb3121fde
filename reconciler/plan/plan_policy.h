#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/object_kind.h"
#include "model/plan.h"
#include "reconciler/plan/planner.h"

namespace re2 {
class RE2;
}

namespace pgtwin {

// What PlanOptions allow, as questions the planner asks about single objects and actions.
//
// - Protected: an object whose qualified name (or an ancestor's) a `protect` pattern matches,
//   and the databases postgres, template0 and template1, is never dropped; changing or
//   replacing it is planned blocked. Protection keeps what Test has: an object Test lacks is
//   created, protected or not, unless it goes into an existing protected object (a column or
//   index added to a protected table is a change of that table). An invalid pattern protects
//   everything (fail safe; specs are validated before).
// - Skipped roles (`skip_roles`) are left out entirely: not created, changed, dropped or
//   reported.
// - Prune: without it, actions that can lose data are planned blocked: replacing a database,
//   table, column or sequence (drop and create loses the rows or the value) and alterations
//   the DDL generator calls destructive (a narrowing column type, ...). Unmanaged objects are
//   only dropped with prune.
class PlanPolicy {
 public:
  explicit PlanPolicy(const PlanOptions& options);
  ~PlanPolicy();
  PlanPolicy(const PlanPolicy&) = delete;
  PlanPolicy& operator=(const PlanPolicy&) = delete;

  // Why an object may not be touched ("protected by policy: ^audit\."), or "".
  std::string Protection(ObjectKind kind, std::string_view qualified_name) const;

  // True for postgres, template0 and template1: never changed, dropped nor reported.
  static bool IsSystemDatabase(std::string_view name);

  bool SkipsRole(std::string_view name) const;

  bool prune() const { return prune_; }

  // Why policy forbids an action of this op on this kind (`destructive`: the DDL generator
  // says the alteration can lose data), or "" when it may run.
  std::string DataLossBlock(ActionOp op, ObjectKind kind, bool destructive) const;

 private:
  struct Pattern {
    std::string text;
    std::unique_ptr<re2::RE2> regex;
  };
  static std::vector<Pattern> Compile(const std::vector<std::string>& patterns);
  static const Pattern* FirstMatch(const std::vector<Pattern>& patterns, std::string_view text);

  bool prune_ = false;
  std::vector<Pattern> protect_;
  std::vector<Pattern> skip_roles_;
};

}  // namespace pgtwin
