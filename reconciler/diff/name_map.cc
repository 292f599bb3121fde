#include "reconciler/diff/name_map.h"

#include <re2/re2.h>

#include <algorithm>
#include <utility>

namespace pgtwin {
namespace {

// Splits a `--map` value at its last unescaped '=' into the regex and the replacement (with
// `\=` turned into '='); false when there is no unescaped '='.
bool SplitMapArg(std::string_view arg, std::string* regex, std::string* replacement) {
  size_t split = std::string_view::npos;
  for (size_t i = 0; i < arg.size(); ++i) {
    if (arg[i] == '\\') {
      ++i;  // the escaped character is never a separator
    } else if (arg[i] == '=') {
      split = i;
    }
  }
  if (split == std::string_view::npos) return false;
  *regex = std::string(arg.substr(0, split));
  replacement->clear();
  std::string_view rest = arg.substr(split + 1);
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '\\' && i + 1 < rest.size()) {
      if (rest[i + 1] != '=') *replacement += '\\';
      *replacement += rest[++i];
    } else {
      *replacement += rest[i];
    }
  }
  return true;
}

bool AttributeLess(const Attribute& a, const Attribute& b) { return a.name < b.name; }

// A child renamed by the map: its kind, its name before and after.
struct Rename {
  ObjectKind kind;
  std::string before;
  std::string after;
};

// The source names that became `kind` `name` (at least two when called on a collision).
std::string CollisionMessage(const std::vector<Rename>& renames, ObjectKind kind,
                             const std::string& name) {
  std::vector<std::string> origins;
  for (const Rename& r : renames) {
    if (r.kind == kind && r.after == name) origins.push_back(r.before);
  }
  if (origins.size() < 2) origins.push_back(name);  // one sibling already had the name
  std::sort(origins.begin(), origins.end());
  std::string kind_name(KindName(kind));
  return "--map: source " + kind_name + " '" + origins[0] + "' and " + kind_name + " '" +
         origins[1] + "' would both be named '" + name + "'";
}

}  // namespace

NameMap::NameMap() = default;
NameMap::~NameMap() = default;
NameMap::NameMap(NameMap&&) noexcept = default;
NameMap& NameMap::operator=(NameMap&&) noexcept = default;

Status NameMap::AddFlag(std::string_view arg) {
  auto fail = [&](const std::string& message) {
    return Status(StatusCode::kInvalidArgument, "--map '" + std::string(arg) + "': " + message);
  };
  Rule rule;
  std::string pattern;
  if (!SplitMapArg(arg, &pattern, &rule.replacement)) {
    return fail("expected REGEX=REPLACEMENT");
  }
  if (pattern.empty()) return fail("empty regex");
  RE2::Options options;
  options.set_log_errors(false);
  rule.regex = std::make_unique<re2::RE2>(pattern, options);
  if (!rule.regex->ok()) return fail("invalid regex: " + rule.regex->error());
  std::string error;
  if (!rule.regex->CheckRewriteString(rule.replacement, &error)) {
    return fail("invalid replacement: " + error);
  }
  rules_.push_back(std::move(rule));
  return Status::Ok();
}

bool NameMap::Rewrite(std::string* text) const {
  bool changed = false;
  for (const Rule& rule : rules_) {
    if (RE2::GlobalReplace(text, *rule.regex, rule.replacement) > 0) changed = true;
  }
  return changed;
}

Status NameMap::Apply(Object* root) const {
  if (rules_.empty()) return Status::Ok();
  return ApplyBelow(root);
}

Status NameMap::ApplyBelow(Object* object) const {
  std::vector<Attribute>& attrs = object->mutable_attrs();
  bool attr_renamed = false;
  bool value_emptied = false;
  for (Attribute& attr : attrs) {
    if (Rewrite(&attr.name)) attr_renamed = true;
    if (Rewrite(&attr.value) && attr.value.empty()) value_emptied = true;
  }
  if (value_emptied) {
    std::erase_if(attrs, [](const Attribute& a) { return a.value.empty(); });
  }
  if (attr_renamed) {
    std::sort(attrs.begin(), attrs.end(), AttributeLess);
    auto dup = std::adjacent_find(attrs.begin(), attrs.end(),
                                  [](const Attribute& a, const Attribute& b) {
                                    return a.name == b.name;
                                  });
    if (dup != attrs.end()) {
      return Status(StatusCode::kInvalidArgument,
                    "--map: two attributes of source " + std::string(KindName(object->kind())) +
                        " '" + object->name() + "' would both be named '" + dup->name + "'");
    }
  }

  std::vector<Object>& children = object->mutable_children();
  std::vector<Rename> renames;
  for (Object& child : children) {
    std::string name = child.name();
    if (Rewrite(&name)) {
      renames.push_back({child.kind(), child.name(), name});
      child.set_name(std::move(name));
    }
    if (Status status = ApplyBelow(&child); !status.ok()) return status;
  }
  if (!renames.empty()) {
    std::sort(children.begin(), children.end(), SiblingLess);
    auto dup = std::adjacent_find(children.begin(), children.end(),
                                  [](const Object& a, const Object& b) {
                                    return a.kind() == b.kind() && a.name() == b.name();
                                  });
    if (dup != children.end()) {
      return Status(StatusCode::kInvalidArgument,
                    CollisionMessage(renames, dup->kind(), dup->name()));
    }
  }
  return Status::Ok();
}

}  // namespace pgtwin
