#pragma once

#include <string>

#include "model/object.h"

namespace pgtwin {

// The object tree as YAML with the same structure as ObjectToJson: a mapping with `kind`,
// `name`, `attrs` (omitted when empty) and `children` (omitted when empty). Names and attribute
// values are double-quoted so that every value reads back as the exact string.
std::string ObjectToYaml(const Object& object);

}  // namespace pgtwin
