#include "reconciler/cli/source.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>

#include "providers/postgres/catalog_reader.h"
#include "providers/postgres/conninfo.h"
#include "providers/snapshot/snapshot_dir.h"

namespace pgtwin {
namespace {

namespace fs = std::filesystem;

bool IsConnectionString(const std::string& arg) {
  return arg.empty() || arg.find('=') != std::string::npos || arg.starts_with("postgres://") ||
         arg.starts_with("postgresql://");
}

// The only database of `cluster`, or nullopt.
std::optional<std::string> OnlyDatabase(const Object& cluster) {
  const Object* only = nullptr;
  for (const Object& child : cluster.children()) {
    if (child.kind() != ObjectKind::kDatabase) continue;
    if (only) return std::nullopt;
    only = &child;
  }
  return only ? std::optional<std::string>(only->name()) : std::nullopt;
}

StatusOr<LoadedSource> LoadSnapshotDir(const std::string& dir) {
  StatusOr<Snapshot> snapshot = LoadSnapshot(dir);
  if (!snapshot.ok()) return snapshot.status();
  LoadedSource source;
  source.cluster = std::move(snapshot->cluster);
  source.display_name = dir;
  source.system_identifier = std::move(snapshot->system_identifier);
  if (!snapshot->all_databases) source.database = OnlyDatabase(source.cluster);
  return source;
}

StatusOr<LoadedSource> LoadDatabaseJson(const std::string& path) {
  StatusOr<Object> database = LoadDatabaseFile(path);
  if (!database.ok()) return database.status();
  LoadedSource source;
  source.cluster = Object(ObjectKind::kCluster, "");
  source.display_name = path;
  source.database = database->name();
  source.cluster.AddChild(std::move(database).value());
  return source;
}

StatusOr<LoadedSource> ReadLive(const std::string& conninfo, bool all_databases, int parallelism) {
  CatalogReadOptions options;
  options.all_databases = all_databases;
  options.parallelism = parallelism;
  CatalogReadStats stats;
  StatusOr<Object> cluster = ReadCluster(conninfo, options, &stats);
  if (!cluster.ok()) return cluster.status();
  LoadedSource source;
  source.cluster = std::move(cluster).value();
  source.display_name = DisplayName(conninfo);
  source.queries = stats.queries;
  source.live = true;
  StatusOr<ConnTarget> target = ConnTarget::Parse(conninfo);
  if (!all_databases && target.ok() && target->NamesDatabase()) {
    source.database = OnlyDatabase(source.cluster);
  }
  return source;
}

}  // namespace

StatusOr<LoadedSource> LoadSource(const std::string& arg, bool all_databases, int parallelism) {
  std::error_code ec;
  fs::file_status status = fs::status(arg, ec);
  if (fs::is_directory(status)) {
    spdlog::debug("{}: loading snapshot directory", arg);
    return LoadSnapshotDir(arg);
  }
  if (fs::is_regular_file(status)) {
    if (fs::path(arg).filename() == "cluster.json") {
      spdlog::debug("{}: loading the snapshot directory it belongs to", arg);
      fs::path dir = fs::path(arg).parent_path();
      return LoadSnapshotDir(dir.empty() ? "." : dir.string());
    }
    if (!arg.ends_with(".json")) {
      return Status(StatusCode::kInvalidArgument,
                    arg + ": not a snapshot directory or a snapshot database file (*.json)");
    }
    spdlog::debug("{}: loading snapshot database file", arg);
    return LoadDatabaseJson(arg);
  }
  if (!IsConnectionString(arg)) {
    return Status(StatusCode::kNotFound,
                  arg +
                      ": no such snapshot directory or database file, and not a connection "
                      "string (key=value or postgresql://...)");
  }
  spdlog::debug("{}: reading the catalog", DisplayName(arg));
  return ReadLive(arg, all_databases, parallelism);
}

}  // namespace pgtwin
