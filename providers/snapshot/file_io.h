#pragma once

#include <string>

#include "model/status.h"

namespace pgtwin {

// Reads a whole file. NotFound when it does not exist; the message names the path.
StatusOr<std::string> ReadFileToString(const std::string& path);

// Writes `contents` to `path` through a temporary file in the same directory renamed over the
// target, so a reader sees either the old file or the complete new one, never a partial one.
Status WriteFileAtomically(const std::string& path, const std::string& contents);

}  // namespace pgtwin
