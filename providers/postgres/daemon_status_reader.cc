#include "providers/postgres/daemon_status_reader.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <thread>
#include <utility>

#include "providers/postgres/conninfo.h"
#include "providers/postgres/pg_errors.h"

namespace pgtwin {
namespace {

constexpr size_t kMaxErrorChars = 200;
constexpr size_t kMaxParallel = 8;

// Added to a site's conninfo: a status read waits little for a server and never writes.
constexpr char kReadOptions[] =
    " connect_timeout=3"
    " options='-c default_transaction_read_only=on -c statement_timeout=10000'";

// Each query takes the workers as one JSON parameter (WorkersJson).
// The cur_error of each worker working on this node.
constexpr char kWorkerErrorSql[] =
    "SELECT w.i, c.cur_error FROM json_to_recordset($1::json) AS w(i int, queue text, worker text) "
    "CROSS JOIN LATERAL pgq_node.get_consumer_info(w.queue) c WHERE c.consumer_name = w.worker";
// Lag and last-seen time of each worker this node provides to.
constexpr char kConsumerLagSql[] =
    "SELECT w.i, extract(epoch FROM c.lag)::float8, extract(epoch FROM c.last_seen)::float8 "
    "FROM json_to_recordset($1::json) AS w(i int, queue text, worker text) "
    "CROSS JOIN LATERAL pgq.get_consumer_info(w.queue, w.worker) c";
// The ticker lag of each root worker's queue.
constexpr char kTickerLagSql[] =
    "SELECT w.i, extract(epoch FROM q.ticker_lag)::float8 "
    "FROM json_to_recordset($1::json) AS w(i int, queue text) "
    "CROSS JOIN LATERAL pgq.get_queue_info(w.queue) q";

// One database to read, and for which workers (indexes into the daemon list).
struct DatabaseRead {
  const SiteSpec* site = nullptr;
  std::string database;
  std::vector<size_t> workers;   // working on this node: their cur_error
  std::vector<size_t> provided;  // this node is their provider: their lag and last seen
  std::vector<size_t> roots;     // root workers on this node: their queue's ticker lag
};

// What was read from one database.
struct DatabaseReading {
  std::string error;           // the node could not be read for its own workers: why
  std::string provider_error;  // the node could not be read for the workers it provides to
  std::map<size_t, std::string> cur_errors;
  std::map<size_t, std::optional<double>> lags;
  std::map<size_t, std::optional<double>> last_seen;
};

// The workers `indexes` of `daemons` as [{"i": index, "queue": ..., "worker": ...}, ...].
std::string WorkersJson(const std::vector<DaemonSpec>& daemons,
                        const std::vector<size_t>& indexes) {
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i : indexes) {
    rows.push_back({{"i", i}, {"queue", daemons[i].queue}, {"worker", daemons[i].name}});
  }
  return rows.dump();
}

// The first line of `text`, trimmed, at most kMaxErrorChars bytes (cut at a character
// boundary, marked with "…").
std::string OneLine(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  std::string line = text.substr(begin, text.find_first_of("\r\n", begin) - begin);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
  if (line.size() <= kMaxErrorChars) return line;
  size_t cut = kMaxErrorChars;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return line.substr(0, cut) + "\u2026";
}

std::optional<double> OptionalDouble(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<double>();
}

std::string Where(const DatabaseRead& read) { return read.site->name + "/" + read.database; }

// "dc2/accountdb: <what went wrong> (postgresql://host:5432)": the error `e` of `step` ("" for
// connecting), said from the site and database, with the server it happened on.
std::string ReadError(const DatabaseRead& read, const ConnTarget& target, const std::exception& e,
                      const std::string& step) {
  return StatusFromException(e, Where(read), step).message() + " (" +
         target.ServerDisplayName() + ")";
}

void Read(const std::vector<DaemonSpec>& daemons, const DatabaseRead& read,
          DatabaseReading* reading) {
  StatusOr<ConnTarget> target =
      ConnTarget::Parse(read.site->Conninfo(read.database) + kReadOptions);
  if (!target.ok()) {
    reading->error = Where(read) + ": " + target.status().message();
    reading->provider_error = "provider " + reading->error;
    return;
  }
  std::unique_ptr<pqxx::connection> conn;
  try {
    conn = std::make_unique<pqxx::connection>(target->ConnString());
  } catch (const std::exception& e) {
    reading->error = ReadError(read, *target, e, "");
    reading->provider_error = "provider " + reading->error;
    return;
  }
  // Each query is a transaction of its own (autocommit, read-only by the session's default):
  // one that fails leaves the others to run.
  pqxx::nontransaction work(*conn);
  auto run = [&](const char* step, std::string* error, const char* prefix, auto&& query) {
    try {
      query();
    } catch (const std::exception& e) {
      if (error->empty()) *error = prefix + ReadError(read, *target, e, step);
    }
  };
  if (!read.workers.empty()) {
    run("worker errors", &reading->error, "", [&] {
      for (const pqxx::row& row :
           work.exec_params(kWorkerErrorSql, WorkersJson(daemons, read.workers))) {
        if (!row[1].is_null()) reading->cur_errors[row[0].as<size_t>()] = row[1].c_str();
      }
    });
  }
  if (!read.roots.empty()) {
    run("ticker lag", &reading->error, "", [&] {
      for (const pqxx::row& row :
           work.exec_params(kTickerLagSql, WorkersJson(daemons, read.roots))) {
        reading->lags[row[0].as<size_t>()] = OptionalDouble(row[1]);
      }
    });
  }
  if (!read.provided.empty()) {
    run("consumer lag", &reading->provider_error, "provider ", [&] {
      for (const pqxx::row& row :
           work.exec_params(kConsumerLagSql, WorkersJson(daemons, read.provided))) {
        size_t i = row[0].as<size_t>();
        reading->lags[i] = OptionalDouble(row[1]);
        reading->last_seen[i] = OptionalDouble(row[2]);
      }
    });
  }
}

// Runs Read for every database, at most kMaxParallel at once.
std::vector<DatabaseReading> ReadAll(const std::vector<DaemonSpec>& daemons,
                                     const std::vector<DatabaseRead>& reads) {
  std::vector<DatabaseReading> readings(reads.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < reads.size(); i = next++) {
      try {
        Read(daemons, reads[i], &readings[i]);
      } catch (const std::exception& e) {
        readings[i].error = Where(reads[i]) + ": " + OneLine(e.what());
        readings[i].provider_error = "provider " + readings[i].error;
      }
    }
  };
  size_t threads = std::min(reads.size(), kMaxParallel);
  if (threads <= 1) {
    work();
    return readings;
  }
  std::vector<std::thread> pool;
  for (size_t i = 0; i < threads; ++i) pool.emplace_back(work);
  for (std::thread& thread : pool) thread.join();
  return readings;
}

