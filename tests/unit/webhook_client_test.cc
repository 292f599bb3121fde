// PostWebhook against a real HTTP receiver on loopback (cpprestsdk's http_listener): the JSON
// body arrives as sent, a non-2xx answer and an unreachable receiver are errors, and no error
// shows the URL's path, where chat webhooks keep their token.
#include "providers/webhook/webhook_client.h"

#include <cpprest/http_listener.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <string>

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

 private:
  web::http::status_code status_;
  std::string url_;
  std::unique_ptr<http_listener> listener_;
  std::mutex mutex_;
  std::string body_;
  std::string content_type_;
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

}  // namespace
}  // namespace pgtwin
