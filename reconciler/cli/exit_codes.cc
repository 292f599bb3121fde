#include "reconciler/cli/exit_codes.h"

#include <cstdio>
#include <string>

namespace pgtwin {

int ReportError(const Status& status) {
  std::string line;
  for (char c : status.message()) {
    // Whatever a library put in the message, it stays one line.
    if (c == '\n' || c == '\r') {
      if (!line.empty() && line.back() != ' ') line.push_back(' ');
    } else {
      line.push_back(c);
    }
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  std::fprintf(stderr, "pgtwin: %s\n", line.c_str());
  return kExitError;
}

}  // namespace pgtwin
