#include "reconciler/notify/webhook_notifier.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

namespace pgtwin {

WebhookNotifier::WebhookNotifier(std::vector<WebhookTarget> targets, std::string status_base_url,
                                 WebhookSender sender, size_t max_queued)
    : targets_(std::move(targets)),
      status_base_url_(std::move(status_base_url)),
      sender_(std::move(sender)),
      max_queued_(max_queued),
      thread_([this] { Run(); }) {}

WebhookNotifier::~WebhookNotifier() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void WebhookNotifier::OnStateChange(const StateChange& change) {
  if (targets_.empty()) return;
  if (change.old_state == EnvState::kPending && change.new_state == EnvState::kReady) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (queue_.size() >= max_queued_) {
      spdlog::warn("notifications: {} messages waiting, the oldest ({}) dropped", queue_.size(),
                   queue_.front().environment);
      queue_.pop_front();
    }
    queue_.push_back(change);
  }
  wake_.notify_all();
}

void WebhookNotifier::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    StateChange change = std::move(queue_.front());
    queue_.pop_front();
    bool last_chance = stopping_;
    lock.unlock();
    Deliver(change, last_chance);
    lock.lock();
  }
}

void WebhookNotifier::Deliver(const StateChange& change, bool last_chance) {
  std::string link = status_base_url_ + "/api/v1/environments/" + change.environment;
  for (const WebhookTarget& target : targets_) {
    std::string body = StateChangeMessage(change, target.format, link);
    Status sent = sender_(target, body);
    for (int attempt = 1; !sent.ok() && !last_chance && attempt <= 2; ++attempt) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        // A stop cuts the wait short; the retry still happens, once.
        wake_.wait_for(lock, std::chrono::seconds(attempt), [this] { return stopping_; });
      }
      sent = sender_(target, body);
    }
    if (sent.ok()) {
      spdlog::info("notified {} of {}: {}", target.name, change.environment,
                   ChangeHeadline(change));
    } else {
      spdlog::warn("notification of {} ({}) not delivered: {}", change.environment,
                   ChangeHeadline(change), sent.message());
    }
  }
}

}  // namespace pgtwin
