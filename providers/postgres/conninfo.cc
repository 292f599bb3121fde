#include "providers/postgres/conninfo.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "model/conninfo_text.h"

namespace pgtwin {
namespace {

using OptionsPtr = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;

constexpr char kProbeUser[] = "pgtwin-probe-user";
constexpr char kProbeHost[] = "/nonexistent/pgtwin-probe";  // a socket dir that cannot exist

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool IsUri(const std::string& conninfo) {
  return StartsWith(conninfo, "postgresql://") || StartsWith(conninfo, "postgres://");
}

// True when the text may contain a password, so libpq's parse error (which quotes pieces of
// the input) must not be shown.
bool MayHoldPassword(const std::string& conninfo) {
  std::string lower = conninfo;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (lower.find("password") != std::string::npos) return true;
  if (!IsUri(conninfo)) return false;
  size_t at = conninfo.rfind('@');
  return at != std::string::npos && conninfo.find(':', conninfo.find("//") + 2) < at;
}

std::string FirstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  return line;
}

std::vector<std::string> SplitCommas(const std::string& list) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t comma = list.find(',', start);
    parts.push_back(list.substr(start, comma - start));
    if (comma == std::string::npos) return parts;
    start = comma + 1;
  }
}

// A host as it appears in a URI: socket directories percent-encoded, IPv6 in brackets.
std::string UriHost(const std::string& host) {
  if (host.find(':') != std::string::npos) return "[" + host + "]";
  std::string out;
  for (char c : host) out += c == '/' ? std::string("%2F") : std::string(1, c);
  return out;
}

// The value libpq would use without an explicit option: the environment or its default.
std::string DefaultOption(const char* keyword) {
  OptionsPtr defaults(PQconndefaults(), &PQconninfoFree);
  if (!defaults) return "";
  for (PQconninfoOption* o = defaults.get(); o->keyword != nullptr; ++o) {
    if (std::string(o->keyword) == keyword) return o->val != nullptr ? o->val : "";
  }
  return "";
}

}  // namespace

StatusOr<ConnTarget> ConnTarget::Parse(const std::string& conninfo) {
  char* error = nullptr;
  OptionsPtr parsed(PQconninfoParse(conninfo.c_str(), &error), &PQconninfoFree);
  if (!parsed) {
    std::string detail = error != nullptr ? FirstLine(error) : "out of memory";
    PQfreemem(error);
    std::string message = UnparsableDisplayName(conninfo) + ": invalid connection string";
    if (!MayHoldPassword(conninfo)) message += ": " + detail;
    return Status(StatusCode::kInvalidArgument, message);
  }
  ConnTarget target;
  for (PQconninfoOption* o = parsed.get(); o->keyword != nullptr; ++o) {
    if (o->val != nullptr && o->val[0] != '\0') target.options_.emplace_back(o->keyword, o->val);
  }
  return target;
}

const std::string& ConnTarget::Option(const std::string& keyword) const {
  static const std::string kEmpty;
  for (const auto& [key, value] : options_) {
    if (key == keyword) return value;
  }
  return kEmpty;
}

std::string ConnTarget::Display(const std::string& dbname, bool with_database) const {
  const std::string& service = Option("service");
  std::string hosts = Option("host").empty() ? Option("hostaddr") : Option("host");
  std::string ports = Option("port");
  std::string database = dbname.empty() ? Option("dbname") : dbname;
  if (service.empty()) {  // otherwise the service file may name them
    if (hosts.empty()) hosts = DefaultOption("host");
    if (ports.empty()) ports = DefaultOption("port");
    if (database.empty()) database = DefaultOption("dbname");
  }
  std::string out = "postgresql://";
  if (with_database && !Option("user").empty()) out += Option("user") + "@";
  std::vector<std::string> port_list = SplitCommas(ports);
  std::vector<std::string> host_list = SplitCommas(hosts);
  for (size_t i = 0; i < host_list.size(); ++i) {
    if (i > 0) out += ',';
    out += UriHost(host_list[i]);
    const std::string& port = port_list.size() == 1  ? port_list[0]
                              : i < port_list.size() ? port_list[i]
                                                     : port_list.back();
    if (!port.empty()) out += ":" + port;
  }
  if (with_database && !database.empty()) {
    out += "/" + database;
  } else if (!service.empty()) {
    out += "/";
  }
  if (!service.empty()) out += "?service=" + service;
  return out;
}

std::string ConnTarget::DisplayName(const std::string& dbname) const {
  return Display(dbname, true);
}

std::string ConnTarget::ServerDisplayName() const { return Display("", false); }

std::string ConnTarget::ConnString(const std::string& dbname) const {
  std::string out;
  auto add = [&out](const std::string& key, const std::string& value) {
    if (!out.empty()) out += ' ';
    out += key + "=" + QuoteConninfoValue(value);
  };
  for (const auto& [key, value] : options_) {
    if (key == "client_encoding" || (key == "dbname" && !dbname.empty())) continue;
    add(key, value);
  }
  if (!dbname.empty()) add("dbname", dbname);
  if (Option("application_name").empty()) add("application_name", "pgtwin");
  if (Option("connect_timeout").empty()) add("connect_timeout", "10");
  add("client_encoding", "UTF8");
  return out;
}

bool ConnTarget::NamesDatabase() const {
  if (!Option("dbname").empty()) return true;
  // Let libpq resolve the service file and the environment, with the user replaced by a
  // sentinel and a host it cannot reach: a defaulted database then equals the sentinel.
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  for (const auto& [key, value] : options_) {
    if (key == "user" || key == "host" || key == "hostaddr") continue;
    keywords.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  keywords.insert(keywords.end(), {"user", "host", nullptr});
  values.insert(values.end(), {kProbeUser, kProbeHost, nullptr});
  std::unique_ptr<PGconn, decltype(&PQfinish)> probe(
      PQconnectStartParams(keywords.data(), values.data(), 0), &PQfinish);
  if (!probe) return false;
  OptionsPtr resolved(PQconninfo(probe.get()), &PQconninfoFree);
  if (!resolved) return false;
  for (PQconninfoOption* o = resolved.get(); o->keyword != nullptr; ++o) {
    if (std::string(o->keyword) == "dbname") {
      return o->val != nullptr && o->val[0] != '\0' && std::string(o->val) != kProbeUser;
    }
  }
  return false;
}

std::string UnparsableDisplayName(const std::string& conninfo) {
  if (!IsUri(conninfo)) return "conninfo";
  size_t scheme_end = conninfo.find("//") + 2;
  std::string rest = conninfo.substr(scheme_end);
  rest = rest.substr(0, rest.find('?'));
  size_t at = rest.rfind('@');
  if (at != std::string::npos) rest = rest.substr(at + 1);
  return conninfo.substr(0, scheme_end) + rest;
}

}  // namespace pgtwin
