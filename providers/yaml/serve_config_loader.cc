#include "providers/yaml/serve_config_loader.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "providers/yaml/yaml_fields.h"

namespace pgtwin {
namespace {

std::string Resolve(const std::string& base_file, const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  return (std::filesystem::path(base_file).parent_path() / p).lexically_normal().string();
}

// An integer value within [low, high], reported at the value otherwise.
void ReadRange(const MapFields& fields, std::string_view key, int low, int high, int* out,
               ErrorSink& sink) {
  std::optional<YAML::Node> node = fields.Find(key);
  if (!node) return;
  std::optional<int> value = ReadInt(*node, fields.Name(key), sink);
  if (!value) return;
  if (*value < low || *value > high) {
    sink.Add(node->Mark(), fields.Name(key) + ": " + std::to_string(*value) + " is out of range (" +
                               std::to_string(low) + "-" + std::to_string(high) + ")");
    return;
  }
  *out = *value;
}

void ReadPolicy(const YAML::Node& node, const std::string& label, EnvironmentPolicy* policy,
                ErrorSink& sink) {
  MapFields fields(node, label, {"policy", "suspended", "apply_window"}, sink);
  if (!fields.is_map()) return;
  if (std::optional<YAML::Node> value = fields.Find("policy")) {
    std::optional<std::string> text = ReadString(*value, fields.Name("policy"), sink);
    if (text && *text != "apply" && *text != "plan-only") {
      sink.Add(value->Mark(), fields.Name("policy") + ": '" + *text +
                                  "' is not a policy (apply or plan-only)");
    } else if (text) {
      policy->apply = *text == "apply";
    }
  }
  if (std::optional<YAML::Node> value = fields.Find("suspended")) {
    if (std::optional<bool> flag = ReadBool(*value, fields.Name("suspended"), sink)) {
      policy->suspended = *flag;
    }
  }
  if (std::optional<YAML::Node> value = fields.Find("apply_window")) {
    if (std::optional<std::string> text = ReadString(*value, fields.Name("apply_window"), sink)) {
      StatusOr<ApplyWindow> window = ParseApplyWindow(*text);
      if (window.ok()) {
        policy->window = *window;
      } else {
        sink.Add(value->Mark(), fields.Name("apply_window") + ": " + window.status().message());
      }
    }
  }
}

bool IsHttpUrl(const std::string& text) {
  return text.starts_with("http://") || text.starts_with("https://");
}

// One entry of `notify`. The URL is a secret: no message quotes it.
void ReadNotifyTarget(const YAML::Node& node, size_t index, const std::string& path,
                      NotifyTarget* target, ErrorSink& sink) {
  std::string label = "notify[" + std::to_string(index) + "]";
  if (node.IsMap() && node["name"] && node["name"].IsScalar()) {
    label = "notify target '" + node["name"].Scalar() + "'";
  }
  MapFields fields(node, label, {"name", "url", "url_file", "format"}, sink);
  if (!fields.is_map()) return;
  if (std::optional<YAML::Node> value = fields.Require("name")) {
    if (std::optional<std::string> text = ReadString(*value, fields.Name("name"), sink)) {
      target->name = *text;
    }
  }
  std::optional<YAML::Node> url = fields.Find("url");
  std::optional<YAML::Node> url_file = fields.Find("url_file");
  std::optional<std::string> url_text;
  YAML::Mark url_mark = fields.mark();
  if (url && url_file) {
    sink.Add(url_file->Mark(), fields.Name("url_file") + ": give url or url_file, not both");
  } else if (url) {
    url_mark = url->Mark();
    if (!url->IsScalar() || url->Scalar().empty()) {
      sink.Add(url->Mark(), fields.Name("url") + ": expected a non-empty string");
    } else {
      url_text = url->Scalar();
    }
  } else if (url_file) {
    url_mark = url_file->Mark();
    if (std::optional<std::string> file = ReadString(*url_file, fields.Name("url_file"), sink)) {
      StatusOr<std::string> read = ReadTokenFile(Resolve(path, *file));
      if (read.ok()) {
        url_text = *read;
      } else {
        sink.Add(url_file->Mark(), fields.Name("url_file") + ": " + read.status().message());
      }
    }
  } else {
    sink.Add(fields.mark(), "missing key 'url' (or 'url_file') in " + label);
  }
  if (url_text && !IsHttpUrl(*url_text)) {
    sink.Add(url_mark, fields.Name(url ? "url" : "url_file") +
                           ": expected an http:// or https:// URL (the value is not shown)");
  } else if (url_text) {
    target->url = *url_text;
  }
  if (std::optional<YAML::Node> value = fields.Find("format")) {
    std::optional<std::string> text = ReadString(*value, fields.Name("format"), sink);
    if (text && *text != "slack" && *text != "teams" && *text != "json") {
      sink.Add(value->Mark(),
               fields.Name("format") + ": '" + *text + "' is not slack, teams or json");
    } else if (text) {
      target->format = *text;
    }
  }
}

void ReadNotify(const YAML::Node& node, const std::string& path, ServeConfig* config,
                ErrorSink& sink) {
  std::optional<std::vector<YAML::Node>> items = ReadList(node, "notify", sink);
  if (!items) return;
  std::map<std::string, SourceLocation> names;
  for (size_t i = 0; i < items->size(); ++i) {
    const YAML::Node& item = (*items)[i];
    NotifyTarget target;
    ReadNotifyTarget(item, i, path, &target, sink);
    if (target.name.empty()) continue;
    SourceLocation at = sink.At(item["name"].Mark());
    auto [first, inserted] = names.emplace(target.name, at);
    if (!inserted) {
      sink.Add(item["name"].Mark(), "notify: the name '" + target.name + "' is used twice " +
                                        FirstAt(first->second, at));
      continue;
    }
    config->notify.push_back(std::move(target));
  }
}

void ReadConfig(const YAML::Node& root, const std::string& path, ServeConfig* config,
                ErrorSink& sink) {
  MapFields fields(root, "",
                   {"specs", "interval", "max_concurrent", "listen", "token", "token_file",
                    "log_format", "backoff", "history", "shutdown_grace", "lock_timeout",
                    "defaults", "environments", "notify", "public_url", "daily_summary"},
                   sink);
  if (!fields.is_map()) return;
  if (std::optional<YAML::Node> value = fields.Require("specs")) {
    if (std::optional<std::string> text = ReadString(*value, "specs", sink)) {
      config->specs_dir = Resolve(path, *text);
    }
  }
  ReadRange(fields, "interval", 1, 86400, &config->interval_seconds, sink);
  ReadRange(fields, "max_concurrent", 1, 64, &config->max_concurrent, sink);
  ReadRange(fields, "history", 1, 1000, &config->history, sink);
  ReadRange(fields, "shutdown_grace", 0, 3600, &config->shutdown_grace_seconds, sink);
  ReadRange(fields, "lock_timeout", 0, 86400, &config->lock_timeout_seconds, sink);
  if (std::optional<YAML::Node> value = fields.Find("listen")) {
    if (std::optional<std::string> text = ReadString(*value, "listen", sink)) {
      size_t colon = text->rfind(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == text->size()) {
        sink.Add(value->Mark(), "listen: '" + *text + "' is not HOST:PORT");
      } else {
        config->listen = *text;
      }
    }
  }
  if (std::optional<YAML::Node> value = fields.Find("public_url")) {
    if (std::optional<std::string> text = ReadString(*value, "public_url", sink)) {
      if (!IsHttpUrl(*text)) {
        sink.Add(value->Mark(), "public_url: '" + *text + "' is not an http:// or https:// URL");
      } else {
        config->public_url = *text;
      }
    }
  }
  if (std::optional<YAML::Node> value = fields.Find("notify")) {
    ReadNotify(*value, path, config, sink);
  }
  if (std::optional<YAML::Node> value = fields.Find("daily_summary")) {
    if (std::optional<std::string> text = ReadString(*value, "daily_summary", sink)) {
      StatusOr<DailyTime> time = ParseDailyTime(*text);
      if (time.ok()) {
        config->daily_summary = *time;
      } else {
        sink.Add(value->Mark(), "daily_summary: " + time.status().message());
      }
    }
  }
  if (std::optional<YAML::Node> value = fields.Find("log_format")) {
    std::optional<std::string> text = ReadString(*value, "log_format", sink);
    if (text && *text != "text" && *text != "json") {
      sink.Add(value->Mark(), "log_format: '" + *text + "' is not text or json");
    } else if (text) {
      config->log_format = *text;
    }
  }
  std::optional<YAML::Node> token = fields.Find("token");
  std::optional<YAML::Node> token_file = fields.Find("token_file");
  if (token && token_file) {
    sink.Add(token_file->Mark(), "token_file: give token or token_file, not both");
  } else if (token) {
    // Read as a string; the value itself never goes into a message.
    if (!token->IsScalar() || token->Scalar().empty()) {
      sink.Add(token->Mark(), "token: expected a non-empty string");
    } else {
      config->token = token->Scalar();
    }
  } else if (token_file) {
    if (std::optional<std::string> text = ReadString(*token_file, "token_file", sink)) {
      StatusOr<std::string> read = ReadTokenFile(Resolve(path, *text));
      if (read.ok()) {
        config->token = *read;
      } else {
        sink.Add(token_file->Mark(), "token_file: " + read.status().message());
      }
    }
  }
  if (std::optional<YAML::Node> value = fields.Find("backoff")) {
    MapFields backoff(*value, "backoff", {"initial", "max"}, sink);
    if (backoff.is_map()) {
      ReadRange(backoff, "initial", 1, 86400, &config->backoff_initial_seconds, sink);
      ReadRange(backoff, "max", 1, 86400, &config->backoff_max_seconds, sink);
    }
  }
  if (std::optional<YAML::Node> value = fields.Find("defaults")) {
    ReadPolicy(*value, "defaults", &config->defaults, sink);
  }
  if (std::optional<YAML::Node> value = fields.Find("environments")) {
    MapFields environments(*value, "environments", {}, sink);
    for (const auto& [name, node] : MapEntries(*value)) {
      EnvironmentPolicy policy = config->defaults;
      ReadPolicy(node, "environment '" + name + "'", &policy, sink);
      config->environments[name] = policy;
    }
  }
}

}  // namespace

StatusOr<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    return Status(StatusCode::kNotFound, path + ": cannot read: " + std::strerror(errno));
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t begin = text.find_first_not_of(" \t\r\n");
  size_t end = text.find_last_not_of(" \t\r\n");
  if (begin == std::string::npos) {
    return Status(StatusCode::kInvalidArgument, path + ": the token file is empty");
  }
  return text.substr(begin, end - begin + 1);
}

ServeConfigLoadResult LoadServeConfig(const std::string& path) {
  ServeConfigLoadResult result;
  ErrorSink sink(path);
  std::error_code ignored;
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open() || std::filesystem::is_directory(path, ignored)) {
    std::string why = in.is_open() ? "is a directory" : std::strerror(errno);
    result.errors.push_back(SpecError{SourceLocation{path, 0, 0}, "cannot read: " + why});
    return result;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    sink.Add(e.mark, "invalid YAML: " + e.msg);
    result.errors = sink.Take();
    return result;
  }
  ServeConfig config;
  config.file = path;
  if (root.IsNull()) {
    sink.Add(YAML::Mark(), "the config is empty (expected specs, interval, listen, ...)");
  } else {
    ReadConfig(root, path, &config, sink);
  }
  if (sink.empty()) result.config = std::move(config);
  result.errors = sink.Take();
  return result;
}

}  // namespace pgtwin
