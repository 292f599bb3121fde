#pragma once

#include <string>

#include "model/status.h"

namespace pgtwin {

// Resolves `host` (a name or an address literal) through the system resolver to one numeric
// address, IPv4 preferred. NotFound with "cannot resolve host 'H': <reason>" when it fails.
StatusOr<std::string> ResolveAddress(const std::string& host);

}  // namespace pgtwin
