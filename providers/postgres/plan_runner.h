#pragma once

#include <map>
#include <memory>
#include <string>

#include "model/desired_state.h"
#include "model/plan.h"
#include "model/status.h"

namespace pgtwin {

// Time limits of every statement an apply runs (seconds; 0: none).
struct RunLimits {
  // How long a statement waits for a lock (lock_timeout): a DDL queued behind an application's
  // lock fails fast instead of making everyone else queue behind it.
  int lock_timeout_seconds = 5;
  int statement_timeout_seconds = 600;  // how long a statement may run (statement_timeout)
};

// Runs plan actions on the Test instances of one environment. Connections are opened lazily,
// one per (site, database): the action's database, or `postgres` for cluster-wide actions;
// each session first runs `SET check_function_bodies = off` and sets lock_timeout and
// statement_timeout from RunLimits, so they hold for every statement of every action.
// Notices are discarded.
class PlanRunner {
 public:
  // `sites`: site name -> its conninfo (key=value or URI; the database is replaced per
  // action). `passwords`: the hashes that replace kSecretPlaceholder, by role.
  PlanRunner(std::map<std::string, std::string> sites, PasswordHashes passwords,
             RunLimits limits = {});
  ~PlanRunner();
  PlanRunner(const PlanRunner&) = delete;
  PlanRunner& operator=(const PlanRunner&) = delete;

  // Runs the action's statements in order: in one transaction when `in_transaction` (sent as
  // one multi-statement query, a single round trip), each on its own otherwise (CREATE
  // DATABASE). kSecretPlaceholder becomes the quoted hash of
  // `secret_role`. An error is one line, "site S, database D: <server message>; statement:
  // <its first line>" ("site S: ..." for cluster-wide actions), with any hash put back as the
  // placeholder. A statement that hits a limit says which: "lock_timeout after N s waiting
  // for a lock another session holds" or "statement_timeout after N s". A failed connection to a database is not retried (until an action on that
  // database itself runs); a lost one is reopened by the next action.
  Status Run(const Action& action);

 private:
  struct Session;

  // The session for (site, database), connecting on first use.
  StatusOr<Session*> SessionFor(const std::string& site, const std::string& database,
                                const std::string& prefix);
  // The statement with the placeholder replaced, or an error naming what is missing.
  StatusOr<std::string> WithSecret(const Action& action, const std::string& statement,
                                   Session& session) const;
  // `text` with the hash of `role` (quoted or not) replaced by the placeholder.
  std::string Redact(const std::string& role, std::string text) const;

  std::map<std::string, std::string> sites_;
  PasswordHashes passwords_;
  RunLimits limits_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Session>> sessions_;
  std::map<std::pair<std::string, std::string>, Status> failed_connects_;
};

}  // namespace pgtwin
