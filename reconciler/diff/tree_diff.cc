#include "reconciler/diff/tree_diff.h"

#include <string>
#include <string_view>
#include <vector>

namespace pgtwin {
namespace {

// One merge walk over two trees, collecting entries into a DiffResult.
class TreeDiffer {
 public:
  explicit TreeDiffer(const IgnoreRules& ignore) : ignore_(ignore) {}

  DiffResult Run(const Object& source, const Object& target) {
    const std::string& name = target.kind() == ObjectKind::kCluster ? kNoName : target.name();
    ComparePair(source, target, name);
    return std::move(result_);
  }

 private:
  // An ancestor on the walk's current path.
  struct Step {
    ObjectKind kind;
    const std::string* name;
  };

  static inline const std::string kNoName;

  // Compares two objects known to match: their attributes, then their children.
  void ComparePair(const Object& source, const Object& target, const std::string& name) {
    std::vector<AttributeChange> changes = CompareAttrs(source, target);
    if (!changes.empty()) {
      DiffEntry& entry = Emit(ChangeKind::kChanged, target.kind(), name);
      entry.attrs = std::move(changes);
      entry.source = &source;
      entry.target = &target;
    }
    bool on_path = target.kind() != ObjectKind::kCluster;
    if (on_path) path_.push_back({target.kind(), &name});
    CompareChildren(source, target);
    if (on_path) path_.pop_back();
  }

  // Merge walk over two attribute lists sorted by name.
  static std::vector<AttributeChange> CompareAttrs(const Object& source, const Object& target) {
    std::vector<AttributeChange> changes;
    const std::vector<Attribute>& s = source.attrs();
    const std::vector<Attribute>& t = target.attrs();
    size_t i = 0;
    size_t j = 0;
    while (i < s.size() || j < t.size()) {
      int order = i == s.size() ? 1 : j == t.size() ? -1 : s[i].name.compare(t[j].name);
      if (order < 0) {
        changes.push_back({s[i].name, s[i].value, std::nullopt});
        ++i;
      } else if (order > 0) {
        changes.push_back({t[j].name, std::nullopt, t[j].value});
        ++j;
      } else {
        if (s[i].value != t[j].value) changes.push_back({s[i].name, s[i].value, t[j].value});
        ++i;
        ++j;
      }
    }
    return changes;
  }

  // Merge walk over two child lists sorted by (kind, name).
  void CompareChildren(const Object& source, const Object& target) {
    const std::vector<Object>& s = source.children();
    const std::vector<Object>& t = target.children();
    size_t i = 0;
    size_t j = 0;
    while (i < s.size() || j < t.size()) {
      int order = i == s.size() ? 1 : j == t.size() ? -1 : Order(s[i], t[j]);
      if (order < 0) {
        ReportOneSided(ChangeKind::kSourceOnly, s[i++]);
      } else if (order > 0) {
        ReportOneSided(ChangeKind::kTargetOnly, t[j++]);
      } else {
        if (IsIgnored(s[i])) {
          ++result_.summary.ignored;
        } else {
          ComparePair(s[i], t[j], t[j].name());
        }
        ++i;
        ++j;
      }
    }
  }

  static int Order(const Object& a, const Object& b) {
    if (a.kind() != b.kind()) return a.kind() < b.kind() ? -1 : 1;
    return a.name().compare(b.name());
  }

  void ReportOneSided(ChangeKind change, const Object& object) {
    if (IsIgnored(object)) {
      ++result_.summary.ignored;
      return;
    }
    DiffEntry& entry = Emit(change, object.kind(), object.name());
    (change == ChangeKind::kSourceOnly ? entry.source : entry.target) = &object;
  }

  bool IsIgnored(const Object& object) const {
    if (!ignore_.HasRulesFor(object.kind())) return false;
    return ignore_.Matches(object.kind(), object.name(),
                           QualifiedName(object.kind(), object.name()));
  }

  // The qualified name of a child of the current path (docs/model.md "Keys"): the names from
  // the enclosing schema (or PgQ queue, pgq_node node) down, joined by '.'; just the name
  // outside of them.
  std::string QualifiedName(ObjectKind kind, const std::string& name) const {
    if (kind == ObjectKind::kCluster) return {};
    std::string qualified;
    bool in_schema = false;
    for (const Step& step : path_) {
      if (QualifiesChildren(step.kind)) in_schema = true;
      if (in_schema) {
        qualified += *step.name;
        qualified += '.';
      }
    }
    qualified += name;
    return qualified;
  }

  // Appends an entry for an object that is a child of the current path.
  DiffEntry& Emit(ChangeKind change, ObjectKind kind, const std::string& name) {
    DiffEntry& entry = result_.entries.emplace_back();
    entry.change = change;
    entry.kind = kind;
    entry.name = name;
    entry.qualified_name = QualifiedName(kind, name);
    entry.path.reserve(path_.size());
    for (const Step& step : path_) {
      entry.path.push_back({step.kind, *step.name});
      if (step.kind == ObjectKind::kDatabase) entry.database = *step.name;
    }
    KindCounts& counts = result_.summary.by_kind[kind];
    switch (change) {
      case ChangeKind::kSourceOnly:
        ++counts.source_only;
        break;
      case ChangeKind::kTargetOnly:
        ++counts.target_only;
        break;
      case ChangeKind::kChanged:
        ++counts.changed;
        break;
    }
    return entry;
  }

  const IgnoreRules& ignore_;
  std::vector<Step> path_;
  DiffResult result_;
};

}  // namespace

DiffResult DiffTrees(const Object& source, const Object& target, const IgnoreRules& ignore) {
  return TreeDiffer(ignore).Run(source, target);
}

}  // namespace pgtwin
