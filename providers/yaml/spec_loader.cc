#include "providers/yaml/spec_loader.h"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "model/object_kind.h"
#include "providers/yaml/yaml_fields.h"

namespace pgtwin {
namespace {

// Names of environments and sites: short words that fit in file names and logs.
bool IsName(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// Whether `text` is labels of letters, digits, '_' and '-' joined by single dots.
bool IsDnsSuffix(const std::string& text) {
  bool label_empty = true;
  for (char c : text) {
    if (c == '.') {
      if (label_empty) return false;
      label_empty = true;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') {
      label_empty = false;
    } else {
      return false;
    }
  }
  return !label_empty;
}

// The RE2 error for `pattern`, or "" when it compiles.
std::string RegexError(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re(pattern, options);
  return re.ok() ? "" : re.error();
}

// Reads a list of RE2 patterns, reporting each that does not compile at its item.
std::vector<std::string> ReadRegexList(const YAML::Node& node, const std::string& name,
                                       ErrorSink& sink) {
  std::vector<std::string> out;
  auto items = ReadStringList(node, name, sink);
  if (!items) return out;
  for (const auto& [pattern, mark] : *items) {
    std::string error = RegexError(pattern);
    if (!error.empty()) {
      sink.Add(mark, name + ": invalid regex '" + pattern + "': " + error);
    }
    out.push_back(pattern);
  }
  return out;
}

// Resolves a relative path in the spec against the spec file's directory.
std::string Resolve(const std::string& spec_file, const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  std::filesystem::path dir = std::filesystem::path(spec_file).parent_path();
  return (dir / p).lexically_normal().string();
}

// The scalar under `key` of a mapping without reporting anything ("" when there is none).
std::string PeekScalar(const YAML::Node& node, const std::string& key) {
  for (const auto& [name, value] : MapEntries(node)) {
    if (name == key && value.IsScalar()) return value.Scalar();
  }
  return "";
}

// Reads one spec file's parsed YAML into an EnvironmentSpec, reporting every problem.
class SpecReader {
 public:
  SpecReader(const std::string& file, ErrorSink& sink) : sink_(sink) { spec_.file = file; }

  EnvironmentSpec Read(const YAML::Node& root) {
    MapFields top(root, "",
                  {"environment", "prod", "int", "sites", "databases", "roles", "ignore",
                   "policy", "names", "workers"},
                  sink_);
    if (!top.is_map()) return spec_;
    if (auto node = top.Require("environment")) ReadEnvironment(*node);
    if (auto node = top.Require("prod")) ReadProd(*node);
    if (auto node = top.Find("roles")) ReadRoles(*node);
    if (auto node = top.Find("int")) {
      ReadIntSource(*node);
    } else if (spec_.roles.passwords == "int") {
      sink_.Add(top.mark(),
                "missing key 'int' (INT's connection; needed for roles.passwords: int, the "
                "default)");
    }
    if (auto node = top.Require("sites")) ReadSites(*node);
    if (auto node = top.Require("databases")) ReadDatabases(*node);
    if (auto node = top.Find("ignore")) ReadIgnore(*node);
    if (auto node = top.Find("policy")) ReadPolicy(*node);
    if (auto node = top.Find("names")) ReadNames(*node);
    if (auto node = top.Find("workers")) ReadWorkers(*node);
    return spec_;
  }

 private:
  void ReadEnvironment(const YAML::Node& node) {
    auto name = ReadString(node, "environment", sink_);
    if (!name) return;
    if (!IsName(*name)) {
      sink_.Add(node.Mark(), "environment: '" + *name +
                                 "' is not a valid name (use a-z, 0-9, _ and -)");
    }
    spec_.environment = *name;
  }

  void ReadProd(const YAML::Node& node) {
    MapFields prod(node, "prod", {"snapshot"}, sink_);
    auto snapshot = prod.Require("snapshot");
    if (!snapshot) return;
    spec_.prod_snapshot_where = sink_.At(snapshot->Mark());
    if (auto dir = ReadString(*snapshot, prod.Name("snapshot"), sink_)) {
      spec_.prod_snapshot = Resolve(spec_.file, *dir);
    }
  }

  void ReadIntSource(const YAML::Node& node) {
    MapFields source(node, "int", {"source"}, sink_);
    auto value = source.Require("source");
    if (!value) return;
    spec_.int_source_where = sink_.At(value->Mark());
    if (auto text = ReadString(*value, source.Name("source"), sink_)) spec_.int_source = *text;
  }

  void ReadSites(const YAML::Node& node) {
    if (!node.IsMap() || node.size() == 0) {
      sink_.Add(node.Mark(), "sites: expected a mapping of site names to {host, port}, got " +
                                 Describe(node));
      return;
    }
    MapFields names(node, "sites", {}, sink_);  // duplicates only; every name is allowed
    for (const auto& [name, value] : MapEntries(node)) {
      if (std::any_of(spec_.sites.begin(), spec_.sites.end(),
                      [&](const SiteSpec& s) { return s.name == name; }) ||
          name.empty()) {
        continue;  // a duplicate or a non-string key, already reported
      }
      ReadSite(name, value);
    }
    sites_known_ = true;
  }

  void ReadSite(const std::string& name, const YAML::Node& node) {
    SiteSpec site;
    site.name = name;
    site.where = sink_.At(node.Mark());
    std::string label = "site '" + name + "'";
    if (!IsName(name)) {
      sink_.Add(node.Mark(), label + ": not a valid site name (use a-z, 0-9, _ and -)");
    }
    MapFields fields(node, label, {"host", "port", "user", "protected"}, sink_);
    if (auto host = fields.Require("host")) {
      site.host = ReadString(*host, fields.Name("host"), sink_).value_or("");
    }
    if (auto port = fields.Find("port")) {
      if (auto value = ReadInt(*port, fields.Name("port"), sink_)) {
        if (*value < 1 || *value > 65535) {
          sink_.Add(port->Mark(), fields.Name("port") + ": " + std::to_string(*value) +
                                      " is not a port (1 to 65535)");
        }
        site.port = *value;
      }
    }
    if (auto user = fields.Find("user")) {
      site.user = ReadString(*user, fields.Name("user"), sink_).value_or("");
    }
    if (auto flag = fields.Find("protected")) {
      site.protect = ReadBool(*flag, fields.Name("protected"), sink_).value_or(false);
    }
    for (const SiteSpec& other : spec_.sites) {
      if (fields.is_map() && !site.host.empty() && other.host == site.host &&
          other.port == site.port) {
        sink_.Add(node.Mark(), label + ": same host and port as site '" + other.name + "'");
      }
    }
    spec_.sites.push_back(std::move(site));
  }

  void ReadDatabases(const YAML::Node& node) {
    auto items = ReadList(node, "databases", sink_);
    if (!items) return;
    std::vector<std::pair<std::string, SourceLocation>> seen;  // names and where
    for (size_t i = 0; i < items->size(); ++i) {
      const YAML::Node& item = (*items)[i];
      std::string peeked = PeekScalar(item, "name");
      std::string label = peeked.empty() ? "databases item " + std::to_string(i + 1)
                                         : "database '" + peeked + "'";
      MapFields fields(item, label, {"name", "shards", "sites"}, sink_);
      DatabaseSpec database;
      auto name = fields.Require("name");
      if (!name) continue;
      database.where = sink_.At(name->Mark());
      auto text = ReadString(*name, fields.Name("name"), sink_);
      if (!text) continue;
      database.name = *text;
      auto first = std::find_if(seen.begin(), seen.end(),
                                [&](const auto& entry) { return entry.first == *text; });
      if (first != seen.end()) {
        sink_.Add(name->Mark(), "database '" + *text + "' is listed twice " +
                                    FirstAt(first->second, database.where));
      } else {
        seen.emplace_back(*text, database.where);
      }
      if (auto shards = fields.Find("shards")) ReadShards(*shards, fields, database);
      if (auto sites = fields.Find("sites")) ReadDatabaseSites(*sites, fields, database);
      spec_.databases.push_back(std::move(database));
    }
  }

  void ReadShards(const YAML::Node& node, const MapFields& fields, DatabaseSpec& database) {
    database.shards_where = sink_.At(node.Mark());
    auto count = ReadInt(node, fields.Name("shards"), sink_);
    if (!count) return;
    if (*count < 1) {
      sink_.Add(node.Mark(), fields.Name("shards") + ": must be at least 1, got " +
                                 std::to_string(*count));
    } else if ((*count & (*count - 1)) != 0) {
      sink_.Add(node.Mark(), fields.Name("shards") + ": " + std::to_string(*count) +
                                 " is not a power of two (1, 2, 4, 8, ...)");
    }
    database.shards = *count;
  }

  void ReadDatabaseSites(const YAML::Node& node, const MapFields& fields,
                         DatabaseSpec& database) {
    std::string name = fields.Name("sites");
    auto sites = ReadStringList(node, name, sink_);
    if (!sites) return;
    if (sites->empty()) {
      sink_.Add(node.Mark(), name + ": empty list (leave sites out to mean every site)");
    }
    for (const auto& [site, mark] : *sites) {
      if (std::find(database.sites.begin(), database.sites.end(), site) !=
          database.sites.end()) {
        sink_.Add(mark, name + ": site '" + site + "' is listed twice");
        continue;
      }
      bool known = std::any_of(spec_.sites.begin(), spec_.sites.end(),
                               [&](const SiteSpec& s) { return s.name == site; });
      if (sites_known_ && !known) {
        std::string all;
        for (const SiteSpec& s : spec_.sites) all += (all.empty() ? "" : ", ") + s.name;
        sink_.Add(mark, name + ": unknown site '" + site + "' (known: " + all + ")");
      }
      database.sites.push_back(site);
    }
  }

  void ReadRoles(const YAML::Node& node) {
    MapFields fields(node, "roles", {"from", "passwords", "skip"}, sink_);
    if (auto from = fields.Find("from")) {
      auto text = ReadString(*from, fields.Name("from"), sink_);
      if (text && *text != "prod") {
        sink_.Add(from->Mark(), fields.Name("from") + ": '" + *text + "' is not a role source " +
                                    "(only prod)");
      }
    }
    if (auto passwords = fields.Find("passwords")) {
      auto text = ReadString(*passwords, fields.Name("passwords"), sink_);
      if (text && *text != "int" && *text != "none") {
        sink_.Add(passwords->Mark(),
                  fields.Name("passwords") + ": expected int or none, got '" + *text + "'");
      } else if (text) {
        spec_.roles.passwords = *text;
      }
    }
    if (auto skip = fields.Find("skip")) {
      spec_.roles.skip = ReadRegexList(*skip, fields.Name("skip"), sink_);
    }
  }

  void ReadIgnore(const YAML::Node& node) {
    auto rules = ReadStringList(node, "ignore", sink_);
    if (!rules) return;
    for (const auto& [rule, mark] : *rules) {
      size_t colon = rule.find(':');
      std::string kind = rule.substr(0, colon);
      if (colon == std::string::npos) {
        sink_.Add(mark, "ignore: '" + rule + "' is not KIND:REGEX");
      } else if (kind != "*" && !KindFromName(kind)) {
        sink_.Add(mark, "ignore: unknown kind '" + kind + "' in '" + rule +
                            "' (use a kind word of docs/model.md, or *)");
      } else if (colon + 1 == rule.size()) {
        sink_.Add(mark, "ignore: empty regex in '" + rule + "' (use .* to match every name)");
      } else if (std::string error = RegexError(rule.substr(colon + 1)); !error.empty()) {
        sink_.Add(mark, "ignore: invalid regex in '" + rule + "': " + error);
      }
      spec_.ignore.push_back(rule);
    }
  }

  void ReadPolicy(const YAML::Node& node) {
    MapFields fields(node, "policy", {"prune", "protect"}, sink_);
    if (auto prune = fields.Find("prune")) {
      spec_.policy.prune = ReadBool(*prune, fields.Name("prune"), sink_).value_or(false);
    }
    if (auto protect = fields.Find("protect")) {
      spec_.policy.protect = ReadRegexList(*protect, fields.Name("protect"), sink_);
    }
  }

  void ReadNames(const YAML::Node& node) {
    MapFields fields(node, "names", {"suffix"}, sink_);
    auto suffix = fields.Find("suffix");
    if (!suffix) return;
    auto text = ReadString(*suffix, fields.Name("suffix"), sink_);
    if (!text) return;
    if (!IsDnsSuffix(*text)) {
      sink_.Add(suffix->Mark(), fields.Name("suffix") + ": '" + *text +
                                    "' is not a DNS-style suffix (labels of a-z, A-Z, 0-9, _ "
                                    "and - joined by dots, e.g. qa1.db)");
    }
    spec_.names.suffix = *text;
  }

  void ReadWorkers(const YAML::Node& node) {
    MapFields fields(node, "workers", {"dir"}, sink_);
    auto dir = fields.Require("dir");
    if (!dir) return;
    auto text = ReadString(*dir, fields.Name("dir"), sink_);
    if (!text) return;
    spec_.workers.where = sink_.At(dir->Mark());
    spec_.workers.dir = Resolve(spec_.file, *text);
  }

  ErrorSink& sink_;
  EnvironmentSpec spec_;
  bool sites_known_ = false;  // `sites` was a mapping: database sites can be checked
};

}  // namespace

SpecLoadResult LoadSpec(const std::string& path) {
  SpecLoadResult result;
  ErrorSink sink(path);
  std::error_code ignored;
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open() || std::filesystem::is_directory(path, ignored)) {
    std::string why = in.is_open() ? "is a directory" : std::strerror(errno);
    result.errors.push_back(SpecError{SourceLocation{path, 0, 0}, "cannot read: " + why});
    return result;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    sink.Add(e.mark, "invalid YAML: " + e.msg);
    result.errors = sink.Take();
    return result;
  }
  if (documents.empty() || documents[0].IsNull()) {
    sink.Add(YAML::Mark(), "the spec is empty (expected environment, prod, int, sites, "
                           "databases, ...)");
  } else {
    if (documents.size() > 1) {
      sink.Add(documents[1].Mark(), "a spec holds one YAML document, this is a second one");
    }
    EnvironmentSpec spec = SpecReader(path, sink).Read(documents[0]);
    if (sink.empty()) result.spec = std::move(spec);
  }
  result.errors = sink.Take();
  return result;
}

}  // namespace pgtwin
