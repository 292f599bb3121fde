#include "reconciler/diff/diff_text.h"

#include <cstdio>
#include <string>
#include <vector>

namespace pgtwin {
namespace {

constexpr std::string_view kGreen = "\033[32m";
constexpr std::string_view kRed = "\033[31m";
constexpr std::string_view kYellow = "\033[33m";
constexpr std::string_view kReset = "\033[0m";

std::string QuoteValue(const std::optional<std::string>& value) {
  if (!value) return "(none)";
  std::string quoted = "'";
  for (char c : *value) {
    switch (c) {
      case '\\':
        quoted += "\\\\";
        break;
      case '\'':
        quoted += "\\'";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\t':
        quoted += "\\t";
        break;
      case '\r':
        quoted += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char hex[5];
          std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(c));
          quoted += hex;
        } else {
          quoted += c;
        }
    }
  }
  quoted += '\'';
  return quoted;
}

char Marker(ChangeKind change) {
  switch (change) {
    case ChangeKind::kSourceOnly:
      return '+';
    case ChangeKind::kTargetOnly:
      return '-';
    case ChangeKind::kChanged:
      return '~';
  }
  return '~';
}

std::string_view Color(ChangeKind change) {
  switch (change) {
    case ChangeKind::kSourceOnly:
      return kGreen;
    case ChangeKind::kTargetOnly:
      return kRed;
    case ChangeKind::kChanged:
      return kYellow;
  }
  return kReset;
}

void WriteCounts(const KindCounts& counts, std::ostream& out) {
  out << counts.source_only << " only in source, " << counts.target_only << " only in target, "
      << counts.changed << " changed\n";
}

// Writes the tree: each entry under the path lines of its ancestors not printed yet. A line at
// depth d is indented 2*d and has a two-column marker slot ("+ ", "- ", "~ " or "  ").
void WriteTree(const std::vector<DiffEntry>& entries, bool color, std::ostream& out) {
  std::vector<PathStep> printed;  // the path of the previous entry, itself included
  for (const DiffEntry& entry : entries) {
    size_t common = 0;
    while (common < printed.size() && common < entry.path.size() &&
           printed[common] == entry.path[common]) {
      ++common;
    }
    for (size_t depth = common; depth < entry.path.size(); ++depth) {
      const PathStep& step = entry.path[depth];
      out << std::string(2 * depth + 2, ' ') << KindName(step.kind) << ' ' << step.name << '\n';
    }
    size_t depth = entry.path.size();
    out << std::string(2 * depth, ' ');
    if (color) out << Color(entry.change);
    out << Marker(entry.change) << ' ' << KindName(entry.kind);
    if (entry.kind != ObjectKind::kCluster) out << ' ' << entry.name;
    if (color) out << kReset;
    out << '\n';
    for (const AttributeChange& attr : entry.attrs) {
      out << std::string(2 * depth + 4, ' ') << attr.name << ": " << QuoteValue(attr.source)
          << " != " << QuoteValue(attr.target) << '\n';
    }
    printed = entry.path;
    printed.push_back({entry.kind, entry.name});
  }
}

}  // namespace

void WriteDiffText(const DiffResult& result, std::string_view source_name,
                   std::string_view target_name, bool color, std::ostream& out) {
  out << "source (+): " << source_name << '\n' << "target (-): " << target_name << "\n\n";
  if (result.identical()) {
    out << "No differences.\n";
  } else {
    WriteTree(result.entries, color, out);
    out << '\n';
    for (const auto& [kind, counts] : result.summary.by_kind) {
      out << KindName(kind) << ": ";
      WriteCounts(counts, out);
    }
    out << "total: ";
    WriteCounts(result.summary.Total(), out);
  }
  if (result.summary.ignored > 0) out << "ignored: " << result.summary.ignored << '\n';
}

}  // namespace pgtwin
