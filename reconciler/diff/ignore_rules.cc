#include "reconciler/diff/ignore_rules.h"

#include <re2/re2.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

namespace pgtwin {
namespace {

// Why a rule did not parse: a message and the 0-based offset in the rule text it refers to.
struct RuleError {
  size_t offset;
  std::string message;
};

constexpr std::string_view kBlanks = " \t\r\n";

std::string_view Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(kBlanks);
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(kBlanks);
  return text.substr(begin, end - begin + 1);
}

// Parses "KIND:REGEX" into its kind (nullopt for `*`) and compiled regex.
std::optional<RuleError> ParseRule(std::string_view text, std::optional<ObjectKind>* kind,
                                   std::unique_ptr<re2::RE2>* regex) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return RuleError{0, "expected KIND:REGEX"};
  }
  std::string_view kind_word = text.substr(0, colon);
  std::string_view pattern = text.substr(colon + 1);
  if (kind_word == "*") {
    *kind = std::nullopt;
  } else if (std::optional<ObjectKind> k = KindFromName(kind_word)) {
    *kind = *k;
  } else {
    return RuleError{0, "unknown kind '" + std::string(kind_word) +
                            "' (use a kind word of docs/model.md, or *)"};
  }
  if (pattern.empty()) {
    return RuleError{colon + 1, "empty regex (use .* to match every name)"};
  }
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    return RuleError{colon + 1, "invalid regex: " + re->error()};
  }
  *regex = std::move(re);
  return std::nullopt;
}

}  // namespace

IgnoreRules::IgnoreRules() = default;
IgnoreRules::~IgnoreRules() = default;
IgnoreRules::IgnoreRules(IgnoreRules&&) noexcept = default;
IgnoreRules& IgnoreRules::operator=(IgnoreRules&&) noexcept = default;

Status IgnoreRules::AddFlag(std::string_view arg) {
  Rule rule;
  if (std::optional<RuleError> error = ParseRule(arg, &rule.kind, &rule.regex)) {
    return Status(StatusCode::kInvalidArgument,
                  "--ignore '" + std::string(arg) + "': " + error->message);
  }
  rules_.push_back(std::move(rule));
  return Status::Ok();
}

Status IgnoreRules::AddFile(std::string_view file_name, std::string_view text) {
  std::vector<Rule> parsed;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);

    std::string_view rule_text = Trim(line);
    if (rule_text.empty() || rule_text.front() == '#') continue;
    Rule rule;
    if (std::optional<RuleError> error = ParseRule(rule_text, &rule.kind, &rule.regex)) {
      size_t column = static_cast<size_t>(rule_text.data() - line.data()) + error->offset + 1;
      return Status(StatusCode::kInvalidArgument,
                    std::string(file_name) + ":" + std::to_string(line_number) + ":" +
                        std::to_string(column) + ": " + error->message);
    }
    parsed.push_back(std::move(rule));
  }
  std::move(parsed.begin(), parsed.end(), std::back_inserter(rules_));
  return Status::Ok();
}

bool IgnoreRules::HasRulesFor(ObjectKind kind) const {
  return std::any_of(rules_.begin(), rules_.end(),
                     [&](const Rule& r) { return !r.kind || *r.kind == kind; });
}

bool IgnoreRules::Matches(ObjectKind kind, std::string_view name,
                          std::string_view qualified_name) const {
  for (const Rule& rule : rules_) {
    if (rule.kind && *rule.kind != kind) continue;
    if (RE2::PartialMatch(re2::StringPiece(name.data(), name.size()), *rule.regex) ||
        RE2::PartialMatch(re2::StringPiece(qualified_name.data(), qualified_name.size()),
                          *rule.regex)) {
      return true;
    }
  }
  return false;
}

}  // namespace pgtwin
