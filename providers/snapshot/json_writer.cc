#include <nlohmann/json.hpp>

#include "providers/snapshot/json_codec.h"

namespace pgtwin {
namespace {

using Json = nlohmann::ordered_json;

Json NodeToJson(const Object& object, Json node) {
  node["kind"] = KindName(object.kind());
  node["name"] = object.name();
  if (!object.attrs().empty()) {
    Json& attrs = node["attrs"] = Json::object();
    for (const Attribute& a : object.attrs()) attrs[a.name] = a.value;
  }
  if (!object.children().empty()) {
    Json& children = node["children"] = Json::array();
    for (const Object& child : object.children()) {
      children.push_back(NodeToJson(child, Json::object()));
    }
  }
  return node;
}

}  // namespace

std::string ObjectToJson(const Object& object, const JsonFileHeader& header, bool pretty) {
  Json root = Json::object();
  if (header.format) root["format"] = *header.format;
  if (header.version) root["version"] = *header.version;
  if (header.all_databases) root["all_databases"] = *header.all_databases;
  root = NodeToJson(object, std::move(root));
  if (header.databases) root["databases"] = *header.databases;
  std::string text = root.dump(pretty ? 2 : -1, ' ', false, Json::error_handler_t::replace);
  text += '\n';
  return text;
}

}  // namespace pgtwin
