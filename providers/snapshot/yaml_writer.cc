#include <yaml-cpp/yaml.h>

#include "providers/snapshot/yaml_codec.h"

namespace pgtwin {
namespace {

void EmitNode(const Object& object, YAML::Emitter* out) {
  *out << YAML::BeginMap;
  *out << YAML::Key << "kind" << YAML::Value << std::string(KindName(object.kind()));
  *out << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted << object.name();
  if (!object.attrs().empty()) {
    *out << YAML::Key << "attrs" << YAML::Value << YAML::BeginMap;
    for (const Attribute& a : object.attrs()) {
      *out << YAML::Key << a.name << YAML::Value << YAML::DoubleQuoted << a.value;
    }
    *out << YAML::EndMap;
  }
  if (!object.children().empty()) {
    *out << YAML::Key << "children" << YAML::Value << YAML::BeginSeq;
    for (const Object& child : object.children()) EmitNode(child, out);
    *out << YAML::EndSeq;
  }
  *out << YAML::EndMap;
}

}  // namespace

std::string ObjectToYaml(const Object& object) {
  YAML::Emitter out;
  out.SetIndent(2);
  EmitNode(object, &out);
  std::string text = out.c_str();
  text += '\n';
  return text;
}

}  // namespace pgtwin
