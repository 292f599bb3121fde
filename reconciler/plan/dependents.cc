#include "reconciler/plan/dependents.h"

#include <algorithm>

#include "reconciler/plan/object_places.h"
#include "reconciler/plan/references.h"

namespace pgtwin {
namespace {

bool Mentions(std::string_view text, const QualifiedRef& name) {
  if (text.empty()) return false;
  std::vector<QualifiedRef> refs = MentionedNames(text);
  return std::find(refs.begin(), refs.end(), name) != refs.end();
}

bool SameSet(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  return a == b;
}

// The columns of a primary key, unique constraint or unique index; empty when not one or
// when they do not parse.
std::vector<std::string> KeyColumns(const Object& key) {
  if (key.kind() == ObjectKind::kIndex) return ColumnListAfter(key.Attr("definition"), " USING ");
  return ColumnListAfter(key.Attr("definition"), key.Attr("type") == "p" ? "KEY" : "UNIQUE");
}

bool IsKey(const Object& object) {
  if (object.kind() == ObjectKind::kIndex) {
    return object.Attr("definition").starts_with("CREATE UNIQUE");
  }
  const std::string& type = object.Attr("type");
  return object.kind() == ObjectKind::kConstraint && (type == "p" || type == "u");
}

// What a replaced object is to the objects that use it.
struct Target {
  enum Shape { kNamed, kKey, kColumn } shape = kNamed;
  ObjectKind kind = ObjectKind::kTable;
  QualifiedRef name;                 // kNamed: schema and bare name; else its table
  std::vector<std::string> columns;  // kKey: the key's columns (empty: unknown); kColumn: it
};

bool IsForeignKeyOn(const Object& constraint, const Target& target) {
  if (constraint.kind() != ObjectKind::kConstraint || constraint.Attr("type") != "f") return false;
  const std::string& definition = constraint.Attr("definition");
  std::optional<QualifiedRef> table = ForeignKeyTable(definition);
  if (!table || *table != target.name) return false;
  if (target.shape == Target::kNamed) return true;
  std::vector<std::string> referenced = ColumnListAfter(definition, "REFERENCES ");
  if (target.shape == Target::kColumn) {
    return referenced.empty() || std::find(referenced.begin(), referenced.end(),
                                           target.columns.front()) != referenced.end();
  }
  return referenced.empty() || target.columns.empty() || SameSet(referenced, target.columns);
}

class Finder {
 public:
  explicit Finder(Target target) : target_(std::move(target)) {}

  void Relation(const Object& relation, const std::string& schema) {
    bool own = schema == target_.name.first && relation.name() == target_.name.second;
    bool named = target_.shape == Target::kNamed;
    // A replaced relation's own parts go and come back with it.
    if (named && own && IsRelation(target_.kind)) return;
    // (A table is replaced only when its partitioning changes: no inheritance child can be in
    // the way, and DROP TABLE takes its partitions, which RecreatePartitions creates again.)
    std::string qualified = schema + "." + relation.name();
    for (const Object& part : relation.children()) {
      Part(part, relation, schema, own, qualified + "." + part.name());
    }
  }

  void SchemaObject(const Object& object, const std::string& schema, const Object& replaced) {
    if (&object == &replaced) return;
    std::string qualified = schema + "." + object.name();
    if (object.kind() == ObjectKind::kSequence) {
      const std::string& owner = object.Attr("owned_by");
      std::string table = target_.name.first + "." + target_.name.second;
      bool owned = target_.shape == Target::kColumn
                       ? owner == table + "." + target_.columns.front()
                       : target_.kind == ObjectKind::kTable && owner.starts_with(table + ".") &&
                             owner.find('.', table.size() + 1) == std::string::npos;
      if (owned && target_.shape != Target::kKey) {
        Add(object, schema, "", DependentUse::kOwnedSequence, "");
      }
      return;
    }
    if (target_.shape != Target::kNamed) return;
    if (IsRoutineKind(object.kind()) && Mentions(ReferenceText(object, false), target_.name)) {
      Add(object, schema, "", DependentUse::kRecreate, "");
    } else if (object.kind() == ObjectKind::kType &&
               Mentions(ReferenceText(object, false), target_.name)) {
      Add(object, schema, "", DependentUse::kBlocks, "type " + qualified + " uses it");
    }
  }

