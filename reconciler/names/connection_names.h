#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/desired_state.h"
#include "model/status.h"

namespace pgtwin {

// One name under which clients reach a database of a Test environment, as Prod's clients
// reach Prod's databases by "<database>.<site>.<domain>".
struct ConnectionName {
  std::string name;         // "accountdb_p000.dc2.qa1"
  std::string database;     // "accountdb_p000"
  std::string site;         // the site the name belongs to: "dc2"
  std::string target_site;  // the site it leads to: `site`, or the primary when `site` has no copy
  std::string host;         // the target site's host (name, address or socket directory)
  int port = 5432;          // the target site's port
};

// Names every database of `state` once per site of the environment, "<database>.<site>.
// <suffix>" (`suffix` "" = the environment's name), sorted by database, then site in spec
// order. A site that carries the database gets a name leading to itself; a site that does
// not leads to the first site in spec order that does (the database's primary), so a client
// configured with the DR site's name still finds the database, as DR names are fixed in Prod.
std::vector<ConnectionName> NameDatabases(const DesiredState& state, const std::string& suffix);

// A pg_service.conf: a comment with `header`, then one section per name with host, port and
// dbname (no user or password: clients bring their own).
std::string RenderServiceFile(const std::vector<ConnectionName>& names, const std::string& header);

// Resolves a host name to one address (IPv4 preferred); the message says why it cannot.
using AddressResolver = std::function<StatusOr<std::string>(const std::string& host)>;

// A hosts-file fragment: a comment with `header`, then "ADDRESS NAME" per name whose target
// host resolves. A Unix socket directory or a host that does not resolve gets a comment line
// saying so instead: the fragment is never silently short.
std::string RenderHostsFragment(const std::vector<ConnectionName>& names, const std::string& header,
                                const AddressResolver& resolve);

// {"version": 1, "environment": ..., "names": [{name, database, site, target_site, host,
// port}, ...]}, indented.
std::string RenderNamesJson(const std::string& environment,
                            const std::vector<ConnectionName>& names);

}  // namespace pgtwin
