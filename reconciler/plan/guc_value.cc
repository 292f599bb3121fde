#include "reconciler/plan/guc_value.h"

#include <string>
#include <vector>

#include "reconciler/plan/ddl_quote.h"

namespace pgtwin::cluster_sql {
namespace {

// Settings whose list elements PostgreSQL stores quoted (GUC_LIST_QUOTE).
bool IsQuotedList(std::string_view guc) {
  return guc == "search_path" || guc == "temp_tablespaces" || guc == "session_preload_libraries" ||
         guc == "local_preload_libraries" || guc == "shared_preload_libraries" ||
         guc == "unix_socket_directories";
}

// Splits a list setting into its elements: separated by commas, surrounding blanks trimmed,
// double-quoted elements unquoted ("" stands for one quote).
std::vector<std::string> SplitList(std::string_view value) {
  std::vector<std::string> items;
  size_t i = 0;
  auto skip_blanks = [&] {
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t' || value[i] == '\n')) ++i;
  };
  skip_blanks();
  while (i < value.size()) {
    std::string item;
    if (value[i] == '"') {
      ++i;
      while (i < value.size()) {
        if (value[i] == '"') {
          if (i + 1 < value.size() && value[i + 1] == '"') {
            item += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        item += value[i++];
      }
      skip_blanks();
    } else {
      size_t end = value.find(',', i);
      if (end == std::string_view::npos) end = value.size();
      item = std::string(value.substr(i, end - i));
      while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.pop_back();
      i = end;
    }
    items.push_back(std::move(item));
    if (i < value.size() && value[i] == ',') ++i;
    skip_blanks();
  }
  return items;
}

}  // namespace

std::string GucValue(std::string_view guc, std::string_view value) {
  if (!IsQuotedList(guc)) return ddl::QuoteLiteral(value);
  std::string out;
  for (const std::string& item : SplitList(value)) {
    if (!out.empty()) out += ", ";
    out += ddl::QuoteLiteral(item);
  }
  return out.empty() ? "''" : out;
}

}  // namespace pgtwin::cluster_sql
