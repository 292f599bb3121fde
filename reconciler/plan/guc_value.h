#pragma once

#include <string>
#include <string_view>

namespace pgtwin::cluster_sql {

// The value of `SET <guc> TO ...` for a setting as pg_db_role_setting stores it: list
// settings whose elements PostgreSQL quotes (search_path, *_preload_libraries, ...) become a
// list of literals, every other value one literal (as pg_dump writes them).
std::string GucValue(std::string_view guc, std::string_view value);

}  // namespace pgtwin::cluster_sql
