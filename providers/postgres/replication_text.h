#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Text formats of PgQ, Londiste and PL/Proxy configuration, decoded for the catalog model.
namespace pgtwin::replication_text {

// Skytools' db_urldecode: splits `text` on '&', each part on its first '=', and unquotes both
// sides (unquote_plus: '+' is a space, %xx a byte). A part without '=' has an empty value.
// Empty parts are skipped; the order is kept.
std::vector<std::pair<std::string, std::string>> UrlDecodePairs(std::string_view text);

// A Londiste handler string `name(args)` ("part(key=id)", "shard(key=id,hash_key=h)") as its
// name and arguments, as londiste's handler._parse_handler reads it: ',' separates the
// arguments, each urldecoded. A string without '(' is a name without arguments.
struct Handler {
  std::string name;
  std::vector<std::pair<std::string, std::string>> args;
};
Handler ParseHandler(std::string_view text);

// A libpq connection string (key=value or URI) without its secrets: the password and
// sslpassword keywords (key=value form, quoted values included) and the password of a URI's
// user info and query are removed; everything else is kept as written.
std::string RedactConnstr(std::string_view connstr);

}  // namespace pgtwin::replication_text
