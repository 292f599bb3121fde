#include "reconciler/plan/plan_policy.h"

#include <re2/re2.h>

namespace pgtwin {

PlanPolicy::PlanPolicy(const PlanOptions& options)
    : prune_(options.prune),
      protect_(Compile(options.protect)),
      skip_roles_(Compile(options.skip_roles)) {}

PlanPolicy::~PlanPolicy() = default;

std::vector<PlanPolicy::Pattern> PlanPolicy::Compile(const std::vector<std::string>& patterns) {
  std::vector<Pattern> compiled;
  for (const std::string& text : patterns) {
    RE2::Options options;
    options.set_log_errors(false);
    compiled.push_back({text, std::make_unique<RE2>(text, options)});
  }
  return compiled;
}

const PlanPolicy::Pattern* PlanPolicy::FirstMatch(const std::vector<Pattern>& patterns,
                                                  std::string_view text) {
  for (const Pattern& pattern : patterns) {
    if (!pattern.regex->ok() || RE2::PartialMatch(text, *pattern.regex)) return &pattern;
  }
  return nullptr;
}

std::string PlanPolicy::Protection(ObjectKind kind, std::string_view qualified_name) const {
  if (kind == ObjectKind::kDatabase && IsSystemDatabase(qualified_name)) {
    return "protected: system database " + std::string(qualified_name);
  }
  const Pattern* match = FirstMatch(protect_, qualified_name);
  if (match == nullptr) return "";
  return "protected by policy: " + match->text + (match->regex->ok() ? "" : " (invalid pattern)");
}

bool PlanPolicy::IsSystemDatabase(std::string_view name) {
  return name == "postgres" || name == "template0" || name == "template1";
}

bool PlanPolicy::SkipsRole(std::string_view name) const {
  return FirstMatch(skip_roles_, name) != nullptr;
}

std::string PlanPolicy::DataLossBlock(ActionOp op, ObjectKind kind, bool destructive) const {
  if (prune_) return "";
  if (op == ActionOp::kDrop) return "dropping needs prune";
  bool holds_data = kind == ObjectKind::kDatabase || kind == ObjectKind::kTable ||
                    kind == ObjectKind::kColumn || kind == ObjectKind::kSequence;
  if (op == ActionOp::kReplace && holds_data) {
    return "replacing a " + std::string(KindName(kind)) + " loses its data: needs prune";
  }
  if (op == ActionOp::kAlter && destructive) return "the change can lose data: needs prune";
  return "";
}

}  // namespace pgtwin
