#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "model/status.h"
#include "reconciler/notify/chat_message.h"
#include "reconciler/serve/env_status.h"

namespace pgtwin {

// One chat or webhook receiver from the serve config. `url` is a secret (chat webhook URLs
// carry their token): it is only ever given to the sender.
struct WebhookTarget {
  std::string name;  // shown in logs instead of the URL
  std::string url;
  ChatFormat format = ChatFormat::kJson;
};

// Sends one message body to one target; providers/webhook's PostWebhook in the daemon.
using WebhookSender = std::function<Status(const WebhookTarget& target, const std::string& body)>;

// A StateListener that sends every state change to every target, in the target's format, on
// a thread of its own: OnStateChange only queues, so a slow or dead receiver never holds up a
// pass. A failed send is retried twice (after 1 s and 2 s), then logged (target name and the
// sender's error, never the URL) and dropped. Messages keep their order per notifier; at most
// `max_queued` wait, the oldest dropped beyond that (logged). The first pass finding an
// environment Ready (Pending -> Ready, as at every start of the daemon) is not news and is not
// sent; a first pass ending in any other state is. A summary (OnSummary: the daily summary)
// goes through the same queue to every target, in the target's format.
class WebhookNotifier : public StateListener {
 public:
  // `status_base_url` is where the daemon serves its API ("http://127.0.0.1:8080"); messages
  // link to the environment's status under it.
  WebhookNotifier(std::vector<WebhookTarget> targets, std::string status_base_url,
                  WebhookSender sender, size_t max_queued = 100);
  // Sends what is queued (each target tried once more at most), then stops the thread.
  ~WebhookNotifier() override;

  WebhookNotifier(const WebhookNotifier&) = delete;
  WebhookNotifier& operator=(const WebhookNotifier&) = delete;

  void OnStateChange(const StateChange& change) override;
  void OnSummary(const std::vector<EnvStatus>& environments) override;

 private:
  // One queued message: a state change, or a summary of every environment.
  struct Message {
    std::optional<StateChange> change;
    std::vector<EnvStatus> summary;
  };

  void Queue(Message message);
  void Run();
  void Deliver(const Message& message, bool last_chance);

  const std::vector<WebhookTarget> targets_;
  const std::string status_base_url_;
  const WebhookSender sender_;
  const size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Message> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace pgtwin
