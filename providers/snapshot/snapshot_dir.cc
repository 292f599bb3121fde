#include "providers/snapshot/snapshot_dir.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <set>
#include <system_error>
#include <thread>
#include <vector>

#include "providers/snapshot/file_io.h"
#include "providers/snapshot/json_codec.h"

namespace pgtwin {
namespace {

namespace fs = std::filesystem;

constexpr char kFormat[] = "pgtwin-snapshot";
constexpr int64_t kVersion = 1;
constexpr char kClusterFile[] = "cluster.json";
constexpr char kDatabasesDir[] = "databases";

// `<name>.json`, with bytes other than [A-Za-z0-9_.-] (and a leading '.') as %XX.
std::string DatabaseFileName(const std::string& name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || (c == '.' && i > 0);
    if (safe) {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out + ".json";
}

Status FilesystemError(const std::string& path, const std::error_code& ec) {
  return Status(StatusCode::kInternal, path + ": " + ec.message());
}

// Checks the format marker and version a snapshot file must carry.
Status CheckHeader(const JsonFileHeader& header, const std::string& file) {
  if (header.format != kFormat) {
    return Status(StatusCode::kCorrupt,
                  file + ": not a pgtwin snapshot file (no \"format\": \"" + kFormat + "\")");
  }
  if (header.version != kVersion) {
    return Status(StatusCode::kCorrupt,
                  file + ": unsupported snapshot version " +
                      (header.version ? std::to_string(*header.version) : "(none)") +
                      " (this pgtwin reads version " + std::to_string(kVersion) + ")");
  }
  return Status::Ok();
}

StatusOr<JsonDocument> LoadSnapshotFile(const std::string& path, ObjectKind kind) {
  StatusOr<std::string> text = ReadFileToString(path);
  if (!text.ok()) return text.status();
  StatusOr<JsonDocument> doc = ParseObjectJson(*text, path);
  if (!doc.ok()) return doc.status();
  Status status = CheckHeader(doc->header, path);
  if (!status.ok()) return status;
  if (doc->object.kind() != kind) {
    return Status(StatusCode::kCorrupt, path + ": holds a " +
                                            std::string(KindName(doc->object.kind())) +
                                            ", expected a " + std::string(KindName(kind)));
  }
  return doc;
}

// Runs job(i) for i in [0, n) on up to hardware_concurrency threads.
template <typename Job>
void ParallelFor(size_t n, const Job& job) {
  size_t threads = std::min<size_t>(n, std::max(1u, std::thread::hardware_concurrency()));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < n; i = next++) job(i);
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
}

}  // namespace

Status WriteSnapshot(const Object& cluster, bool all_databases, const std::string& dir,
                     const std::string& system_identifier) {
  const fs::path databases_dir = fs::path(dir) / kDatabasesDir;
  std::error_code ec;
  fs::create_directories(databases_dir, ec);
  if (ec) return FilesystemError(databases_dir.string(), ec);

  Object top(ObjectKind::kCluster, cluster.name());
  top.mutable_attrs() = cluster.attrs();
  JsonFileHeader database_header;
  database_header.format = kFormat;
  database_header.version = kVersion;
  JsonFileHeader header = database_header;
  header.all_databases = all_databases;
  if (!system_identifier.empty()) header.system_identifier = system_identifier;
  header.databases.emplace();
  std::set<std::string> written;
  for (const Object& child : cluster.children()) {
    if (child.kind() != ObjectKind::kDatabase) {
      top.AddChild(child);
      continue;
    }
    std::string file = DatabaseFileName(child.name());
    Status status = WriteFileAtomically((databases_dir / file).string(),
                                        ObjectToJson(child, database_header, false));
    if (!status.ok()) return status;
    header.databases->push_back(child.name());
    written.insert(file);
  }
  Status status =
      WriteFileAtomically((fs::path(dir) / kClusterFile).string(), ObjectToJson(top, header));
  if (!status.ok()) return status;

  for (const fs::directory_entry& entry : fs::directory_iterator(databases_dir, ec)) {
    const fs::path& path = entry.path();
    if (path.extension() == ".json" && !written.count(path.filename().string())) {
      fs::remove(path, ec);
      if (ec) return FilesystemError(path.string(), ec);
    }
  }
  if (ec) return FilesystemError(databases_dir.string(), ec);
  return Status::Ok();
}

StatusOr<Snapshot> LoadSnapshot(const std::string& dir) {
  const std::string cluster_file = (fs::path(dir) / kClusterFile).string();
  std::error_code ec;
  if (!fs::exists(cluster_file, ec)) {
    return Status(StatusCode::kNotFound,
                  dir + ": not a pgtwin snapshot directory (no " + kClusterFile + ")");
  }
  StatusOr<JsonDocument> top = LoadSnapshotFile(cluster_file, ObjectKind::kCluster);
  if (!top.ok()) return top.status();
  if (!top->header.databases) {
    return Status(StatusCode::kCorrupt, cluster_file + ": missing field \"databases\"");
  }
  const std::vector<std::string>& names = *top->header.databases;

  std::vector<StatusOr<Object>> databases(names.size(), Status(StatusCode::kInternal, ""));
  ParallelFor(names.size(), [&](size_t i) {
    std::string path = (fs::path(dir) / kDatabasesDir / DatabaseFileName(names[i])).string();
    StatusOr<JsonDocument> doc = LoadSnapshotFile(path, ObjectKind::kDatabase);
    if (!doc.ok()) {
      databases[i] = doc.status();
    } else if (doc->object.name() != names[i]) {
      databases[i] = Status(StatusCode::kCorrupt, path + ": holds database '" + doc->object.name() +
                                                      "', expected '" + names[i] + "'");
    } else {
      databases[i] = std::move(doc->object);
    }
  });

  Snapshot snapshot{std::move(top->object), top->header.all_databases.value_or(true),
                    top->header.system_identifier.value_or("")};
  std::vector<Object>& children = snapshot.cluster.mutable_children();
  for (StatusOr<Object>& database : databases) {
    if (!database.ok()) return database.status();
    children.push_back(std::move(database).value());
  }
  std::sort(children.begin(), children.end(), SiblingLess);
  auto twice =
      std::adjacent_find(children.begin(), children.end(),
                         [](const Object& a, const Object& b) { return !SiblingLess(a, b); });
  if (twice != children.end()) {
    return Status(StatusCode::kCorrupt, cluster_file + ": " + std::string(KindName(twice->kind())) +
                                            " '" + twice->name() + "' listed twice");
  }
  return snapshot;
}

StatusOr<Object> LoadDatabaseFile(const std::string& path) {
  StatusOr<JsonDocument> doc = LoadSnapshotFile(path, ObjectKind::kDatabase);
  if (!doc.ok()) return doc.status();
  return std::move(doc->object);
}

}  // namespace pgtwin
