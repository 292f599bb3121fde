#pragma once

#include <chrono>
#include <string>

#include "model/status.h"

namespace pgtwin {

// POSTs `json_body` with Content-Type application/json to `url` (http or https) and waits for
// the answer at most `timeout`. Ok on a 2xx answer. Otherwise an error naming the target by
// `target_name` and the URL's scheme and host only — never its path or query, which for chat
// webhooks hold the secret token: "webhook NAME (https://hooks.example.com): HTTP 404".
Status PostWebhook(const std::string& target_name, const std::string& url,
                   const std::string& json_body, std::chrono::milliseconds timeout);

// "scheme://host[:port]" of `url`, or "(invalid URL)": what may be shown of a webhook URL.
std::string WebhookDisplayName(const std::string& url);

}  // namespace pgtwin
