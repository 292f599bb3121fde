#include "reconciler/names/connection_names.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace pgtwin {
namespace {

// Every database name of `state`, with the index of each site (in spec order) carrying it.
std::map<std::string, std::set<size_t>> SitesByDatabase(const DesiredState& state) {
  std::map<std::string, std::set<size_t>> sites;
  for (size_t i = 0; i < state.sites.size(); ++i) {
    for (const Object& child : state.sites[i].desired.children()) {
      if (child.kind() == ObjectKind::kDatabase) sites[child.name()].insert(i);
    }
  }
  return sites;
}

std::string CommentBlock(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += "# " + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

}  // namespace

std::vector<ConnectionName> NameDatabases(const DesiredState& state, const std::string& suffix) {
  const std::string& domain = suffix.empty() ? state.environment : suffix;
  std::vector<ConnectionName> names;
  for (const auto& [database, carriers] : SitesByDatabase(state)) {
    size_t primary = *carriers.begin();
    for (size_t i = 0; i < state.sites.size(); ++i) {
      size_t target = carriers.count(i) != 0 ? i : primary;
      const SiteSpec& site = state.sites[target].site;
      names.push_back({database + "." + state.sites[i].site.name + "." + domain, database,
                       state.sites[i].site.name, site.name, site.host, site.port});
    }
  }
  return names;
}

std::string RenderServiceFile(const std::vector<ConnectionName>& names, const std::string& header) {
  std::string out = CommentBlock(header);
  for (const ConnectionName& n : names) {
    out += "\n[" + n.name + "]\n";
    if (n.target_site != n.site) {
      out += "# " + n.site + " has no " + n.database + ": the name leads to " + n.target_site +
             "\n";
    }
    out += "host=" + n.host + "\nport=" + std::to_string(n.port) + "\ndbname=" + n.database + "\n";
  }
  return out;
}

std::string RenderHostsFragment(const std::vector<ConnectionName>& names, const std::string& header,
                                const AddressResolver& resolve) {
  std::string out = CommentBlock(header);
  std::map<std::string, StatusOr<std::string>> addresses;
  for (const ConnectionName& n : names) {
    if (n.host.starts_with("/")) {
      out += "# " + n.name + ": " + n.target_site + " is reached over a Unix socket (" + n.host +
             "), no address\n";
      continue;
    }
    auto found = addresses.find(n.host);
    if (found == addresses.end()) found = addresses.emplace(n.host, resolve(n.host)).first;
    if (!found->second.ok()) {
      out += "# " + n.name + ": " + found->second.status().message() + "\n";
      continue;
    }
    out += found->second.value() + " " + n.name + "\n";
  }
  return out;
}

std::string RenderNamesJson(const std::string& environment,
                            const std::vector<ConnectionName>& names) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ConnectionName& n : names) {
    list.push_back({{"name", n.name},
                    {"database", n.database},
                    {"site", n.site},
                    {"target_site", n.target_site},
                    {"host", n.host},
                    {"port", n.port}});
  }
  nlohmann::ordered_json out = {{"version", 1}, {"environment", environment}, {"names", list}};
  return out.dump(2) + "\n";
}

}  // namespace pgtwin
