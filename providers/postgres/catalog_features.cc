#include "providers/postgres/catalog_features.h"

namespace pgtwin {

CatalogFeatures CatalogFeatures::ForServer(int server_version_num) {
  CatalogFeatures f;
  f.server_version_num = server_version_num;
  f.trigger_parent = server_version_num >= 130000;
  f.sql_function_body = server_version_num >= 140000;
  f.locale_provider = server_version_num >= 150000;
  f.nulls_not_distinct = server_version_num >= 150000;
  if (server_version_num >= 170000) {
    f.icu_locale_column = "datlocale";
  } else if (server_version_num >= 150000) {
    f.icu_locale_column = "daticulocale";
  }
  return f;
}

std::string CatalogFeatures::MajorVersion() const {
  return std::to_string(server_version_num / 10000);
}

}  // namespace pgtwin
