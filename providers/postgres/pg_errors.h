#pragma once

#include <exception>
#include <string>

#include "model/status.h"

namespace pgtwin {

// Maps an exception thrown while connecting to `source` (step empty) or while reading `step`
// from it to a Status with a one-line message "<source>: <what went wrong>". Connection
// errors carry no SQLSTATE in libpqxx 6.4, so they are told apart by libpq's text; query
// errors by SQLSTATE. libpq's messages never contain the password.
Status StatusFromException(const std::exception& e, const std::string& source,
                           const std::string& step);

}  // namespace pgtwin
