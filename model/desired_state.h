#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/daemon.h"
#include "model/object.h"
#include "model/spec.h"

namespace pgtwin {

// Password hashes by role name (SCRAM or MD5 verifiers as pg_authid stores them). Secret:
// never printed, logged or put in an error.
using PasswordHashes = std::map<std::string, std::string>;

// What one Test site must look like after expansion of a spec against the Prod snapshot.
struct SiteState {
  SiteSpec site;
  // A cluster tree holding the roles and databases this site must have (cluster attributes
  // are not managed and stay empty).
  Object desired;
};

// The expansion of one environment: every site's desired tree plus the secrets to apply.
struct DesiredState {
  std::string environment;
  std::vector<SiteState> sites;
  PasswordHashes passwords;          // from INT, for roles in `desired`; may be empty
  std::vector<DaemonSpec> daemons;   // when the spec has `workers`: every londiste worker
                                     // and pgqd the environment needs
};

}  // namespace pgtwin
