#include "model/object.h"

#include <algorithm>

namespace pgtwin {
namespace {

const std::string& EmptyString() {
  static const std::string kEmpty;
  return kEmpty;
}

}  // namespace

void Object::SetAttr(std::string_view name, std::string value) {
  auto it = std::find_if(attrs_.begin(), attrs_.end(),
                         [&](const Attribute& a) { return a.name == name; });
  if (value.empty()) {
    if (it != attrs_.end()) attrs_.erase(it);
    return;
  }
  if (it != attrs_.end()) {
    it->value = std::move(value);
    return;
  }
  // Inserted before the first attribute named after it: attributes set only through here stay
  // sorted, which spares Normalize() the work.
  auto at =
      std::find_if(attrs_.begin(), attrs_.end(), [&](const Attribute& a) { return name < a.name; });
  attrs_.insert(at, {std::string(name), std::move(value)});
}

void Object::SetFlag(std::string_view name, bool value) { SetAttr(name, value ? "true" : ""); }

const std::string& Object::Attr(std::string_view name) const {
  for (const Attribute& a : attrs_) {
    if (a.name == name) return a.value;
  }
  return EmptyString();
}

bool Object::HasAttr(std::string_view name) const {
  return std::any_of(attrs_.begin(), attrs_.end(),
                     [&](const Attribute& a) { return a.name == name; });
}

Object& Object::AddChild(Object child) {
  children_.push_back(std::move(child));
  return children_.back();
}

Object& Object::AddChild(ObjectKind kind, std::string name) {
  return AddChild(Object(kind, std::move(name)));
}

const Object* Object::FindChild(ObjectKind kind, std::string_view name) const {
  for (const Object& c : children_) {
    if (c.kind_ == kind && c.name_ == name) return &c;
  }
  return nullptr;
}

Object* Object::FindChild(ObjectKind kind, std::string_view name) {
  return const_cast<Object*>(std::as_const(*this).FindChild(kind, name));
}

void Object::Normalize() {
  std::sort(attrs_.begin(), attrs_.end(),
            [](const Attribute& a, const Attribute& b) { return a.name < b.name; });
  for (Object& c : children_) c.Normalize();
  std::sort(children_.begin(), children_.end(), SiblingLess);
}

size_t Object::DescendantCount() const {
  size_t n = children_.size();
  for (const Object& c : children_) n += c.DescendantCount();
  return n;
}

bool SiblingLess(const Object& a, const Object& b) {
  if (a.kind() != b.kind()) return a.kind() < b.kind();
  return a.name() < b.name();
}

}  // namespace pgtwin
