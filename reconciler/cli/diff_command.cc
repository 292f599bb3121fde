#include "reconciler/cli/diff_command.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "model/diff.h"
#include "reconciler/cli/exit_codes.h"
#include "reconciler/cli/source.h"
#include "reconciler/diff/diff_json.h"
#include "reconciler/diff/diff_text.h"
#include "reconciler/diff/ignore_rules.h"
#include "reconciler/diff/name_map.h"
#include "reconciler/diff/tree_diff.h"

namespace pgtwin {
namespace {

struct DiffOptions {
  std::string source;
  std::string target;
  std::vector<std::string> maps;
  std::vector<std::string> ignores;
  std::vector<std::string> ignore_files;
  std::string format = "text";
  bool all_databases = false;
  bool no_color = false;
  int parallel = 4;
};

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status(StatusCode::kNotFound, path + ": cannot read: " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status(StatusCode::kInternal, path + ": read error");
  return text.str();
}

// Compiles --map, --ignore and --ignore-file, in that order of reporting errors.
Status CompileRules(const DiffOptions& options, NameMap* map, IgnoreRules* ignore) {
  for (const std::string& arg : options.maps) {
    if (Status status = map->AddFlag(arg); !status.ok()) return status;
  }
  for (const std::string& arg : options.ignores) {
    if (Status status = ignore->AddFlag(arg); !status.ok()) return status;
  }
  for (const std::string& path : options.ignore_files) {
    StatusOr<std::string> text = ReadTextFile(path);
    if (!text.ok()) return text.status();
    if (Status status = ignore->AddFile(path, *text); !status.ok()) return status;
  }
  return Status::Ok();
}

// What is compared: two clusters, or two databases.
struct Roots {
  const Object* source = nullptr;
  const Object* target = nullptr;
  size_t displaced = 0;  // source objects displaced by a --map rename
};

// The database of the source cluster whose name becomes `name` under --map; one that the map
// renames wins over one that had the name already (as in NameMap::Apply).
StatusOr<Object*> FindMappedDatabase(const NameMap& map, const LoadedSource& source,
                                     Object* cluster, const std::string& name) {
  Object* renamed = nullptr;
  Object* kept = nullptr;
  for (Object& child : cluster->mutable_children()) {
    if (child.kind() != ObjectKind::kDatabase) continue;
    std::string mapped = child.name();
    bool changed = map.Rewrite(&mapped);
    if (mapped != name) continue;
    if (!changed) {
      kept = &child;
    } else if (renamed) {
      return Status(StatusCode::kInvalidArgument, "--map: source database '" + renamed->name() +
                                                      "' and database '" + child.name() +
                                                      "' would both be named '" + name + "'");
    } else {
      renamed = &child;
    }
  }
  if (renamed) return renamed;
  if (kept) return kept;
  return Status(StatusCode::kNotFound, source.display_name + ": no database '" + name + "'" +
                                           (map.empty() ? "" : " (after --map)") +
                                           " to compare with the target's database");
}

// Picks the roots and maps the source. When either side names one database, databases
// compare: that one with the other side's one database, or with its database of the same name
// (after --map). Otherwise the whole clusters compare.
StatusOr<Roots> PrepareRoots(const NameMap& map, LoadedSource* source, LoadedSource* target) {
  auto named = [](LoadedSource* in) -> StatusOr<Object*> {
    Object* database = in->cluster.FindChild(ObjectKind::kDatabase, *in->database);
    if (!database) {
      return Status(StatusCode::kInternal,
                    in->display_name + ": database '" + *in->database + "' not loaded");
    }
    return database;
  };
  Object* source_root = &source->cluster;
  Object* target_root = &target->cluster;
  if (target->database) {
    StatusOr<Object*> database = named(target);
    if (!database.ok()) return database.status();
    target_root = *database;
  }
  if (source->database) {
    StatusOr<Object*> database = named(source);
    if (!database.ok()) return database.status();
    source_root = *database;
  } else if (target->database) {
    StatusOr<Object*> database =
        FindMappedDatabase(map, *source, &source->cluster, target_root->name());
    if (!database.ok()) return database.status();
    source_root = *database;
  }
  if (source->database && !target->database) {
    std::string name = source_root->name();
    map.Rewrite(&name);
    target_root = target->cluster.FindChild(ObjectKind::kDatabase, name);
    if (!target_root) {
      return Status(StatusCode::kNotFound, target->display_name + ": no database '" + name +
                                               "' to compare with the source's database");
    }
  }
  StatusOr<size_t> displaced = map.Apply(source_root);
  if (!displaced.ok()) return displaced.status();
  return Roots{source_root, target_root, *displaced};
}

Status WriteStdout(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    return Status(StatusCode::kInternal, "cannot write to standard output");
  }
  return Status::Ok();
}

// Runs the comparison; on success sets *differ to whether differences were found.
Status RunDiff(const DiffOptions& options, bool* differ) {
  NameMap map;
  IgnoreRules ignore;
  if (Status status = CompileRules(options, &map, &ignore); !status.ok()) return status;

  Clock::time_point start = Clock::now();
  // The two sides load at the same time.
  std::future<StatusOr<LoadedSource>> target_future = std::async(std::launch::async, [&] {
    return LoadSource(options.target, options.all_databases, options.parallel);
  });
  StatusOr<LoadedSource> source =
      LoadSource(options.source, options.all_databases, options.parallel);
  StatusOr<LoadedSource> target = target_future.get();
  if (!source.ok()) return source.status();
  if (!target.ok()) return target.status();
  spdlog::debug("loaded both sides in {:.3f}s", SecondsSince(start));

  start = Clock::now();
  StatusOr<Roots> roots = PrepareRoots(map, &*source, &*target);
  if (!roots.ok()) return roots.status();
  DiffResult result = DiffTrees(*roots->source, *roots->target, ignore);
  result.summary.ignored += roots->displaced;
  spdlog::debug("compared in {:.3f}s", SecondsSince(start));
  spdlog::info("{} vs {}: {} differences, {} ignored", source->display_name, target->display_name,
               result.entries.size(), result.summary.ignored);

  std::ostringstream out;
  if (options.format == "json") {
    WriteDiffJson(result, source->display_name, target->display_name, out);
  } else {
    bool color =
        !options.no_color && std::getenv("NO_COLOR") == nullptr && isatty(STDOUT_FILENO) == 1;
    WriteDiffText(result, source->display_name, target->display_name, color, out);
  }
  if (Status status = WriteStdout(out.str()); !status.ok()) return status;
  *differ = !result.identical();
  return Status::Ok();
}

}  // namespace

void RegisterDiffCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<DiffOptions>();
  CLI::App* diff = app.add_subcommand(
      "diff", "Compare a source with a target (live or snapshots); exit 0 same, 2 different");
  diff->add_option("--source", options->source,
                   "libpq URI or conninfo, snapshot directory, or snapshot database file")
      ->required();
  diff->add_option("--target", options->target, "Same forms as --source")->required();
  diff->add_option("--map", options->maps,
                   "REGEX=REPLACEMENT: rename on the source side before comparing (repeatable, "
                   "in order; split at the last '=' not written \\=)");
  diff->add_option("--ignore", options->ignores,
                   "KIND:REGEX: skip objects of KIND (or *) whose name or qualified name "
                   "matches (repeatable)");
  diff->add_option("--ignore-file", options->ignore_files,
                   "File of ignore rules, one KIND:REGEX per line, # comments (repeatable)");
  diff->add_option("--format", options->format, "Output format: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  diff->add_flag("--all-databases", options->all_databases,
                 "Read every database of a live cluster, not just the one the URI names");
  diff->add_flag("--no-color", options->no_color, "Never colour the text output");
  diff->add_option("--parallel", options->parallel,
                   "Databases read at once per live side (default: 4)")
      ->check(CLI::Range(1, 64));
  diff->callback([options, exit_code] {
    bool differ = false;
    Status status = RunDiff(*options, &differ);
    if (!status.ok()) {
      *exit_code = ReportError(status);
    } else {
      *exit_code = differ ? kExitDifferences : kExitOk;
    }
  });
}

}  // namespace pgtwin
