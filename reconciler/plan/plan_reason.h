#pragma once

#include <string>
#include <vector>

#include "model/diff.h"

namespace pgtwin {

// One line describing attribute changes, observed value first: "type: integer -> bigint;
// default: (none) -> 0". Values are shortened and their white space collapsed so the line
// stays readable; a `password` value is never shown.
std::string DescribeChanges(const std::vector<AttributeChange>& changes);

}  // namespace pgtwin
