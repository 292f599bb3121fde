#include "reconciler/cli/spec_errors.h"

#include <cstdio>
#include <string>
#include <utility>

namespace pgtwin {

void PrintSpecErrors(const std::vector<SpecError>& errors) {
  for (const SpecError& error : errors) {
    std::string line;
    for (char c : error.ToString()) line.push_back(c == '\n' || c == '\r' ? ' ' : c);
    std::fprintf(stderr, "%s\n", line.c_str());
  }
}

StatusOr<CheckedSpec> LoadSpecOrPrintErrors(const std::string& path) {
  CheckedSpecResult result = LoadCheckedSpec(path);
  if (result.errors.empty()) return std::move(*result.checked);
  PrintSpecErrors(result.errors);
  return Status(StatusCode::kInvalidArgument,
                path + ": " + std::to_string(result.errors.size()) +
                    (result.errors.size() == 1 ? " error" : " errors"));
}

}  // namespace pgtwin