void AddError(const std::string& error, std::string* to) {
  if (error.empty()) return;
  if (!to->empty()) *to += "; ";
  *to += error;
}

}  // namespace

std::vector<DaemonStatus> ReadDaemonStatus(const std::vector<DaemonSpec>& daemons,
                                           const std::vector<ObservedDaemon>& observed,
                                           const std::vector<SiteSpec>& sites) {
  std::map<std::string, const ObservedDaemon*> by_name;
  for (const ObservedDaemon& daemon : observed) by_name[daemon.name] = &daemon;
  std::map<std::string, const SiteSpec*> site_by_name;
  for (const SiteSpec& site : sites) site_by_name[site.name] = &site;

  std::vector<DaemonStatus> statuses;
  std::vector<DatabaseRead> reads;
  std::map<std::pair<std::string, std::string>, size_t> read_of;
  // The read of (site, database), made when first needed; nullptr when the site is unknown.
  auto read_for = [&](const std::string& site, const std::string& database) -> DatabaseRead* {
    auto known = site_by_name.find(site);
    if (known == site_by_name.end()) return nullptr;
    auto [it, added] = read_of.try_emplace({site, database}, reads.size());
    if (added) reads.push_back(DatabaseRead{known->second, database, {}, {}, {}});
    return &reads[it->second];
  };
  for (size_t i = 0; i < daemons.size(); ++i) {
    const DaemonSpec& daemon = daemons[i];
    DaemonStatus status;
    status.name = daemon.name;
    status.site = daemon.site;
    status.database = daemon.database;
    if (auto found = by_name.find(daemon.name); found != by_name.end() && found->second->pid > 0) {
      status.running = true;
      status.pid = found->second->pid;
    }
    if (daemon.program == DaemonProgram::kLondisteWorker) {
      DatabaseRead* own = read_for(daemon.site, daemon.database);
      if (own == nullptr) {
        AddError("site " + daemon.site + " is not a site of the spec", &status.error);
      } else {
        own->workers.push_back(i);
        if (daemon.provider_site.empty()) own->roots.push_back(i);
      }
      if (!daemon.provider_site.empty()) {
        DatabaseRead* provider = read_for(daemon.provider_site, daemon.database);
        if (provider == nullptr) {
          AddError("provider site " + daemon.provider_site + " is not a site of the spec",
                   &status.error);
        } else {
          provider->provided.push_back(i);
        }
      }
    }
    statuses.push_back(std::move(status));
  }

  std::vector<DatabaseReading> readings = ReadAll(daemons, reads);
  // A worker's own node's errors first, then its provider's.
  for (size_t r = 0; r < reads.size(); ++r) {
    const DatabaseReading& reading = readings[r];
    for (size_t i : reads[r].workers) {
      AddError(reading.error, &statuses[i].error);
      if (auto found = reading.cur_errors.find(i); found != reading.cur_errors.end()) {
        AddError(OneLine(found->second), &statuses[i].error);
      }
    }
    for (const auto& [i, lag] : reading.lags) statuses[i].lag_seconds = lag;
    for (const auto& [i, seen] : reading.last_seen) statuses[i].last_seen_seconds = seen;
  }
  for (size_t r = 0; r < reads.size(); ++r) {
    for (size_t i : reads[r].provided) AddError(readings[r].provider_error, &statuses[i].error);
  }
  return statuses;
}

}  // namespace pgtwin
