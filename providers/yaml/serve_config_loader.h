#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/serve_config.h"
#include "model/spec.h"

namespace pgtwin {

// The outcome of reading a `pgtwin serve` config file: the config when it has no error, and
// every error found, each as file:line:col.
struct ServeConfigLoadResult {
  std::optional<ServeConfig> config;
  std::vector<SpecError> errors;
};

// Reads and checks the serve config at `path` (docs/cli.md, "serve"): unknown keys, wrong
// types, out-of-range numbers, bad windows and policies are errors at their value. `specs`
// and `token_file` are resolved against the file's directory; the token file is read (its
// content trimmed) and never quoted in an error. `notify` targets need a unique name, an
// http(s) `url` (or `url_file`, read like the token file) and a format (slack, teams, json;
// default json); a URL is never quoted in an error either.
ServeConfigLoadResult LoadServeConfig(const std::string& path);

// Reads a token file: its content without surrounding white space; an error names the file,
// never its content.
StatusOr<std::string> ReadTokenFile(const std::string& path);

}  // namespace pgtwin
