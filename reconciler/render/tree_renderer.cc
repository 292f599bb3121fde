#include "reconciler/render/tree_renderer.h"

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <vector>

namespace pgtwin {
namespace {

// Values longer than this are left out of the tree.
constexpr size_t kMaxValueLength = 60;

// A headline attribute and whether its value is shown bare (numbers, flags) or quoted.
struct Headline {
  std::string_view attr;
  bool bare;
};

std::vector<Headline> HeadlinesOf(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kCluster:
      return {{"major_version", false}};
    case ObjectKind::kRole:
      return {{"login", true}, {"superuser", true}, {"member_of", false}};
    case ObjectKind::kDatabase:
      return {{"owner", false}, {"encoding", false}};
    case ObjectKind::kExtension:
      return {{"version", false}, {"schema", false}};
    case ObjectKind::kSchema:
    case ObjectKind::kView:
    case ObjectKind::kMaterializedView:
      return {{"owner", false}};
    case ObjectKind::kType:
      return {{"type_kind", false}, {"owner", false}};
    case ObjectKind::kSequence:
      return {{"data_type", false}, {"owned_by", false}};
    case ObjectKind::kTable:
      return {{"partition_by", false}, {"partition_of", false}};
    case ObjectKind::kColumn:
      return {{"position", true}, {"type", false},     {"not_null", true},
              {"default", false}, {"identity", false}, {"generated", false}};
    case ObjectKind::kConstraint:
      return {{"type", false}};
    case ObjectKind::kIndex:
      return {{"clustered", true}};
    case ObjectKind::kTrigger:
      return {{"enabled", false}};
    case ObjectKind::kFunction:
      return {{"language", false}, {"returns", false}, {"volatility", false}};
    case ObjectKind::kProcedure:
      return {{"language", false}};
    case ObjectKind::kAggregate:
      return {{"stype", false}};
    case ObjectKind::kPgqQueue:
    case ObjectKind::kPgqConsumer:
    case ObjectKind::kLondisteSequence:
    case ObjectKind::kPartconf:
    case ObjectKind::kDaemon:
      return {};
    case ObjectKind::kPgqNode:
      return {{"node_type", false}, {"node_name", false}, {"provider_node", false}};
    case ObjectKind::kPgqLocation:
      return {{"dead", true}};
    case ObjectKind::kPgqSubscriber:
      return {{"worker_name", false}};
    case ObjectKind::kLondisteTable:
      return {{"handler", false}, {"merge_state", false}};
    case ObjectKind::kPlproxyCluster:
      return {{"partitions", true}};
  }
  return {};
}

// Quotes like Python's repr(): single quotes, or double quotes when the text holds a single
// quote and no double quote; backslash escapes for the quote, backslash and control characters.
void AppendQuoted(std::string_view text, std::string* out) {
  bool has_single = text.find('\'') != std::string_view::npos;
  char quote = has_single && text.find('"') == std::string_view::npos ? '"' : '\'';
  out->push_back(quote);
  for (char c : text) {
    if (c == quote || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '\t') {
      out->append("\\t");
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(c));
      out->append(hex);
    } else {
      out->push_back(c);
    }
  }
  out->push_back(quote);
}

// "<PgTable 'invoices' (columns: 2) [4]>"
void AppendLabel(const Object& object, std::string* out) {
  out->push_back('<');
  out->append(KindLabel(object.kind()));
  if (!object.name().empty()) {
    out->push_back(' ');
    AppendQuoted(object.name(), out);
  }
  std::string attrs;
  auto separate = [&] {
    if (!attrs.empty()) attrs.append(", ");
  };
  if (object.kind() == ObjectKind::kTable) {
    size_t columns = 0;
    for (const Object& c : object.children()) columns += c.kind() == ObjectKind::kColumn;
    attrs.append("columns: " + std::to_string(columns));
  }
  for (const Headline& h : HeadlinesOf(object.kind())) {
    const std::string& value = object.Attr(h.attr);
    if (value.empty() || value.size() > kMaxValueLength) continue;
    if (value.find('\n') != std::string::npos) continue;
    separate();
    attrs.append(h.attr);
    attrs.append(": ");
    if (h.bare) {
      attrs.append(value);
    } else {
      AppendQuoted(value, &attrs);
    }
  }
  if (!attrs.empty()) out->append(" (" + attrs + ")");
  if (!object.children().empty()) {
    out->append(" [" + std::to_string(object.DescendantCount()) + "]");
  }
  out->push_back('>');
}

// The children as a person reads them: canonical order (by kind, then name), except that a
// table's columns come in their position order, as in CREATE TABLE.
std::vector<const Object*> InReadingOrder(const std::vector<Object>& children) {
  auto position = [](const Object& o) {
    const std::string& p = o.Attr("position");
    return o.kind() == ObjectKind::kColumn && !p.empty() ? std::stol(p) : 0L;
  };
  std::vector<const Object*> ordered;
  ordered.reserve(children.size());
  for (const Object& c : children) ordered.push_back(&c);
  std::sort(ordered.begin(), ordered.end(), [&](const Object* a, const Object* b) {
    if (a->kind() != b->kind()) return a->kind() < b->kind();
    long pa = position(*a), pb = position(*b);
    if (pa != pb) return pa < pb;
    return a->name() < b->name();
  });
  return ordered;
}

// Appends `object` and its subtree: its line is `prefix`, `connector` ('+' or '\\'), then the
// label; its children are drawn under `prefix` + `continuation`.
void AppendSubtree(const Object& object, char connector, std::string_view continuation,
                   std::string* prefix, std::string* out) {
  out->append(*prefix);
  out->push_back(connector);
  out->append(object.children().empty() ? "--= " : "-+= ");
  AppendLabel(object, out);
  out->push_back('\n');
  prefix->append(continuation);
  std::vector<const Object*> children = InReadingOrder(object.children());
  for (size_t i = 0; i < children.size(); ++i) {
    bool last = i + 1 == children.size();
    AppendSubtree(*children[i], last ? '\\' : '+', last ? "  " : "| ", prefix, out);
  }
  prefix->resize(prefix->size() - continuation.size());
}

}  // namespace

std::string RenderTree(const Object& root) {
  std::string out;
  std::string prefix;
  // The root opens with '+' like ddt.py's first line; nothing follows it at its level.
  AppendSubtree(root, '+', "  ", &prefix, &out);
  return out;
}

}  // namespace pgtwin
