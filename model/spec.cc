#include "model/spec.h"

#include "model/conninfo_text.h"

namespace pgtwin {
std::string SpecError::ToString() const {
  if (where.line == 0) return where.file + ": " + message;
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
         ": " + message;
}

std::string SiteSpec::Conninfo(const std::string& dbname) const {
  std::string out = "host=" + QuoteConninfoValue(host) + " port=" + std::to_string(port);
  if (!user.empty()) out += " user=" + QuoteConninfoValue(user);
  if (!dbname.empty()) out += " dbname=" + QuoteConninfoValue(dbname);
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
