#include "reconciler/expand/prod_databases.h"

#include <algorithm>
#include <charconv>

namespace pgtwin {

ProdDatabases FindProdDatabases(const Object& prod, const std::string& name) {
  ProdDatabases found;
  const std::string prefix = name + "_p";
  for (const Object& child : prod.children()) {
    if (child.kind() != ObjectKind::kDatabase) continue;
    const std::string& db = child.name();
    if (db == name) {
      found.plain = &child;
      continue;
    }
    if (db.size() <= prefix.size() || db.compare(0, prefix.size(), prefix) != 0) continue;
    const char* digits = db.data() + prefix.size();
    const char* end = db.data() + db.size();
    if (!std::all_of(digits, end, [](char c) { return c >= '0' && c <= '9'; })) continue;
    int number = 0;
    if (std::from_chars(digits, end, number).ec != std::errc()) continue;
    found.shards.emplace(number, &child);  // p1 and p001: the first by name
  }
  return found;
}

}  // namespace pgtwin
