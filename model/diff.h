#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/object.h"
#include "model/object_kind.h"

namespace pgtwin {

// How an object differs between the source (e.g. Prod, the desired state) and the target
// (e.g. Test, the observed state).
enum class ChangeKind {
  kSourceOnly,  // exists only in the source: the target lacks it
  kTargetOnly,  // exists only in the target
  kChanged,     // exists on both sides with different attributes
};

// "source_only", "target_only" or "changed": the word used in JSON output.
std::string_view ChangeKindName(ChangeKind change);

// One attribute that differs. nullopt means the attribute is absent on that side.
struct AttributeChange {
  std::string name;
  std::optional<std::string> source;
  std::optional<std::string> target;

  friend bool operator==(const AttributeChange&, const AttributeChange&) = default;
};

// One ancestor of a difference: its kind and own name.
struct PathStep {
  ObjectKind kind;
  std::string name;

  friend bool operator==(const PathStep&, const PathStep&) = default;
};

// One difference. A one-sided object is reported once, at its top: its descendants get no
// entries of their own. Entries are listed in tree order (depth first, siblings by kind and
// name), so a parent always precedes the entries below it.
struct DiffEntry {
  ChangeKind change = ChangeKind::kChanged;
  ObjectKind kind = ObjectKind::kCluster;
  // The object's own name ("invoices", "f(integer)"); "" for the cluster.
  std::string name;
  // The database the object lives in; "" for the cluster, roles and databases.
  std::string database;
  // The qualified name of docs/model.md "Keys" ("billing.invoices"); "" for the cluster.
  std::string qualified_name;
  // The ancestors below the cluster, top first (e.g. database, schema, table).
  std::vector<PathStep> path;
  // The differing attributes, sorted by name; empty unless `change` is kChanged.
  std::vector<AttributeChange> attrs;
  // The object on each side (null on the side that lacks it). They point into the trees that
  // were compared and are valid only as long as those trees live unchanged.
  const Object* source = nullptr;
  const Object* target = nullptr;

  // The stable key "kind:qualified_name" ("table:billing.invoices"); "cluster" for the cluster.
  std::string Key() const;
};

// How many objects of one kind differ.
struct KindCounts {
  size_t source_only = 0;
  size_t target_only = 0;
  size_t changed = 0;

  size_t Total() const { return source_only + target_only + changed; }
  friend bool operator==(const KindCounts&, const KindCounts&) = default;
};

// Differences counted per kind, plus the objects skipped by ignore rules.
struct DiffSummary {
  // Only kinds with at least one difference appear.
  std::map<ObjectKind, KindCounts> by_kind;
  // Objects matched by an ignore rule (on either side, counted once per key; their
  // descendants are not counted).
  size_t ignored = 0;

  // The sum over all kinds.
  KindCounts Total() const;
};

// The outcome of comparing two trees.
struct DiffResult {
  std::vector<DiffEntry> entries;
  DiffSummary summary;

  // True when the trees do not differ (ignored objects do not count).
  bool identical() const { return entries.empty(); }
};

}  // namespace pgtwin
