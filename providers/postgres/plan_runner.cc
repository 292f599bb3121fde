#include "providers/postgres/plan_runner.h"

#include <pqxx/pqxx>
#include <vector>

#include "providers/postgres/conninfo.h"
#include "providers/postgres/pg_errors.h"

namespace pgtwin {
namespace {

constexpr char kClusterDatabase[] = "postgres";
constexpr size_t kStatementPreview = 120;

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
}

std::string TrimRight(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

// The first non-blank line of a statement, shortened for an error message.
std::string StatementPreview(const std::string& statement) {
  size_t start = statement.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return "";
  std::string line = TrimRight(statement.substr(start, statement.find('\n', start) - start));
  if (line.size() > kStatementPreview) line = line.substr(0, kStatementPreview) + "...";
  return line;
}

// The server's message: its first line without the severity prefix.
std::string ServerMessage(const std::exception& e) {
  std::string what = e.what();
  std::string line = TrimRight(what.substr(0, what.find('\n')));
  for (const char* prefix : {"ERROR:  ", "FATAL:  "}) {
    if (line.starts_with(prefix)) line.erase(0, std::string(prefix).size());
  }
  return line;
}

StatusCode CodeOf(const pqxx::sql_error& e) {
  const std::string& state = e.sqlstate();
  if (state == "42501") return StatusCode::kPermissionDenied;
  if (state.starts_with("08")) return StatusCode::kConnectionFailed;
  return StatusCode::kInternal;
}

// The server's message of `e`, or what it means when it is a RunLimits timeout.
std::string ErrorText(const pqxx::sql_error& e, const RunLimits& limits) {
  std::string message = ServerMessage(e);
  // pgtwin's DDL never asks for NOWAIT: lock_not_available is lock_timeout.
  if (e.sqlstate() == "55P03") {
    return "lock_timeout after " + std::to_string(limits.lock_timeout_seconds) +
           " s waiting for a lock another session holds on what the statement changes";
  }
  if (e.sqlstate() == "57014" && message.find("statement timeout") != std::string::npos) {
    return "statement_timeout after " + std::to_string(limits.statement_timeout_seconds) + " s";
  }
  return message;
}

}  // namespace

struct PlanRunner::Session {
  explicit Session(const std::string& conninfo) : conn(conninfo), quiet(conn) {}
  pqxx::connection conn;
  pqxx::quiet_errorhandler quiet;
};

namespace {

// Which of `statements` (as sent; `shown` is what error messages may show of each) fails: they
// are run again one by one in a transaction that is rolled back. "" when none fails again.
std::string FailingStatement(pqxx::connection& conn, const std::vector<std::string>& statements,
                             const std::vector<std::string>& shown) {
  pqxx::work work(conn);
  for (size_t i = 0; i < statements.size(); ++i) {
    try {
      work.exec(statements[i]);
    } catch (const pqxx::sql_error&) {
      return shown[i];
    }
  }
  return "";
}

}  // namespace

PlanRunner::PlanRunner(std::map<std::string, std::string> sites, PasswordHashes passwords,
                       RunLimits limits)
    : sites_(std::move(sites)), passwords_(std::move(passwords)), limits_(limits) {}

PlanRunner::~PlanRunner() = default;

StatusOr<PlanRunner::Session*> PlanRunner::SessionFor(const std::string& site,
                                                      const std::string& database,
                                                      const std::string& prefix) {
  std::pair<std::string, std::string> key{site, database};
  if (auto found = sessions_.find(key); found != sessions_.end()) return found->second.get();
  if (auto failed = failed_connects_.find(key); failed != failed_connects_.end()) {
    return failed->second;
  }
  auto conninfo = sites_.find(site);
  if (conninfo == sites_.end()) {
    return Status(StatusCode::kInvalidArgument, prefix + ": no such site in the environment");
  }
  StatusOr<ConnTarget> target = ConnTarget::Parse(conninfo->second);
  if (!target.ok()) {
    return Status(target.status().code(), prefix + ": " + target.status().message());
  }
  try {
    auto session = std::make_unique<Session>(target->ConnString(database));
    pqxx::nontransaction work(session->conn);
    work.exec("SET check_function_bodies = off; SET lock_timeout = '" +
              std::to_string(limits_.lock_timeout_seconds) + "s'; SET statement_timeout = '" +
              std::to_string(limits_.statement_timeout_seconds) + "s'");
    work.commit();
    Session* made = session.get();
    sessions_[key] = std::move(session);
    return made;
  } catch (const std::exception& e) {
    Status status = StatusFromException(e, prefix + " (" + target->DisplayName(database) + ")", "");
    failed_connects_[key] = status;
    return status;
  }
}

StatusOr<std::string> PlanRunner::WithSecret(const Action& action, const std::string& statement,
                                             Session& session) const {
  if (statement.find(kSecretPlaceholder) == std::string::npos) return statement;
  auto hash = passwords_.find(action.secret_role);
  if (action.secret_role.empty() || hash == passwords_.end()) {
    return Status(StatusCode::kInternal,
                  "the statement needs a password hash and there is none for role '" +
                      action.secret_role + "'");
  }
  std::string sql = statement;
  ReplaceAll(sql, kSecretPlaceholder, session.conn.quote(hash->second));
  return sql;
}

std::string PlanRunner::Redact(const std::string& role, std::string text) const {
  auto hash = passwords_.find(role);
  if (role.empty() || hash == passwords_.end()) return text;
  ReplaceAll(text, "'" + hash->second + "'", kSecretPlaceholder);
  ReplaceAll(text, hash->second, "<redacted>");
  return text;
}

Status PlanRunner::Run(const Action& action) {
  std::string prefix = "site " + action.site;
  if (!action.database.empty()) prefix += ", database " + action.database;
  if (action.kind == ObjectKind::kDatabase && action.key.starts_with("database:")) {
    // A session in the database would make DROP DATABASE fail; a database created again
    // may be connected to again.
    sessions_.erase({action.site, action.key.substr(9)});
    failed_connects_.erase({action.site, action.key.substr(9)});
  }
  std::string database = action.database.empty() ? kClusterDatabase : action.database;
  StatusOr<Session*> session = SessionFor(action.site, database, prefix);
  if (!session.ok()) return session.status();

  std::string current;
  auto failure = [&](StatusCode code, const std::string& message) {
    std::string text = prefix + ": " + Redact(action.secret_role, message);
    if (!current.empty()) text += "; statement: " + StatementPreview(current);
    return Status(code, text);
  };
  try {
    std::vector<std::string> statements;
    for (const std::string& statement : action.sql) {
      current = statement;
      StatusOr<std::string> sql = WithSecret(action, statement, **session);
      if (!sql.ok()) return failure(sql.status().code(), sql.status().message());
      statements.push_back(*std::move(sql));
    }
    if (!action.in_transaction) {
      pqxx::nontransaction work((*session)->conn);
      for (size_t i = 0; i < statements.size(); ++i) {
        current = action.sql[i];
        work.exec(statements[i]);
      }
      return Status::Ok();
    }
    // One round trip: the server runs a multi-statement query as one implicit transaction.
    std::string batch;
    for (const std::string& statement : statements) batch += statement + ";\n";
    current = statements.size() == 1 ? action.sql[0] : "";
    try {
      pqxx::nontransaction work((*session)->conn);
      work.exec(batch);
    } catch (const pqxx::sql_error& e) {
      // Which statement failed is found by running them again, unless that means waiting
      // out a timeout again.
      bool timeout = e.sqlstate() == "55P03" || e.sqlstate() == "57014";
      if (current.empty() && !timeout && (*session)->conn.is_open()) {
        current = FailingStatement((*session)->conn, statements, action.sql);
      }
      throw;
    }
    return Status::Ok();
  } catch (const pqxx::sql_error& e) {
    if (!(*session)->conn.is_open()) sessions_.erase({action.site, database});
    return failure(CodeOf(e), ErrorText(e, limits_));
  } catch (const pqxx::broken_connection& e) {
    sessions_.erase({action.site, database});
    return failure(StatusCode::kConnectionFailed, "connection lost: " + ServerMessage(e));
  } catch (const std::exception& e) {
    sessions_.erase({action.site, database});
    return failure(StatusCode::kInternal, ServerMessage(e));
  }
}

}  // namespace pgtwin
