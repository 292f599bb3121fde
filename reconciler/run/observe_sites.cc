#include "reconciler/run/observe_sites.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <future>

#include "providers/postgres/catalog_reader.h"
#include "providers/postgres/password_reader.h"

namespace pgtwin {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

ObservedSite Observe(const SiteState& state, const ObserveOptions& options) {
  ObservedSite site;
  site.state = &state;
  std::string conninfo = state.site.Conninfo();
  auto start = std::chrono::steady_clock::now();
  if (options.lock && !state.site.protect) {
    StatusOr<std::unique_ptr<TargetLock>> lock = TargetLock::Acquire(conninfo, options.guard);
    if (!lock.ok()) {
      site.error = lock.status().message();
      return site;
    }
    site.lock = std::move(lock).value();
    spdlog::debug("site {}: locked (system identifier {})", state.site.name,
                  site.lock->system_identifier());
  }
  CatalogReadOptions read;
  read.all_databases = true;
  read.parallelism = options.parallel;
  // Only the databases the site must hold are read whole; the others (unmanaged or ignored)
  // need only their attributes from pg_database.
  read.read_database = [&state](const std::string& database) {
    return state.desired.FindChild(ObjectKind::kDatabase, database) != nullptr;
  };
  StatusOr<Object> observed = ReadCluster(conninfo, read);
  if (!observed.ok()) {
    site.error = observed.status().message();
    return site;
  }
  site.observed = std::move(observed).value();
  if (options.read_passwords) {
    StatusOr<PasswordHashes> passwords = ReadPasswordHashes(conninfo);
    if (!passwords.ok()) {
      site.error = passwords.status().message();
      return site;
    }
    site.passwords = std::move(passwords).value();
  }
  spdlog::info("site {}: observed {} objects in {:.3f}s", state.site.name,
               site.observed.DescendantCount(), SecondsSince(start));
  return site;
}

}  // namespace

std::vector<ObservedSite> ObserveSites(const std::vector<const SiteState*>& sites,
                                       const ObserveOptions& options) {
  std::vector<std::future<ObservedSite>> pending;
  for (const SiteState* state : sites) {
    pending.push_back(
        std::async(std::launch::async, [state, &options] { return Observe(*state, options); }));
  }
  std::vector<ObservedSite> observed;
  for (auto& future : pending) observed.push_back(future.get());
  return observed;
}

}  // namespace pgtwin
