#include "reconciler/cli/spec_errors.h"

#include <cstdio>
#include <string>

namespace pgtwin {

void PrintSpecErrors(const std::vector<SpecError>& errors) {
  for (const SpecError& error : errors) {
    std::string line;
    for (char c : error.ToString()) line.push_back(c == '\n' || c == '\r' ? ' ' : c);
    std::fprintf(stderr, "%s\n", line.c_str());
  }
}

}  // namespace pgtwin
