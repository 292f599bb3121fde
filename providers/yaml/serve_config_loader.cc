#include "providers/yaml/serve_config_loader.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

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

void ReadConfig(const YAML::Node& root, const std::string& path, ServeConfig* config,
                ErrorSink& sink) {
  MapFields fields(root, "",
                   {"specs", "interval", "max_concurrent", "listen", "token", "token_file",
                    "log_format", "backoff", "history", "shutdown_grace", "lock_timeout",
                    "defaults", "environments"},
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
