#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/status.h"

namespace pgtwin {

// A source instance pgtwin reads from (INT, Prod) and must never write to.
struct SourceIdentity {
  std::string name;               // for messages: "INT (postgresql://int-db1:5432)"
  std::string system_identifier;  // as ReadSystemIdentifier returns it
};

// What TargetLock::Acquire checks and how long it waits.
struct TargetLockOptions {
  std::string environment;              // names the holder: application_name "pgtwin reconcile E"
  std::vector<SourceIdentity> sources;  // instances that must not be the target
  int timeout_seconds = 60;             // wait for another holder at most this long; 0: no wait
  // Called once when the lock is held by another session and Acquire starts to wait (a line
  // naming the holder); may be empty.
  std::function<void(const std::string&)> on_wait;
};

// The advisory lock key every pgtwin reconcile takes on a Test instance, whatever its
// environment: the 64-bit FNV-1a hash of "pgtwin", as a signed bigint. Roles and databases are
// instance-wide, so two environments sharing an instance must not interleave either; an
// advisory lock is already scoped to one instance (and to one database of it: every reconcile
// takes it in `postgres`), so the key need not name the instance.
inline constexpr int64_t kTargetLockKey = 6346346123435288810;

// The application_name of the lock's session: "pgtwin reconcile " + environment, which names
// the environment to whoever finds the lock taken.
std::string LockApplicationName(const std::string& environment);

// The right to write to one Test instance: a dedicated session that checked the instance is
// not a source and holds pgtwin's session advisory lock (kTargetLockKey, in the `postgres`
// database) until destroyed (or until the process dies: PostgreSQL releases it with the
// session). One reconcile at a time writes to an instance.
class TargetLock {
 public:
  // Connects to `conninfo` (the site's database, `postgres`) with application_name
  // LockApplicationName(options.environment), refuses (kPermissionDenied) an instance whose
  // system identifier is a source's, then takes the lock, waiting up to
  // options.timeout_seconds while another session holds it (kPermissionDenied naming the
  // holder when it does not come free: the environment for a pgtwin reconcile, else its
  // application; its pid and client). Errors are one line starting with the connection's
  // display name ("postgresql://user@host:port/db").
  static StatusOr<std::unique_ptr<TargetLock>> Acquire(const std::string& conninfo,
                                                       const TargetLockOptions& options);
  ~TargetLock();
  TargetLock(const TargetLock&) = delete;
  TargetLock& operator=(const TargetLock&) = delete;

  // The instance's system identifier, read when the lock was taken.
  const std::string& system_identifier() const { return system_identifier_; }

 private:
  struct Session;
  TargetLock(std::unique_ptr<Session> session, std::string system_identifier);

  std::unique_ptr<Session> session_;
  std::string system_identifier_;
};

}  // namespace pgtwin
