#include "providers/yaml/yaml_fields.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <utility>

namespace pgtwin {
namespace {

bool IsPlain(const YAML::Node& node) { return node.Tag() == "?"; }

// True for a plain scalar that YAML 1.2's core schema reads as a number, boolean or null, so
// that editors (and the JSON Schema) see no string in it.
bool IsCoreNonString(const std::string& text) {
  static const RE2* const kNonString = new RE2(
      "[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|"
      "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|"
      "[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|"
      "true|True|TRUE|false|False|FALSE|~|null|Null|NULL");
  return RE2::FullMatch(text, *kNonString);
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : ", ") + word;
  return out;
}

}  // namespace

SourceLocation ErrorSink::At(const YAML::Mark& mark) const {
  if (mark.is_null()) return SourceLocation{file_, 0, 0};
  return SourceLocation{file_, mark.line + 1, mark.column + 1};
}

void ErrorSink::Add(const YAML::Mark& mark, std::string message) {
  errors_.push_back(SpecError{At(mark), std::move(message)});
}

std::vector<SpecError> ErrorSink::Take() {
  std::stable_sort(errors_.begin(), errors_.end(), [](const SpecError& a, const SpecError& b) {
    return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
  });
  return std::move(errors_);
}

std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      return (IsPlain(node) ? "'" : "a quoted string '") + node.Scalar() + "'";
    default:
      return "nothing";
  }
}

std::string FirstAt(const SourceLocation& first, const SourceLocation& later) {
  if (first.line == later.line) return "(first at column " + std::to_string(first.column) + ")";
  return "(first at line " + std::to_string(first.line) + ")";
}

std::vector<std::pair<std::string, YAML::Node>> MapEntries(const YAML::Node& node) {
  std::vector<std::pair<std::string, YAML::Node>> entries;
  if (!node.IsMap()) return entries;
  for (auto it = node.begin(); it != node.end(); ++it) {
    entries.emplace_back(it->first.IsScalar() ? it->first.Scalar() : "", it->second);
  }
  return entries;
}

MapFields::MapFields(const YAML::Node& node, std::string label, std::vector<std::string> known,
                     ErrorSink& sink)
    : is_map_(node.IsMap()), mark_(node.Mark()), label_(std::move(label)), sink_(sink) {
  if (!is_map_) {
    std::string what = label_.empty() ? "the spec" : label_;
    sink_.Add(mark_, what + ": expected a mapping, got " + Describe(node));
    return;
  }
  std::string in = label_.empty() ? "" : " in " + label_;
  std::vector<std::pair<std::string, SourceLocation>> seen;  // every key so far, where
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      sink_.Add(key.Mark(), "expected a key" + in + ", got " + Describe(key));
      continue;
    }
    const std::string& name = key.Scalar();
    auto first = std::find_if(seen.begin(), seen.end(),
                              [&name](const auto& entry) { return entry.first == name; });
    if (first != seen.end()) {
      sink_.Add(key.Mark(), "duplicate key '" + name + "'" + in + " " +
                                FirstAt(first->second, sink_.At(key.Mark())));
      continue;
    }
    seen.emplace_back(name, sink_.At(key.Mark()));
    if (!known.empty() && std::find(known.begin(), known.end(), name) == known.end()) {
      sink_.Add(key.Mark(), "unknown key '" + name + "'" + in + " (known: " + Join(known) + ")");
      continue;
    }
    entries_.emplace_back(name, it->second);
  }
}

std::optional<YAML::Node> MapFields::Find(std::string_view key) const {
  for (const auto& [name, value] : entries_) {
    if (name == key) return value;
  }
  return std::nullopt;
}

std::optional<YAML::Node> MapFields::Require(std::string_view key) const {
  std::optional<YAML::Node> value = Find(key);
  if (!value && is_map_) {
    sink_.Add(mark_, "missing key '" + std::string(key) + "'" +
                         (label_.empty() ? "" : " in " + label_));
  }
  return value;
}

std::string MapFields::Name(std::string_view key) const {
  return label_.empty() ? std::string(key) : std::string(key) + " in " + label_;
}

std::optional<std::string> ReadString(const YAML::Node& node, const std::string& name,
                                      ErrorSink& sink) {
  if (!node.IsScalar() || node.Scalar().empty()) {
    sink.Add(node.Mark(), name + ": expected a string, got " + Describe(node));
    return std::nullopt;
  }
  if (IsPlain(node) && IsCoreNonString(node.Scalar())) {
    sink.Add(node.Mark(), name + ": expected a string, got " + Describe(node) +
                              " (quote it to mean the text)");
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<int> ReadInt(const YAML::Node& node, const std::string& name, ErrorSink& sink) {
  if (node.IsScalar() && IsPlain(node)) {
    const std::string& text = node.Scalar();
    bool leading_zero = text.size() > 1 && text[0] == '0';
    int value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!leading_zero && error == std::errc() && end == text.data() + text.size()) return value;
  }
  sink.Add(node.Mark(), name + ": expected an integer, got " + Describe(node));
  return std::nullopt;
}

std::optional<bool> ReadBool(const YAML::Node& node, const std::string& name, ErrorSink& sink) {
  if (node.IsScalar() && IsPlain(node)) {
    if (node.Scalar() == "true") return true;
    if (node.Scalar() == "false") return false;
  }
  sink.Add(node.Mark(), name + ": expected true or false, got " + Describe(node));
  return std::nullopt;
}

std::optional<std::vector<YAML::Node>> ReadList(const YAML::Node& node, const std::string& name,
                                                ErrorSink& sink) {
  if (!node.IsSequence()) {
    sink.Add(node.Mark(), name + ": expected a list, got " + Describe(node));
    return std::nullopt;
  }
  std::vector<YAML::Node> items;
  for (const YAML::Node& item : node) items.push_back(item);
  return items;
}

std::optional<std::vector<std::pair<std::string, YAML::Mark>>> ReadStringList(
    const YAML::Node& node, const std::string& name, ErrorSink& sink) {
  std::optional<std::vector<YAML::Node>> items = ReadList(node, name, sink);
  if (!items) return std::nullopt;
  std::vector<std::pair<std::string, YAML::Mark>> out;
  for (const YAML::Node& item : *items) {
    if (std::optional<std::string> text = ReadString(item, name, sink)) {
      out.emplace_back(*text, item.Mark());
    }
  }
  return out;
}

}  // namespace pgtwin
