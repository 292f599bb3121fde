#include "reconciler/cli/dump_command.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "providers/postgres/system_identifier.h"
#include "providers/snapshot/json_codec.h"
#include "providers/snapshot/snapshot_dir.h"
#include "providers/snapshot/yaml_codec.h"
#include "reconciler/cli/exit_codes.h"
#include "reconciler/cli/source.h"
#include "reconciler/render/tree_renderer.h"

namespace pgtwin {
namespace {

struct DumpOptions {
  std::string source;
  bool all_databases = false;
  std::string format = "tree";
  bool format_given = false;
  std::string output;
  int parallel = 4;
  bool stats = false;
};

// Prints the tree in `format`; JSON is written as it is produced (a large catalog's text need
// not be held whole).
Status WriteStdout(const Object& cluster, const std::string& format) {
  if (format == "json") {
    Status status = WriteObjectJson(cluster, stdout);
    if (status.ok()) return status;
  } else {
    const std::string text = format == "yaml" ? ObjectToYaml(cluster) : RenderTree(cluster);
    if (std::fwrite(text.data(), 1, text.size(), stdout) == text.size() &&
        std::fflush(stdout) == 0) {
      return Status::Ok();
    }
  }
  return Status(StatusCode::kInternal, "cannot write to standard output");
}

// The system identifier of the instance the source was read from, to be recorded in a
// snapshot: a snapshot's own; for a server, read (when the role may not read it, the snapshot
// records none: said at -v only, a dump does not need it).
std::string SourceSystemIdentifier(const DumpOptions& options, const LoadedSource& source) {
  if (!source.live) return source.system_identifier;
  StatusOr<std::string> id = ReadSystemIdentifier(options.source);
  if (!id.ok()) {
    spdlog::debug("the snapshot records no system identifier: {}", id.status().message());
    return "";
  }
  return *id;
}

Status RunDump(const DumpOptions& options) {
  auto start = std::chrono::steady_clock::now();
  StatusOr<LoadedSource> source =
      LoadSource(options.source, options.all_databases, options.parallel);
  if (!source.ok()) return source.status();
  size_t databases = 0;
  for (const Object& child : source->cluster.children()) {
    databases += child.kind() == ObjectKind::kDatabase;
  }
  size_t objects = source->cluster.DescendantCount();
  spdlog::info("{}: {} databases, {} objects", source->display_name, databases, objects);

  if (!options.output.empty()) {
    Status status = WriteSnapshot(source->cluster, !source->database.has_value(), options.output,
                                  SourceSystemIdentifier(options, *source));
    if (!status.ok()) return status;
    spdlog::info("wrote snapshot {}", options.output);
  }
  if (options.output.empty() || options.format_given) {
    Status status = WriteStdout(source->cluster, options.format);
    if (!status.ok()) return status;
  }
  if (options.stats) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr,
                 "pgtwin: dump stats: queries=%zu databases=%zu objects=%zu elapsed=%.3fs\n",
                 source->queries, databases, objects, seconds);
  }
  // The tree is left to the operating system: the process ends right after, and freeing a
  // large catalog's tree object by object would take a noticeable part of the dump (0.08 s of
  // 1.5 s for 124,000 objects).
  static_cast<void>(new Object(std::move(source->cluster)));
  return Status::Ok();
}

}  // namespace

void RegisterDumpCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<DumpOptions>();
  CLI::App* dump = app.add_subcommand(
      "dump", "Print a cluster's catalog as a tree, YAML or JSON, or save it as a snapshot");
  dump->add_option("--source", options->source,
                   "libpq URI or conninfo, snapshot directory, or snapshot database file")
      ->required();
  dump->add_flag("--all-databases", options->all_databases,
                 "Read every database of the cluster, not just the one the URI names");
  CLI::Option* format =
      dump->add_option("--format", options->format, "Output format (default: tree)")
          ->check(CLI::IsMember({"tree", "yaml", "json"}));
  dump->add_option("--output", options->output,
                   "Write a snapshot directory instead of printing (print too if --format is "
                   "given)");
  dump->add_option("--parallel", options->parallel, "Databases read at once (default: 4)")
      ->check(CLI::Range(1, 64));
  dump->add_flag("--stats", options->stats,
                 "Print the number of queries and databases and the elapsed time to stderr");
  dump->callback([options, format, exit_code] {
    options->format_given = format->count() > 0;
    Status status = RunDump(*options);
    *exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace pgtwin
