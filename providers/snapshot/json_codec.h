#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/object.h"
#include "model/status.h"

namespace pgtwin {

// Fields a snapshot file carries beside its object, written before "kind". Plain
// `pgtwin dump --format json` output has none of them.
struct JsonFileHeader {
  std::optional<std::string> format;
  std::optional<int64_t> version;
  std::optional<bool> all_databases;
  std::optional<std::vector<std::string>> databases;
  // The system identifier of the instance the snapshot was dumped from (pg_control_system());
  // absent when unknown (older snapshots, a dump without the privilege to read it). Written
  // after "all_databases".
  std::optional<std::string> system_identifier;
};

// A JSON document read back: the object tree and the header fields found beside it.
struct JsonDocument {
  Object object;
  JsonFileHeader header;
};

// The object tree as JSON with a final newline: {"kind": ..., "name": ..., "attrs": {...},
// "children": [...]}, recursively. "attrs" and "children" are omitted when empty; attributes
// and children are written in the order the object holds them (canonical once normalized).
// Invalid UTF-8 is replaced by U+FFFD. `pretty` indents by 2 spaces; otherwise the text is one
// line without spaces, which loads about a third faster.
std::string ObjectToJson(const Object& object, const JsonFileHeader& header = {},
                         bool pretty = true);
// Writes what ObjectToJson returns to `out` as it goes, without holding the whole text, and
// flushes it; kInternal when writing fails.
Status WriteObjectJson(const Object& object, std::FILE* out, const JsonFileHeader& header = {},
                       bool pretty = true);

// Parses what ObjectToJson writes (indented or not) and returns the tree normalized. `file` names
// the input in errors: `file:line:col: message` for JSON syntax errors (truncation included), and
// `file: /json/pointer: message` for an unknown kind or field, a missing field, a value of the
// wrong type, or a duplicate object or attribute.
StatusOr<JsonDocument> ParseObjectJson(std::string_view text, const std::string& file);

}  // namespace pgtwin