  std::vector<Dependent> Take() { return std::move(found_); }

 private:
  void Part(const Object& part, const Object& relation, const std::string& schema, bool own,
            const std::string& qualified) {
    if (IsForeignKeyOn(part, target_)) {
      // A key's own table's other parts stay; a column's own table's foreign keys on it are
      // taken by RecreatePartsOnColumn when they name it, and by this when they reference it.
      Add(part, schema, relation, DependentUse::kRecreate, "");
      return;
    }
    if (target_.shape == Target::kColumn) {
      if (own && part.kind() == ObjectKind::kTrigger &&
          MentionsIdentifier(part.Attr("definition"), target_.columns.front())) {
        Add(part, schema, relation, DependentUse::kRecreate, "");
      }
      return;
    }
    if (target_.shape != Target::kNamed) return;
    if (part.kind() == ObjectKind::kColumn) {
      if (relation.kind() != ObjectKind::kTable) return;
      if (Mentions(part.Attr("type"), target_.name)) {
        Add(part, schema, relation, DependentUse::kBlocks, "column " + qualified + " uses it");
      } else if (Mentions(part.Attr("generated"), target_.name)) {
        Add(part, schema, relation, DependentUse::kBlocks,
            "generated column " + qualified + " uses it");
      } else if (Mentions(part.Attr("default"), target_.name)) {
        Add(part, schema, relation, DependentUse::kDefault, "");
      }
      return;
    }
    if (part.kind() == ObjectKind::kConstraint && part.Attr("type") == "f") return;
    if (Mentions(part.Attr("definition"), target_.name)) {
      Add(part, schema, relation, DependentUse::kRecreate, "");
    }
  }

  void Add(const Object& object, const std::string& schema, const Object& relation,
           DependentUse use, std::string why) {
    Dependent& d = Add(object, schema, relation.name(), use, std::move(why));
    d.relation_kind = relation.kind();
  }

  Dependent& Add(const Object& object, const std::string& schema, std::string relation,
                 DependentUse use, std::string why) {
    Dependent& d = found_.emplace_back();
    d.object = &object;
    d.schema = schema;
    d.relation = std::move(relation);
    d.use = use;
    d.why = std::move(why);
    return d;
  }

  Target target_;
  std::vector<Dependent> found_;
};

}  // namespace

bool IsRoutineKind(ObjectKind kind) {
  return kind == ObjectKind::kFunction || kind == ObjectKind::kProcedure ||
         kind == ObjectKind::kAggregate;
}

bool HasDependents(const Object& database, const Object& object, const std::string& schema) {
  if (!FindDependents(database, object, schema, "").empty()) return true;
  QualifiedRef name{schema, BareName(object)};
  for (const Object& node : database.children()) {
    if (node.kind() != ObjectKind::kSchema) continue;
    for (const Object& child : node.children()) {
      bool view =
          child.kind() == ObjectKind::kView || child.kind() == ObjectKind::kMaterializedView;
      if (view && Mentions(child.Attr("definition"), name)) return true;
    }
  }
  return false;
}

std::vector<Dependent> FindDependents(const Object& database, const Object& replaced,
                                      const std::string& schema, const std::string& relation) {
  Target target;
  target.kind = replaced.kind();
  if (replaced.kind() == ObjectKind::kColumn) {
    target.shape = Target::kColumn;
    target.name = {schema, relation};
    target.columns = {replaced.name()};
  } else if (IsKey(replaced)) {
    target.shape = Target::kKey;
    target.name = {schema, relation};
    target.columns = KeyColumns(replaced);
  } else if (IsRoutineKind(replaced.kind()) || IsRelation(replaced.kind()) ||
             replaced.kind() == ObjectKind::kType) {
    target.name = {schema, BareName(replaced)};
  } else {
    return {};
  }
  Finder finder(std::move(target));
  for (const Object& node : database.children()) {
    if (node.kind() != ObjectKind::kSchema) continue;
    for (const Object& object : node.children()) {
      if (IsRelation(object.kind())) {
        finder.Relation(object, node.name());
      } else {
        finder.SchemaObject(object, node.name(), replaced);
      }
    }
  }
  return finder.Take();
}

}  // namespace pgtwin
