#include "model/spec.h"

namespace pgtwin {

std::string SpecError::ToString() const {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
         ": " + message;
}

}  // namespace pgtwin
