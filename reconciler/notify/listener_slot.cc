#include "reconciler/notify/listener_slot.h"

#include <utility>

namespace pgtwin {

void ListenerSlot::Replace(std::unique_ptr<StateListener> listener) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::swap(listener_, listener);
  }
  listener.reset();  // the old one, outside the lock
}

void ListenerSlot::OnStateChange(const StateChange& change) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (listener_) listener_->OnStateChange(change);
}

void ListenerSlot::OnSummary(const std::vector<EnvStatus>& environments) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (listener_) listener_->OnSummary(environments);
}

}  // namespace pgtwin
