#include "providers/postgres/target_lock.h"

#include <pqxx/pqxx>

#include "providers/postgres/conninfo.h"
#include "providers/postgres/pg_errors.h"
#include "providers/postgres/system_identifier.h"

namespace pgtwin {
namespace {

constexpr char kLockNotAvailable[] = "55P03";

constexpr char kApplicationPrefix[] = "pgtwin reconcile ";

// Who holds the advisory lock `key` in the current database: "another pgtwin reconcile
// (environment 'E', pid N, from HOST)", or for a session that is not a pgtwin reconcile
// "another session (pid N, application 'A', from HOST)"; "another session" when it is gone
// already.
std::string LockHolder(pqxx::nontransaction& work, int64_t key) {
  uint64_t bits = static_cast<uint64_t>(key);
  pqxx::result rows = work.exec(
      "SELECT l.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local') "
      "FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
      "AND l.classid = " +
      std::to_string(bits >> 32) + "::oid AND l.objid = " + std::to_string(bits & 0xffffffffu) +
      "::oid AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())");
  if (rows.empty()) return "another session";
  std::string pid = rows[0][0].as<std::string>();
  std::string application = rows[0][1].as<std::string>();
  std::string from = rows[0][2].as<std::string>();
  if (application.starts_with(kApplicationPrefix)) {
    return "another pgtwin reconcile (environment '" +
           application.substr(std::string_view(kApplicationPrefix).size()) + "', pid " + pid +
           ", from " + from + ")";
  }
  return "another session (pid " + pid + ", application '" + application + "', from " + from +
         ")";
}

// Refuses an instance that is one of the sources.
Status CheckNotSource(const std::string& system_identifier,
                      const std::vector<SourceIdentity>& sources, const std::string& prefix) {
  for (const SourceIdentity& source : sources) {
    if (source.system_identifier == system_identifier) {
      return Status(StatusCode::kPermissionDenied,
                    prefix + ": refusing to apply: it is the same instance as the source " +
                        source.name + " (system identifier " + system_identifier + ")");
    }
  }
  return Status::Ok();
}

}  // namespace

struct TargetLock::Session {
  explicit Session(const std::string& conninfo) : conn(conninfo), quiet(conn) {}
  pqxx::connection conn;
  pqxx::quiet_errorhandler quiet;
};

std::string LockApplicationName(const std::string& environment) {
  return kApplicationPrefix + environment;
}

TargetLock::TargetLock(std::unique_ptr<Session> session, std::string system_identifier)
    : session_(std::move(session)), system_identifier_(std::move(system_identifier)) {}

TargetLock::~TargetLock() = default;

StatusOr<std::unique_ptr<TargetLock>> TargetLock::Acquire(const std::string& conninfo,
                                                          const TargetLockOptions& options) {
  StatusOr<ConnTarget> target = ConnTarget::Parse(conninfo);
  if (!target.ok()) return target.status();
  std::string prefix = target->DisplayName();
  std::string key = std::to_string(kTargetLockKey);
  std::string step;
  try {
    auto session = std::make_unique<Session>(target->ConnString());
    pqxx::nontransaction work(session->conn);
    step = "the application name";
    work.exec("SET application_name = " + work.quote(LockApplicationName(options.environment)));
    step = "the system identifier";
    std::string system_identifier = work.exec(kSystemIdentifierSql).at(0).at(0).as<std::string>();
    if (Status status = CheckNotSource(system_identifier, options.sources, prefix); !status.ok()) {
      return status;
    }
    step = "the advisory lock";
    if (!work.exec("SELECT pg_try_advisory_lock(" + key + ")").at(0).at(0).as<bool>()) {
      std::string busy =
          prefix + ": " + LockHolder(work, kTargetLockKey) + " holds pgtwin's lock on this instance";
      if (options.timeout_seconds <= 0) {
        return Status(StatusCode::kPermissionDenied, busy + "; not waiting");
      }
      if (options.on_wait) {
        options.on_wait(busy + "; waiting up to " + std::to_string(options.timeout_seconds) + " s");
      }
      work.exec("SET lock_timeout = '" + std::to_string(options.timeout_seconds) + "s'");
      try {
        work.exec("SELECT pg_advisory_lock(" + key + ")");
      } catch (const pqxx::sql_error& e) {
        if (e.sqlstate() != kLockNotAvailable) throw;
        return Status(StatusCode::kPermissionDenied,
                      busy + "; gave up after " + std::to_string(options.timeout_seconds) + " s");
      }
      work.exec("RESET lock_timeout");
    }
    return std::unique_ptr<TargetLock>(new TargetLock(std::move(session), system_identifier));
  } catch (const std::exception& e) {
    return StatusFromException(e, prefix, step);
  }
}

}  // namespace pgtwin
