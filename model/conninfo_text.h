#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pgtwin {

// One keyword of a libpq key=value connection string.
struct ConninfoWord {
  std::string key;
  std::string value;      // unquoted: quotes removed, backslash escapes resolved
  std::string_view text;  // the keyword as written ("password = 'x y'"), a view into the input
};

// The keywords of a key=value connection string as libpq reads it: separated by white space,
// '=' optionally surrounded by spaces, a value optionally single-quoted with backslash
// escapes. A keyword without '=' has an empty value. Views in `text` point into `conninfo`.
std::vector<ConninfoWord> SplitConninfo(std::string_view conninfo);

// A conninfo value as libpq reads it: as is when it is plain, else in single quotes with
// backslashes and quotes escaped (so Londiste's locations read as DBAs write them).
std::string QuoteConninfoValue(const std::string& value);

}  // namespace pgtwin
