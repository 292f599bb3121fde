#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/spec.h"

namespace pgtwin {

// Collects the problems of one YAML file, each at a position.
class ErrorSink {
 public:
  explicit ErrorSink(std::string file) : file_(std::move(file)) {}

  // The 1-based position of a yaml-cpp mark (line 0 for a node without one).
  SourceLocation At(const YAML::Mark& mark) const;
  void Add(const YAML::Mark& mark, std::string message);
  bool empty() const { return errors_.empty(); }
  // Every error, in file order (by line, then column, then as found).
  std::vector<SpecError> Take();

 private:
  std::string file_;
  std::vector<SpecError> errors_;
};

// How a node reads in a message: 'text', a quoted string 'text', a list, a mapping, nothing.
std::string Describe(const YAML::Node& node);

// Where an earlier occurrence is, said from a later one: "(first at line 5)", or
// "(first at column 9)" when both are on one line.
std::string FirstAt(const SourceLocation& first, const SourceLocation& later);

// The entries of a YAML mapping, checked on construction: reports a node that is not a mapping,
// keys that are not strings, duplicate keys and keys not in `known` (any key when `known` is
// empty), each at the key.
// `label` names the mapping in messages ("site 'dc1'"); empty for the top level.
class MapFields {
 public:
  MapFields(const YAML::Node& node, std::string label, std::vector<std::string> known,
            ErrorSink& sink);

  bool is_map() const { return is_map_; }
  const YAML::Mark& mark() const { return mark_; }
  // The value of `key` (its first occurrence), or nullopt when absent.
  std::optional<YAML::Node> Find(std::string_view key) const;
  // Like Find, and reports "missing key 'KEY' in LABEL" at the mapping when absent.
  std::optional<YAML::Node> Require(std::string_view key) const;
  // How the value of `key` is named in messages: "port in site 'dc1'", or "environment".
  std::string Name(std::string_view key) const;

 private:
  bool is_map_ = false;
  YAML::Mark mark_;
  std::string label_;
  std::vector<std::pair<std::string, YAML::Node>> entries_;
  ErrorSink& sink_;
};

// The keys of a mapping, in file order (empty when `node` is not a mapping).
std::vector<std::pair<std::string, YAML::Node>> MapEntries(const YAML::Node& node);

// Scalar readers: report "NAME: expected ..., got ..." at the value and return nullopt when the
// value has the wrong type. Strings: a non-empty scalar, quoted unless YAML 1.2 reads it as
// text (10, 1.5, true, null are not strings). Integers: a plain decimal scalar.
// Booleans: a plain `true` or `false` (not yes/no/on/off).
std::optional<std::string> ReadString(const YAML::Node& node, const std::string& name,
                                      ErrorSink& sink);
std::optional<int> ReadInt(const YAML::Node& node, const std::string& name, ErrorSink& sink);
std::optional<bool> ReadBool(const YAML::Node& node, const std::string& name, ErrorSink& sink);
// A list: the items, or nullopt (reported) when `node` is not a sequence.
std::optional<std::vector<YAML::Node>> ReadList(const YAML::Node& node, const std::string& name,
                                                ErrorSink& sink);
// A list of strings; items of the wrong type are reported and left out.
std::optional<std::vector<std::pair<std::string, YAML::Mark>>> ReadStringList(
    const YAML::Node& node, const std::string& name, ErrorSink& sink);

}  // namespace pgtwin
