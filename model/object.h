#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/object_kind.h"

namespace pgtwin {

// One attribute of an object: a name and its canonical text value.
struct Attribute {
  std::string name;
  std::string value;

  friend bool operator==(const Attribute&, const Attribute&) = default;
};

// A node of the catalog tree: a cluster, a role, a database, a table, a column, ...
//
// Canonical form (what every provider produces and every consumer may rely on):
// - `name` is unique among siblings of the same kind. It is the object's own name, not
//   qualified ("invoices", not "billing.invoices"); functions, procedures and aggregates carry
//   their identity arguments ("f(integer, text)") so overloads are distinct.
// - An attribute with an empty value is not stored: absent means "not set / default".
//   Booleans are stored as "true" only when true.
// - `attrs` are sorted by name, `children` by (kind, name). Normalize() establishes both.
//
// The same tree describes a snapshot, a desired state and an observed state.
class Object {
 public:
  Object() = default;
  Object(ObjectKind kind, std::string name) : kind_(kind), name_(std::move(name)) {}

  ObjectKind kind() const { return kind_; }
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }

  const std::vector<Attribute>& attrs() const { return attrs_; }
  std::vector<Attribute>& mutable_attrs() { return attrs_; }
  const std::vector<Object>& children() const { return children_; }
  std::vector<Object>& mutable_children() { return children_; }

  // Sets an attribute, replacing an existing one; an empty value removes it.
  void SetAttr(std::string_view name, std::string value);
  // Sets a boolean attribute: stored as "true" when true, removed when false.
  void SetFlag(std::string_view name, bool value);
  // The attribute's value, or "" when absent.
  const std::string& Attr(std::string_view name) const;
  bool HasAttr(std::string_view name) const;

  // Appends a child and returns it. Call Normalize() once the tree is built.
  Object& AddChild(Object child);
  Object& AddChild(ObjectKind kind, std::string name);
  // The child of that kind and name, or nullptr.
  const Object* FindChild(ObjectKind kind, std::string_view name) const;
  Object* FindChild(ObjectKind kind, std::string_view name);

  // Sorts attributes and children recursively into canonical order.
  void Normalize();
  // Number of objects below this one (not counting itself).
  size_t DescendantCount() const;

  friend bool operator==(const Object&, const Object&) = default;

 private:
  ObjectKind kind_ = ObjectKind::kCluster;
  std::string name_;
  std::vector<Attribute> attrs_;
  std::vector<Object> children_;
};

// Orders siblings canonically: by kind (declaration order), then by name.
bool SiblingLess(const Object& a, const Object& b);

}  // namespace pgtwin
