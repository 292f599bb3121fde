#pragma once

#include <map>
#include <string>

#include "model/object.h"

namespace pgtwin {

// The Prod databases a spec's database name stands for: the database of that exact name, and
// its shards `<name>_p<digits>` (accountdb_p000, accountdb_p001, ...) by shard number.
struct ProdDatabases {
  const Object* plain = nullptr;
  std::map<int, const Object*> shards;
};

// Finds the databases `name` stands for among the children of the Prod cluster tree.
ProdDatabases FindProdDatabases(const Object& prod, const std::string& name);

}  // namespace pgtwin
