#include "reconciler/diff/diff_json.h"

#include <nlohmann/json.hpp>
#include <string>

namespace pgtwin {
namespace {

using Json = nlohmann::ordered_json;

Json ValueOrNull(const std::optional<std::string>& value) {
  return value ? Json(*value) : Json(nullptr);
}

}  // namespace

void WriteDiffJson(const DiffResult& result, std::string_view source_name,
                   std::string_view target_name, std::ostream& out) {
  Json summary = Json::object();
  for (const auto& [kind, counts] : result.summary.by_kind) {
    summary[std::string(KindName(kind))] = {{"source_only", counts.source_only},
                                            {"target_only", counts.target_only},
                                            {"changed", counts.changed}};
  }
  summary["ignored"] = result.summary.ignored;

  Json differences = Json::array();
  for (const DiffEntry& entry : result.entries) {
    Json item = {{"change", ChangeKindName(entry.change)}, {"kind", KindName(entry.kind)}};
    if (!entry.database.empty()) item["database"] = entry.database;
    item["key"] = entry.Key();
    Json attrs = Json::array();
    for (const AttributeChange& attr : entry.attrs) {
      attrs.push_back({{"name", attr.name},
                       {"source", ValueOrNull(attr.source)},
                       {"target", ValueOrNull(attr.target)}});
    }
    item["attrs"] = std::move(attrs);
    differences.push_back(std::move(item));
  }

  Json doc = {{"version", 1},
              {"source", source_name},
              {"target", target_name},
              {"summary", std::move(summary)},
              {"differences", std::move(differences)}};
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace pgtwin
