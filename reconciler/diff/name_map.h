#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/object.h"
#include "model/status.h"

namespace re2 {
class RE2;
}

namespace pgtwin {

// Renames applied to the source side before comparing (`--map 'REGEX=REPLACEMENT'`), so that
// Prod's `accountdb_p255` compares with Test's `accountdb_p001`. Rules apply in the order they
// were added, each as an RE2 GlobalReplace (`\1` … `\9` refer to groups, `\0` to the match).
class NameMap {
 public:
  NameMap();
  ~NameMap();
  NameMap(NameMap&&) noexcept;
  NameMap& operator=(NameMap&&) noexcept;

  // Adds the rule given as a `--map` flag value. The value splits at its LAST '=' that is not
  // escaped by a backslash: the regex may contain '=' freely, and a '=' in the replacement is
  // written `\=`. Errors read "--map 'ARG': message" (no '=', empty or invalid regex, a
  // replacement referring to a group the regex lacks).
  Status AddFlag(std::string_view arg);

  bool empty() const { return rules_.empty(); }

  // Applies every rule to `text`; true when the text changed.
  bool Rewrite(std::string* text) const;

  // Rewrites the names of every object below `root`, and the attribute names and values of
  // `root` and every object below it; the root's own name is kept (roots are compared whatever
  // their names). Restores canonical order afterwards and drops attributes that became empty.
  // When a renamed object takes the name of a sibling of its kind that was not renamed, the
  // renamed one stays and the other is removed (`--map p255=p001` compares Prod's p255, not its
  // p001, with Test's p001); returns how many objects were displaced so. Fails, naming both,
  // when two renamed siblings of one kind end up with the same name.
  StatusOr<size_t> Apply(Object* root) const;

 private:
  struct Rule {
    std::unique_ptr<re2::RE2> regex;
    std::string replacement;
  };

  Status ApplyBelow(Object* object, size_t* displaced) const;

  std::vector<Rule> rules_;
};

}  // namespace pgtwin
