#include "model/spec.h"

namespace pgtwin {
namespace {

// A conninfo value as libpq reads it: as is when it is plain, else in single quotes with
// backslashes and quotes escaped (so Londiste's locations read as DBAs write them).
std::string Quoted(const std::string& value) {
  bool plain = !value.empty() && value.find_first_of(" \t\n\\'") == std::string::npos;
  if (plain) return value;
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

}  // namespace

std::string SpecError::ToString() const {
  if (where.line == 0) return where.file + ": " + message;
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
         ": " + message;
}

std::string SiteSpec::Conninfo(const std::string& dbname) const {
  std::string out = "host=" + Quoted(host) + " port=" + std::to_string(port);
  if (!user.empty()) out += " user=" + Quoted(user);
  if (!dbname.empty()) out += " dbname=" + Quoted(dbname);
  return out;
}

std::string SiteSpec::DisplayName() const {
  std::string out = "postgresql://";
  if (!user.empty()) out += user + "@";
  bool ipv6 = host.find(':') != std::string::npos;
  out += ipv6 ? "[" + host + "]" : host;
  return out + ":" + std::to_string(port);
}

}  // namespace pgtwin
