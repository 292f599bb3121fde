#include "reconciler/plan/plan_reason.h"

#include <optional>

namespace pgtwin {
namespace {

constexpr size_t kMaxValue = 60;

std::string Shown(const std::optional<std::string>& value) {
  if (!value) return "(none)";
  std::string out;
  bool blank = false;
  for (char c : *value) {
    bool is_blank = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (is_blank) {
      blank = !out.empty();
      continue;
    }
    if (blank) out += ' ';
    blank = false;
    out += c;
  }
  if (out.size() > kMaxValue) {
    size_t cut = kMaxValue;
    // Do not split a UTF-8 sequence.
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out = out.substr(0, cut) + "...";
  }
  return out;
}

}  // namespace

std::string DescribeChanges(const std::vector<AttributeChange>& changes) {
  std::string line;
  for (const AttributeChange& change : changes) {
    if (!line.empty()) line += "; ";
    line += change.name;
    if (change.name == "password") {
      line += change.source ? (change.target ? ": differs" : ": missing in Test") : ": not in Prod";
      continue;
    }
    line += ": " + Shown(change.target) + " -> " + Shown(change.source);
  }
  return line;
}

}  // namespace pgtwin
