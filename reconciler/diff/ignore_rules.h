#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "model/object_kind.h"
#include "model/status.h"

namespace re2 {
class RE2;
}

namespace pgtwin {

// Rules that make the diff skip objects (and everything below them) on both sides.
//
// A rule is `KIND:REGEX`: KIND is a kind word of docs/model.md ("table", "trigger", ...) or `*`
// for every kind; REGEX is an RE2 regex that must partially match the object's own name or its
// qualified name ("billing.invoices"), so `trigger:^_londiste_` and `table:^audit\.` both work.
class IgnoreRules {
 public:
  IgnoreRules();
  ~IgnoreRules();
  IgnoreRules(IgnoreRules&&) noexcept;
  IgnoreRules& operator=(IgnoreRules&&) noexcept;

  // Adds the rule given as an `--ignore` flag value. Errors read "--ignore 'ARG': message".
  Status AddFlag(std::string_view arg);

  // Adds the rules of an ignore file: one rule per line; blank lines and lines whose first
  // non-blank character is `#` are skipped; surrounding white space is trimmed. Errors read
  // "FILE:LINE:COL: message" with 1-based line and column; no rule is added on error.
  Status AddFile(std::string_view file_name, std::string_view text);

  // True when some rule applies to objects of this kind.
  bool HasRulesFor(ObjectKind kind) const;

  // True when some rule for `kind` matches `name` or `qualified_name`.
  bool Matches(ObjectKind kind, std::string_view name, std::string_view qualified_name) const;

 private:
  struct Rule {
    std::optional<ObjectKind> kind;  // nullopt: every kind
    std::unique_ptr<re2::RE2> regex;
  };

  std::vector<Rule> rules_;
};

}  // namespace pgtwin
