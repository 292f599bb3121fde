#include "reconciler/serve/backoff.h"

#include <algorithm>

namespace pgtwin {

std::chrono::milliseconds BackoffDelay(int failures, std::chrono::seconds initial,
                                       std::chrono::seconds max, double random_unit) {
  double cap = std::chrono::duration<double, std::milli>(max).count();
  double delay = std::chrono::duration<double, std::milli>(initial).count();
  for (int i = 1; i < failures && delay < cap; ++i) delay *= 2;
  delay = std::min(delay, cap);
  delay *= 0.8 + 0.4 * std::clamp(random_unit, 0.0, 1.0);
  delay = std::clamp(delay, 1000.0, std::max(cap, 1000.0));
  return std::chrono::milliseconds(static_cast<long long>(delay));
}

}  // namespace pgtwin
