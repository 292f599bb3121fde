#include "model/diff.h"

namespace pgtwin {

std::string_view ChangeKindName(ChangeKind change) {
  switch (change) {
    case ChangeKind::kSourceOnly:
      return "source_only";
    case ChangeKind::kTargetOnly:
      return "target_only";
    case ChangeKind::kChanged:
      return "changed";
  }
  return "changed";
}

std::string DiffEntry::Key() const {
  std::string key(KindName(kind));
  if (kind == ObjectKind::kCluster) return key;
  key += ':';
  key += qualified_name;
  return key;
}

KindCounts DiffSummary::Total() const {
  KindCounts total;
  for (const auto& [kind, counts] : by_kind) {
    total.source_only += counts.source_only;
    total.target_only += counts.target_only;
    total.changed += counts.changed;
  }
  return total;
}

}  // namespace pgtwin
