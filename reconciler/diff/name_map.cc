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

bool SameKey(const Object& a, const Object& b) {
  return a.kind() == b.kind() && a.name() == b.name();
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

StatusOr<size_t> NameMap::Apply(Object* root) const {
  size_t displaced = 0;
  if (rules_.empty()) return displaced;
  if (Status status = ApplyBelow(root, &displaced); !status.ok()) return status;
  return displaced;
}

Status NameMap::ApplyBelow(Object* object, size_t* displaced) const {
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
    auto dup =
        std::adjacent_find(attrs.begin(), attrs.end(),
                           [](const Attribute& a, const Attribute& b) { return a.name == b.name; });
    if (dup != attrs.end()) {
      return Status(StatusCode::kInvalidArgument,
                    "--map: two attributes of source " + std::string(KindName(object->kind())) +
                        " '" + object->name() + "' would both be named '" + dup->name + "'");
    }
  }

  std::vector<Object>& children = object->mutable_children();
  std::vector<std::string> before(children.size());  // original names of renamed children
  std::vector<bool> renamed(children.size());
  bool any_renamed = false;
  for (size_t i = 0; i < children.size(); ++i) {
    std::string name = children[i].name();
    if (Rewrite(&name)) {
      before[i] = children[i].name();
      children[i].set_name(std::move(name));
      renamed[i] = any_renamed = true;
    }
    if (Status status = ApplyBelow(&children[i], displaced); !status.ok()) return status;
  }
  if (!any_renamed) return Status::Ok();

  // Canonical order again; among equal keys the renamed child first, so that it displaces an
  // unrenamed sibling that already had its new name.
  std::vector<size_t> order(children.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (SiblingLess(children[a], children[b])) return true;
    if (SiblingLess(children[b], children[a])) return false;
    return renamed[a] && !renamed[b];
  });
  std::vector<Object> sorted;
  sorted.reserve(children.size());
  size_t kept = 0;  // index in `children` of sorted.back()
  for (size_t i : order) {
    if (!sorted.empty() && SameKey(sorted.back(), children[i])) {
      if (renamed[i]) {  // renamed sort first, so the kept one was renamed too
        std::string kind(KindName(children[i].kind()));
        std::string first = std::min(before[kept], before[i]);
        std::string second = std::max(before[kept], before[i]);
        return Status(StatusCode::kInvalidArgument,
                      "--map: source " + kind + " '" + first + "' and " + kind + " '" + second +
                          "' would both be named '" + children[i].name() + "'");
      }
      if (renamed[kept]) {
        ++*displaced;
        continue;
      }
    }
    kept = i;
    sorted.push_back(std::move(children[i]));
  }
  children = std::move(sorted);
  return Status::Ok();
}

}  // namespace pgtwin
