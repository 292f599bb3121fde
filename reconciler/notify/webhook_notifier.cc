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
  if (change.old_state == EnvState::kPending && change.new_state == EnvState::kReady) return;
  Queue(Message{change, {}});
}

void WebhookNotifier::OnSummary(const std::vector<EnvStatus>& environments) {
  Queue(Message{std::nullopt, environments});
}

void WebhookNotifier::Queue(Message message) {
  if (targets_.empty()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (queue_.size() >= max_queued_) {
      const Message& oldest = queue_.front();
      spdlog::warn("notifications: {} messages waiting, the oldest ({}) dropped", queue_.size(),
                   oldest.change ? oldest.change->environment : "summary");
      queue_.pop_front();
    }
    queue_.push_back(std::move(message));
  }
  wake_.notify_all();
}

void WebhookNotifier::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    Message message = std::move(queue_.front());
    queue_.pop_front();
    bool last_chance = stopping_;
    lock.unlock();
    Deliver(message, last_chance);
    lock.lock();
  }
}

void WebhookNotifier::Deliver(const Message& message, bool last_chance) {
  const std::string list = status_base_url_ + "/api/v1/environments";
  // What the log says the message was about: "qa1: drift found", "the summary".
  std::string what = message.change ? message.change->environment + ": " +
                                          ChangeHeadline(*message.change)
                                    : "the summary of " + std::to_string(message.summary.size()) +
                                          " environments";
  for (const WebhookTarget& target : targets_) {
    std::string body =
        message.change
            ? StateChangeMessage(*message.change, target.format,
                                 list + "/" + message.change->environment)
            : SummaryMessage(message.summary, target.format, list);
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
      spdlog::info("notified {} of {}", target.name, what);
    } else {
      spdlog::warn("notification to {} of {} not delivered: {}", target.name, what,
                   sent.message());
    }
  }
}

}  // namespace pgtwin
