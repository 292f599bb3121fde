// PostWebhook against a real HTTP receiver on loopback (cpprestsdk's http_listener): the JSON
// body arrives as sent, a non-2xx answer and an unreachable receiver are errors, and no error
// shows the URL's path, where chat webhooks keep their token; the daily summary of `pgtwin serve`
// reaches such a receiver once when it is due.
#include "providers/webhook/webhook_client.h"

#include <cpprest/http_listener.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "reconciler/notify/webhook_notifier.h"
#include "reconciler/serve/summary_schedule.h"

namespace pgtwin {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using web::http::experimental::listener::http_listener;

constexpr char kToken[] = "T000/B000/secret-token";

// A receiver on 127.0.0.1 that answers `status` and keeps the last body and content type.
class Receiver {
 public:
  explicit Receiver(web::http::status_code status) : status_(status) {
    for (int port = 18600 + getpid() % 300; !listener_; ++port) {
      url_ = "http://127.0.0.1:" + std::to_string(port);
      auto listener = std::make_unique<http_listener>(web::uri(url_));
      listener->support(web::http::methods::POST, [this](web::http::http_request request) {
        std::string body = request.extract_string(true).get();
        {
          std::lock_guard<std::mutex> lock(mutex_);
          body_ = body;
          ++posts_;
          content_type_ = request.headers().content_type();
        }
        request.reply(status_);
      });
      try {
        listener->open().wait();
        listener_ = std::move(listener);
      } catch (const std::exception&) {  // port taken: try the next
      }
    }
  }
  ~Receiver() { listener_->close().wait(); }

  std::string url() const { return url_ + "/services/" + kToken; }
  std::string body() {
    std::lock_guard<std::mutex> lock(mutex_);
    return body_;
  }
  std::string content_type() {
    std::lock_guard<std::mutex> lock(mutex_);
    return content_type_;
  }
  int posts() {
    std::lock_guard<std::mutex> lock(mutex_);
    return posts_;
  }

 private:
  web::http::status_code status_;
  std::string url_;
  std::unique_ptr<http_listener> listener_;
  std::mutex mutex_;
  std::string body_;
  std::string content_type_;
  int posts_ = 0;
};

TEST(WebhookClientTest, DeliversTheJsonBody) {
  Receiver receiver(web::http::status_codes::OK);
  Status sent = PostWebhook("ops", receiver.url(), R"({"text":"hello"})",
                            std::chrono::milliseconds(5000));
  EXPECT_TRUE(sent.ok()) << sent.message();
  EXPECT_EQ(receiver.body(), R"({"text":"hello"})");
  EXPECT_THAT(receiver.content_type(), HasSubstr("application/json"));
}

TEST(WebhookClientTest, ANon2xxAnswerIsAnErrorWithoutTheToken) {
  Receiver receiver(web::http::status_codes::NotFound);
  Status sent = PostWebhook("ops", receiver.url(), "{}", std::chrono::milliseconds(5000));
  ASSERT_FALSE(sent.ok());
  EXPECT_THAT(sent.message(), HasSubstr("webhook ops (http://127.0.0.1:"));
  EXPECT_THAT(sent.message(), HasSubstr("HTTP 404"));
  EXPECT_THAT(sent.message(), Not(HasSubstr("secret-token")));
}

TEST(WebhookClientTest, AnUnreachableReceiverIsAnErrorWithoutTheToken) {
  Status sent = PostWebhook("ops", std::string("http://127.0.0.1:1/services/") + kToken, "{}",
                            std::chrono::milliseconds(2000));
  ASSERT_FALSE(sent.ok());
  EXPECT_THAT(sent.message(), HasSubstr("webhook ops (http://127.0.0.1:1): "));
  EXPECT_THAT(sent.message(), Not(HasSubstr("secret-token")));
}

TEST(WebhookClientTest, DisplayNameKeepsSchemeHostAndPortOnly) {
  EXPECT_EQ(WebhookDisplayName("https://hooks.slack.com/services/T0/B0/xyz"),
            "https://hooks.slack.com");
  EXPECT_EQ(WebhookDisplayName("http://10.0.0.5:8080/hook?token=abc"), "http://10.0.0.5:8080");
  EXPECT_EQ(WebhookDisplayName("not a url"), "(invalid URL)");
}

TEST(WebhookClientTest, ADueDailySummaryReachesTheReceiverOnce) {
  Receiver receiver(web::http::status_codes::OK);
  std::tm local{};
  local.tm_year = 2026 - 1900;
  local.tm_mon = 2;
  local.tm_mday = 10;
  local.tm_hour = 7;
  local.tm_min = 58;
  local.tm_isdst = -1;
  std::time_t start = std::mktime(&local);
  EnvStatus qa1;
  qa1.name = "qa1";
  qa1.state = EnvState::kDrifted;
  qa1.reason = "PlanOnly";
  {
    WebhookNotifier notifier({{"ops", receiver.url(), ChatFormat::kJson}}, "http://h:1",
                             [](const WebhookTarget& target, const std::string& body) {
                               return PostWebhook(target.name, target.url, body,
                                                  std::chrono::milliseconds(5000));
                             });
    SummarySchedule schedule;
    schedule.Set(DailyTime{8, 0}, start);
    // The daemon's loop, once a second for five minutes around 08:00.
    for (std::time_t now = start; now < start + 300; ++now) {
      if (schedule.Due(now)) notifier.OnSummary({qa1});
    }
  }  // the destructor delivers what is queued
  EXPECT_EQ(receiver.posts(), 1);
  nlohmann::json event = nlohmann::json::parse(receiver.body(), nullptr, false);
  ASSERT_TRUE(event.is_object()) << receiver.body();
  EXPECT_EQ(event["event"], "summary");
  ASSERT_EQ(event["environments"].size(), 1u);
  EXPECT_EQ(event["environments"][0]["environment"], "qa1");
  EXPECT_EQ(event["environments"][0]["state"], "Drifted");
  EXPECT_EQ(event["link"], "http://h:1/api/v1/environments");
}

}  // namespace
}  // namespace pgtwin
