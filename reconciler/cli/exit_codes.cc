#include "reconciler/cli/exit_codes.h"

#include <cstdio>

namespace pgtwin {

int ReportError(const Status& status) {
  std::fprintf(stderr, "pgtwin: %s\n", status.message().c_str());
  return kExitError;
}

}  // namespace pgtwin
