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
  std::string environment;              // the lock key derives from it
  std::vector<SourceIdentity> sources;  // instances that must not be the target
  int timeout_seconds = 60;             // wait for another holder at most this long; 0: no wait
  // Called once when the lock is held by another session and Acquire starts to wait (a line
  // naming the holder); may be empty.
  std::function<void(const std::string&)> on_wait;
};

// The advisory lock key of an environment: the 64-bit FNV-1a hash of "pgtwin:" + environment,
// as a signed bigint. Every reconcile of one environment takes it in the `postgres` database
// (the database of the site's conninfo) of each Test instance.
int64_t EnvironmentLockKey(const std::string& environment);

// The right to write to one Test instance: a dedicated session that checked the instance is
// not a source and holds the environment's session advisory lock until destroyed (or until
// the process dies: PostgreSQL releases it with the session).
class TargetLock {
 public:
  // Connects to `conninfo` (the site's database, `postgres`), refuses (kPermissionDenied) an
  // instance whose system identifier is a source's, then takes the lock, waiting up to
  // options.timeout_seconds while another session holds it (kPermissionDenied naming the
  // holder's pid, application and client when it does not come free). Errors are one line
  // starting with the connection's display name ("postgresql://user@host:port/db").
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
