#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/desired_state.h"
#include "model/object.h"
#include "providers/postgres/target_lock.h"

namespace pgtwin {

// How to observe the Test sites of one reconcile pass.
struct ObserveOptions {
  bool lock = false;            // take each site's TargetLock first (apply runs; not --dry-run)
  TargetLockOptions guard;      // environment, sources to refuse, lock timeout, on_wait
  bool read_passwords = false;  // read the sites' password hashes (passwords: int)
  int parallel = 4;             // databases read at once per site
};

// One Test site as found: its lock (when taken), its cluster tree and password hashes, or why
// it could not be observed.
struct ObservedSite {
  const SiteState* state = nullptr;
  std::unique_ptr<TargetLock> lock;
  Object observed;
  PasswordHashes passwords;
  std::string error;  // "" when observed; one line otherwise
};

// Observes every given site at once: when asked, takes its lock (which checks it is not a
// source), then reads it (ReadCluster with all_databases on its `postgres` database: the
// databases the site's desired tree holds whole, the others as pg_database lists them) and,
// when asked, its password hashes. A protected site is observed but never
// locked. A site that fails carries its error; the others are unaffected.
std::vector<ObservedSite> ObserveSites(const std::vector<const SiteState*>& sites,
                                       const ObserveOptions& options);

}  // namespace pgtwin
