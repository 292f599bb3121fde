#pragma once

#include <chrono>

namespace pgtwin {

// How long to wait before retry number `failures` (1: after the first failure):
// initial * 2^(failures - 1), capped at `max`, then spread by a jitter of ±20% (`random_unit`
// in [0, 1) picks where: 0 is -20%, 0.5 none) and capped at `max` again. Never below one
// second, so a failing environment cannot spin.
std::chrono::milliseconds BackoffDelay(int failures, std::chrono::seconds initial,
                                       std::chrono::seconds max, double random_unit);

}  // namespace pgtwin
