#include <nlohmann/json.hpp>

#include "providers/snapshot/json_codec.h"

namespace pgtwin {
namespace {

using Json = nlohmann::ordered_json;

Json NodeToJson(const Object& object, Json node) {
  node["kind"] = KindName(object.kind());
  node["name"] = object.name();
  if (!object.attrs().empty()) {
    // Attribute names are unique: append without ordered_map's linear lookup.
    auto& attrs = (node["attrs"] = Json::object()).get_ref<Json::object_t&>();
    attrs.reserve(object.attrs().size());
    for (const Attribute& a : object.attrs()) attrs.emplace_back(a.name, a.value);
  }
  if (!object.children().empty()) {
    auto& children = (node["children"] = Json::array()).get_ref<Json::array_t&>();
    children.reserve(object.children().size());
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
