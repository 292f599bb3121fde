#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "reconciler/serve/env_status.h"

namespace pgtwin {

// A StateListener that hands every change to the listener it holds, which can be replaced
// while passes run (a SIGHUP with other notify targets). Thread-safe.
class ListenerSlot : public StateListener {
 public:
  // Holds `listener` from now on (nullptr: changes are dropped). The one held before is
  // destroyed after the swap, outside the lock, so a notifier may finish sending its queue.
  void Replace(std::unique_ptr<StateListener> listener);

  void OnStateChange(const StateChange& change) override;
  void OnSummary(const std::vector<EnvStatus>& environments) override;

 private:
  std::mutex mutex_;
  std::unique_ptr<StateListener> listener_;
};

}  // namespace pgtwin
