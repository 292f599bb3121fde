#include "providers/webhook/webhook_client.h"

#include <cpprest/http_client.h>
#include <cpprest/uri.h>

#include <exception>

namespace pgtwin {

std::string WebhookDisplayName(const std::string& url) {
  try {
    web::uri uri(url);
    if (uri.scheme().empty() || uri.host().empty()) return "(invalid URL)";
    std::string shown = uri.scheme() + "://" + uri.host();
    if (!uri.is_port_default()) shown += ":" + std::to_string(uri.port());
    return shown;
  } catch (const std::exception&) {
    return "(invalid URL)";
  }
}

Status PostWebhook(const std::string& target_name, const std::string& url,
                   const std::string& json_body, std::chrono::milliseconds timeout) {
  std::string who = "webhook " + target_name + " (" + WebhookDisplayName(url) + ")";
  try {
    web::http::client::http_client_config config;
    config.set_timeout(timeout);
    web::http::client::http_client client(web::uri(url), config);
    web::http::http_request request(web::http::methods::POST);
    request.set_body(json_body, "application/json");
    web::http::http_response response = client.request(request).get();
    web::http::status_code code = response.status_code();
    if (code >= 200 && code < 300) return Status::Ok();
    return Status(StatusCode::kConnectionFailed, who + ": HTTP " + std::to_string(code));
  } catch (const std::exception& e) {
    std::string message = e.what();
    for (size_t at = message.find(url); at != std::string::npos; at = message.find(url)) {
      message.replace(at, url.size(), WebhookDisplayName(url));  // the token stays out
    }
    return Status(StatusCode::kConnectionFailed, who + ": " + message);
  }
}

}  // namespace pgtwin
