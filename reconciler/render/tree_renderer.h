#pragma once

#include <string>

#include "model/object.h"

namespace pgtwin {

// Renders a tree, one object per line, in the style of ddt.py:
//
//   +-+= <PgCluster (major_version: '15') [9]>
//     +--= <PgRole 'app' (login: true)>
//     \-+= <PgDatabase 'shop' (owner: 'app', encoding: 'UTF8') [6]>
//       \-+= <PgSchema 'billing' (owner: 'app') [5]>
//         \-+= <PgTable 'invoices' (columns: 2) [4]>
//           +--= <PgColumn 'id' (position: 1, type: 'bigint', not_null: true)>
//           ...
//
// `+-+=` opens an object with children, `+--=` a leaf; `\` marks the last child of its parent
// and `|` continues the line of a parent with more children below. `[N]` counts all
// descendants. A few headline attributes per kind are shown when their values are short and
// single-line; long values (bodies, definitions) are left out. Text is quoted as Python's repr()
// does; numbers and flags are bare. The output ends with a newline.
std::string RenderTree(const Object& root);

}  // namespace pgtwin
